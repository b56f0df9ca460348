"""Brute force is stopped per (email, address), per email and globally; a fake clock, no sleeping."""

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts import throttling
from accounts.tests.factories import PASSWORD, CandidateFactory, StaffFactory
from helpers import throttling as rate_throttling
from helpers.testing import FakeClock, throttle_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(throttling, "clock", fake)
    monkeypatch.setattr(rate_throttling, "clock", fake)
    return fake


def login(api_client, password, address="203.0.113.1", email="ann@example.com"):
    return api_client.post(
        "/auth/jwt/create/", {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_failed_logins_past_the_limit_hold_that_address_back_while_they_are_recent(
    api_client, clock, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    CandidateFactory(email="ann@example.com")

    failures = [login(api_client, "wrong").status_code for _ in range(3)]
    locked = login(api_client, PASSWORD)

    assert failures == [401, 401, 401]
    assert locked.status_code == 429
    assert locked.json()["detail"]
    wait = int(locked["Retry-After"])
    assert 900 - 60 < wait <= 900  # until the failures slide out of the window (in 60 s steps)

    clock.now += wait - 1
    assert login(api_client, PASSWORD).status_code == 429
    clock.now += 1
    assert login(api_client, PASSWORD).status_code == 200


def test_the_sliding_window_lets_no_burst_through_at_a_bucket_boundary(api_client, clock, settings):
    """A fixed window let 2x the limit through: the limit at the end of one window and again at the start."""
    settings.LOGIN_FAILURE_LIMIT = 4
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 100
    CandidateFactory(email="ann@example.com")
    clock.now = 1_700_000_099.0  # one second before a bucket boundary

    before = [login(api_client, "wrong").status_code for _ in range(4)]
    clock.now += 2
    after = [login(api_client, "wrong").status_code for _ in range(4)]

    assert before == [401] * 4
    assert after == [429] * 4


def test_a_stranger_failing_from_another_address_never_blocks_the_owner(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_EMAIL_LIMIT = 6
    CandidateFactory(email="ann@example.com")
    assert login(api_client, PASSWORD, address="198.51.100.7").status_code == 200  # the owner's address

    strangers = [login(api_client, "wrong", address=f"192.0.2.{n}").status_code for n in range(12)]

    assert strangers[:6] == [401] * 6
    assert set(strangers[6:]) == {429}  # the per-email ceiling slows addresses the account does not know
    assert login(api_client, PASSWORD, address="198.51.100.7").status_code == 200


def test_past_the_per_email_ceiling_a_new_address_is_slowed_with_retry_after(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_EMAIL_LIMIT = 6
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    CandidateFactory(email="ann@example.com")
    for n in range(6):
        login(api_client, "wrong", address=f"192.0.2.{n}")

    slowed = login(api_client, PASSWORD, address="192.0.2.200")

    assert slowed.status_code == 429
    assert 0 < int(slowed["Retry-After"]) <= 900
    clock.now += int(slowed["Retry-After"])
    assert login(api_client, PASSWORD, address="192.0.2.200").status_code == 200


def test_a_global_login_rate_protects_the_cpu(api_client, clock, settings):
    settings.LOGIN_RATE = "5/second"

    statuses = [login(api_client, "wrong", email=f"x{n}@example.com").status_code for n in range(7)]

    assert statuses == [401] * 5 + [429] * 2
    clock.now += 1
    assert login(api_client, "wrong", email="y@example.com").status_code == 401


def test_staff_accounts_are_under_the_same_limits(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    StaffFactory(email="ann@example.com")

    [login(api_client, "wrong") for _ in range(3)]

    assert login(api_client, PASSWORD).status_code == 429


def test_a_successful_login_resets_the_failure_count(api_client, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    CandidateFactory(email="ann@example.com")

    login(api_client, "wrong")
    login(api_client, "wrong")
    assert login(api_client, PASSWORD).status_code == 200
    login(api_client, "wrong")
    login(api_client, "wrong")

    assert login(api_client, PASSWORD).status_code == 200


def test_auth_endpoints_are_throttled_per_client_address(api_client, clock, settings):
    throttle_rates(settings, auth="5/minute")

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


def test_the_calls_the_spa_makes_on_every_page_load_are_never_throttled(api_client, clock, settings):
    throttle_rates(settings, auth="2/minute")
    user = CandidateFactory()
    token = str(AccessToken.for_user(user))
    api_client.credentials(HTTP_AUTHORIZATION=f"JWT {token}")

    statuses = set()
    for _ in range(10):
        statuses.add(api_client.get("/auth/users/me/").status_code)
        statuses.add(api_client.post("/auth/jwt/verify/", {"token": token}, format="json").status_code)

    assert statuses == {200}


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api_client, clock, settings):
    throttle_rates(settings, auth="3/minute")

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
