"""Brute force is stopped per email and per client address; tests step a fake clock, never sleep."""

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts import services
from accounts.tests.factories import PASSWORD, CandidateFactory
from accounts.views import AuthRateThrottle

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(services, "clock", fake)
    monkeypatch.setattr(AuthRateThrottle, "timer", staticmethod(fake))
    return fake


def login(api_client, password):
    return api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": password}, format="json"
    )


def test_failed_logins_past_the_limit_lock_the_email_until_the_window_ends(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    CandidateFactory(email="ann@example.com")

    failures = [login(api_client, "wrong").status_code for _ in range(3)]
    locked = login(api_client, PASSWORD)

    assert failures == [401, 401, 401]
    assert locked.status_code == 429
    assert locked.json()["detail"]
    assert 0 < int(locked["Retry-After"]) <= 900

    clock.now += 900
    assert login(api_client, PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    CandidateFactory(email="ann@example.com")

    login(api_client, "wrong")
    login(api_client, "wrong")
    assert login(api_client, PASSWORD).status_code == 200
    login(api_client, "wrong")
    login(api_client, "wrong")

    assert login(api_client, PASSWORD).status_code == 200


def test_auth_endpoints_are_throttled_per_client_address(api_client, clock, monkeypatch):
    monkeypatch.setattr(AuthRateThrottle, "THROTTLE_RATES", {"auth": "5/minute"})

    statuses = [
        api_client.post("/auth/users/reset_password/", {"email": "x@example.com"}, format="json").status_code
        for _ in range(5)
    ]
    throttled = api_client.post(
        "/auth/jwt/create/", {"email": "x@example.com", "password": "x"}, format="json"
    )

    assert statuses == [204] * 5
    assert throttled.status_code == 429
    assert throttled.json()["detail"] and int(throttled["Retry-After"]) > 0

    clock.now += 61
    assert (
        api_client.post(
            "/auth/jwt/create/", {"email": "x@example.com", "password": "x"}, format="json"
        ).status_code
        == 401
    )


def test_the_calls_the_spa_makes_on_every_page_load_are_never_throttled(api_client, clock, monkeypatch):
    monkeypatch.setattr(AuthRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    user = CandidateFactory()
    token = str(AccessToken.for_user(user))
    api_client.credentials(HTTP_AUTHORIZATION=f"JWT {token}")

    statuses = set()
    for _ in range(10):
        statuses.add(api_client.get("/auth/users/me/").status_code)
        statuses.add(api_client.post("/auth/jwt/verify/", {"token": token}, format="json").status_code)

    assert statuses == {200}


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api_client, clock, monkeypatch):
    monkeypatch.setattr(AuthRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})

    statuses = [
        api_client.post(
            "/auth/users/reset_password/",
            {"email": "x@example.com"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(5)
    ]

    assert statuses == [204, 204, 204, 429, 429]


def test_failures_in_any_capitalisation_count_against_one_email(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    CandidateFactory(email="ann@example.com")

    for spelling in ["Ann@example.com", "ANN@EXAMPLE.COM", "ann@Example.com"]:
        body = {"email": spelling, "password": "wrong"}
        assert api_client.post("/auth/jwt/create/", body, format="json").status_code == 401

    locked = api_client.post(
        "/auth/jwt/create/", {"email": "aNn@example.com", "password": PASSWORD}, format="json"
    )
    assert locked.status_code == 429
