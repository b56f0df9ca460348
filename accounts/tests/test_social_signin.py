"""Sign-in with GitHub, GitHub Enterprise, an OpenID Connect issuer and Google, against a fake
provider on loopback (accounts/tests/fake_provider.py): the same JWTs as a password login, accounts
linked only on a provider-verified email, and a JSON 4xx/503 for every failure."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from rest_framework.test import APIClient
from social_django.models import UserSocialAuth

from accounts.models import UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory
from accounts.tests.fake_provider import CLIENTS, FakeProvider, Person, route_public_hosts
from accounts.throttling import login_failed
from helpers.testing import throttle_rates

pytestmark = pytest.mark.django_db

FRONTEND = "https://app.example"
# provider name in the URL -> the fake provider's name for it
KINDS = {"github": "github", "github-enterprise": "ghe", "oidc": "oidc", "google-oauth2": "google"}
PROVIDERS = list(KINDS)


@pytest.fixture(scope="session")
def fake_provider():
    provider = FakeProvider()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def fake(fake_provider, settings):
    """Every provider enabled and pointed at the fake; public hosts routed to it."""
    fake_provider.reset()
    base = fake_provider.base
    settings.FRONTEND_URL = FRONTEND
    settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS = []
    settings.SOCIAL_AUTH_REQUESTS_TIMEOUT = 0.5
    settings.SOCIAL_AUTH_GITHUB_KEY, settings.SOCIAL_AUTH_GITHUB_SECRET = CLIENTS["github"]
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY, settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = CLIENTS["google"]
    settings.SOCIAL_AUTH_GITHUB_ENTERPRISE_URL = f"{base}/ghe/"
    settings.SOCIAL_AUTH_GITHUB_ENTERPRISE_API_URL = f"{base}/ghe/api/v3/"
    settings.SOCIAL_AUTH_GITHUB_ENTERPRISE_KEY, settings.SOCIAL_AUTH_GITHUB_ENTERPRISE_SECRET = CLIENTS["ghe"]
    settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = f"{base}/oidc"
    settings.SOCIAL_AUTH_OIDC_KEY, settings.SOCIAL_AUTH_OIDC_SECRET = CLIENTS["oidc"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        route_public_hosts(rsps, fake_provider)
        yield fake_provider


def ann(**changes):
    return (
        Person(uid="4242", name="Ann Lee", email="ann@example.com")
        if not changes
        else Person(**({"uid": "4242", "name": "Ann Lee", "email": "ann@example.com"} | changes))
    )


def start(client, provider, **query):
    return client.get(f"/auth/o/{provider}/", {"redirect_uri": f"{FRONTEND}/auth/{provider}", **query})


def consent(client, fake, provider, person, **query):
    """GET the authorization URL, consent at the provider: the callback the SPA would receive."""
    started = start(client, provider, **query)
    assert started.status_code == 200, started.content
    return fake.authorize(started.json()["authorization_url"], person, KINDS[provider])


def sign_in(client, fake, provider, person, **query):
    callback = consent(client, fake, provider, person, **query)
    return client.post(f"/auth/o/{provider}/", callback, format="json")


def assert_refused(response, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] if "detail" in body else body
    assert "access" not in body and "refresh" not in body


@pytest.mark.parametrize("provider", PROVIDERS)
def test_first_sign_in_creates_an_active_developer_with_the_tokens_of_a_password_login(fake, provider):
    client = APIClient()

    response = sign_in(client, fake, provider, ann())

    assert response.status_code == 201, response.content
    body = response.json()
    account = UserAccount.objects.get(email="ann@example.com")
    assert body["user"] == {
        "id": account.id,
        "name": "Ann Lee",
        "email": "ann@example.com",
        "type": "user",
        "searchable": True,
    }
    assert account.is_active and not account.has_usable_password()
    me = APIClient().get("/auth/users/me/", HTTP_AUTHORIZATION=f"JWT {body['access']}")
    assert me.status_code == 200 and me.json() == body["user"]
    refreshed = APIClient().post("/auth/jwt/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refreshed.status_code == 200 and refreshed.json()["refresh"] != body["refresh"]
    reused = APIClient().post("/auth/jwt/refresh/", {"refresh": body["refresh"]}, format="json")
    assert reused.status_code == 401  # rotated and blacklisted, as after a password login


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_returning_identity_gets_the_same_account_even_with_a_new_email(fake, provider):
    first = sign_in(APIClient(), fake, provider, ann())
    again = sign_in(APIClient(), fake, provider, ann(email="ann.lee@newmail.example"))

    assert first.status_code == again.status_code == 201
    assert again.json()["user"]["id"] == first.json()["user"]["id"]
    assert UserAccount.objects.count() == 1
    assert UserSocialAuth.objects.filter(provider=provider).count() == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_verified_email_links_the_existing_account_which_keeps_its_password(fake, provider):
    existing = CandidateFactory(email="ann@example.com", name="Ann")

    response = sign_in(APIClient(), fake, provider, ann(email="Ann@Example.com"))

    assert response.status_code == 201, response.content
    assert response.json()["user"]["id"] == existing.id
    assert UserSocialAuth.objects.get(provider=provider).user == existing
    login = {"email": "ann@example.com", "password": PASSWORD}
    assert APIClient().post("/auth/jwt/create/", login, format="json").status_code == 200


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unverified_email_never_takes_over_an_existing_account(fake, provider):
    CandidateFactory(email="ann@example.com")

    response = sign_in(APIClient(), fake, provider, ann(email_verified=False))

    assert_refused(response)
    if provider != "google-oauth2":  # social-core's Google backend refuses it with its own message
        assert "Sign in with your password first" in response.json()["detail"]
    assert not UserSocialAuth.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unverified_email_creates_no_account(fake, provider):
    response = sign_in(APIClient(), fake, provider, ann(email_verified=False))

    assert_refused(response)
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", ["github", "github-enterprise", "oidc"])
def test_a_provider_that_shares_no_email_gets_a_clear_400(fake, provider):
    response = sign_in(APIClient(), fake, provider, ann(email=None))

    assert_refused(response)
    assert "did not share an email address" in response.json()["detail"]
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_company_signs_up_with_type_company_and_the_callback_cannot_change_it(fake, provider):
    client = APIClient()
    callback = consent(client, fake, provider, ann(), type="company")

    response = client.post(f"/auth/o/{provider}/", callback | {"type": "user"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["user"]["type"] == "company"
    assert UserAccount.objects.get().type == "company"


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    "state",
    ["forged-state", ""],
    ids=["wrong", "missing"],
)
def test_a_wrong_or_missing_state_gets_a_400_and_no_token(fake, provider, state):
    client = APIClient()
    callback = consent(client, fake, provider, ann())

    response = client.post(f"/auth/o/{provider}/", callback | {"state": state}, format="json")

    assert_refused(response)
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_state_from_another_browser_session_is_refused(fake, provider):
    callback = consent(APIClient(), fake, provider, ann())

    response = APIClient().post(f"/auth/o/{provider}/", callback, format="json")

    assert_refused(response)
    assert fake.token_requests == 0  # the code never reached the provider


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_reused_code_is_refused(fake, provider):
    client = APIClient()
    first = consent(client, fake, provider, ann())
    assert client.post(f"/auth/o/{provider}/", first, format="json").status_code == 201
    second = consent(client, fake, provider, ann())

    response = client.post(f"/auth/o/{provider}/", second | {"code": first["code"]}, format="json")

    assert_refused(response)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_replaying_a_whole_callback_is_refused(fake, provider):
    client = APIClient()
    callback = consent(client, fake, provider, ann())
    assert client.post(f"/auth/o/{provider}/", callback, format="json").status_code == 201

    assert_refused(client.post(f"/auth/o/{provider}/", callback, format="json"))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_redirect_uri_outside_the_list_is_refused(fake, provider):
    response = APIClient().get(f"/auth/o/{provider}/", {"redirect_uri": "https://evil.example/auth/github"})

    assert response.status_code == 400
    assert response.json()["redirect_uri"]


def test_the_allowed_redirect_uris_come_from_the_setting_when_it_is_set(fake, settings):
    settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS = ["https://jobs.example/callback"]
    client = APIClient()

    assert start(client, "github").status_code == 400
    allowed = client.get("/auth/o/github/", {"redirect_uri": "https://jobs.example/callback"})
    assert allowed.status_code == 200
    query = parse_qs(urlsplit(allowed.json()["authorization_url"]).query)
    assert query["redirect_uri"] == ["https://jobs.example/callback"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_error_such_as_access_denied_gets_a_400(fake, provider):
    client = APIClient()
    callback = consent(client, fake, provider, ann())

    response = client.post(
        f"/auth/o/{provider}/",
        {"error": "access_denied", "error_description": "The user said no", "state": callback["state"]},
        format="json",
    )

    assert_refused(response)
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("fault", ["timeout", "unavailable"])
def test_a_provider_that_does_not_answer_gets_a_503(fake, provider, fault):
    client = APIClient()
    callback = consent(client, fake, provider, ann())
    fake.fault = fault

    response = client.post(f"/auth/o/{provider}/", callback, format="json")

    assert_refused(response, 503)
    assert fake.token_requests == 1
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_deactivated_account_cannot_sign_in_through_a_provider(fake, provider):
    CandidateFactory(email="ann@example.com", is_active=False)

    assert_refused(sign_in(APIClient(), fake, provider, ann()), 403)

    assert not UserSocialAuth.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_deactivated_linked_account_cannot_sign_in_again(fake, provider):
    assert sign_in(APIClient(), fake, provider, ann()).status_code == 201
    UserAccount.objects.update(is_active=False)

    assert_refused(sign_in(APIClient(), fake, provider, ann()), 403)


def test_the_login_lock_of_password_logins_applies_to_provider_sign_ins(fake, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    CandidateFactory(email="ann@example.com")
    login_failed("ann@example.com", "127.0.0.1")  # two wrong passwords from the same address
    login_failed("ann@example.com", "127.0.0.1")

    response = sign_in(APIClient(), fake, "oidc", ann())

    assert response.status_code == 429
    assert response.json()["detail"] and response["Retry-After"]


def test_the_callback_may_arrive_as_a_form(fake):
    client = APIClient()
    callback = consent(client, fake, "github", ann())

    response = client.post(
        "/auth/o/github/", urlencode(callback), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 201, response.content


def test_a_callback_without_code_or_error_is_a_400_naming_code(fake):
    client = APIClient()
    callback = consent(client, fake, "github", ann())

    response = client.post("/auth/o/github/", {"state": callback["state"]}, format="json")

    assert response.status_code == 400 and response.json()["code"]


@pytest.mark.parametrize(
    "claims",
    [{"aud": "someone-else"}, {"exp": 1_000_000_000, "iat": 999_999_000}, {"nonce": "replayed"}],
    ids=["audience", "expired", "nonce"],
)
def test_an_id_token_for_another_client_expired_or_with_a_foreign_nonce_is_refused(fake, claims):
    fake.id_token_claims = claims

    assert_refused(sign_in(APIClient(), fake, "oidc", ann()))

    assert not UserAccount.objects.exists()


def test_an_id_token_signed_by_a_key_outside_the_issuers_jwks_is_refused(fake):
    fake.id_token_signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    assert_refused(sign_in(APIClient(), fake, "oidc", ann()))

    assert not UserAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_rejecting_our_client_secret_is_a_503_for_the_operator_to_fix(fake, settings, provider):
    setting = {
        "github": "SOCIAL_AUTH_GITHUB_SECRET",
        "github-enterprise": "SOCIAL_AUTH_GITHUB_ENTERPRISE_SECRET",
        "oidc": "SOCIAL_AUTH_OIDC_SECRET",
        "google-oauth2": "SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET",
    }[provider]
    client = APIClient()
    callback = consent(client, fake, provider, ann())
    setattr(settings, setting, "rotated-secret")

    assert_refused(client.post(f"/auth/o/{provider}/", callback, format="json"), 503)


def test_both_calls_count_towards_the_auth_rate_per_address(fake, settings):
    throttle_rates(settings, auth="3/minute")
    client = APIClient()
    callback = consent(client, fake, "github", ann())
    assert start(client, "github").status_code == 200
    assert client.post("/auth/o/github/", callback, format="json").status_code == 201

    response = start(client, "github")

    assert response.status_code == 429 and response.json()["detail"]


def test_the_oidc_authorization_url_comes_from_discovery_and_carries_a_nonce(fake):
    response = start(APIClient(), "oidc")

    url = response.json()["authorization_url"]
    assert url.startswith(f"{fake.base}/oidc/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == ["oidc-client"] and query["nonce"] and query["state"]


@pytest.mark.parametrize("provider", ["github", "github-enterprise"])
def test_github_asks_for_the_email_scope(fake, provider):
    url = start(APIClient(), provider).json()["authorization_url"]

    assert parse_qs(urlsplit(url).query)["scope"] == ["user:email"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_without_its_settings_answers_404(settings, provider):
    settings.SOCIAL_AUTH_GITHUB_KEY = settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = ""
    settings.SOCIAL_AUTH_GITHUB_ENTERPRISE_KEY = settings.SOCIAL_AUTH_OIDC_KEY = ""

    for response in (
        start(APIClient(), provider),
        APIClient().post(f"/auth/o/{provider}/", {}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]


def test_an_unknown_provider_answers_404(fake):
    assert start(APIClient(), "github-org").status_code == 404


def test_a_stale_token_in_the_header_does_not_stop_a_sign_in(fake):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="JWT null")

    assert sign_in(client, fake, "github", ann()).status_code == 201


def test_an_spa_on_another_site_gets_a_cross_site_session_cookie_and_credentialed_cors(fake, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    settings.CORS_ALLOW_CREDENTIALS = True
    settings.SESSION_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = True
    client = APIClient()

    response = client.get(
        "/auth/o/github/", {"redirect_uri": f"{FRONTEND}/auth/github"}, HTTP_ORIGIN="https://app.example"
    )

    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    assert response["Access-Control-Allow-Credentials"] == "true"
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["samesite"] == "None" and cookie["secure"] and cookie["httponly"]


def test_an_issuer_that_cannot_be_reached_for_discovery_gets_a_503_at_the_start(fake, settings):
    settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = "http://127.0.0.1:9/unreachable-issuer"

    response = start(APIClient(), "oidc")

    assert response.status_code == 503 and response.json()["detail"]


def test_an_account_type_other_than_user_or_company_is_a_400(fake):
    response = start(APIClient(), "github", type="admin")

    assert response.status_code == 400 and response.json()["type"]


def test_a_verified_email_the_account_model_cannot_hold_is_a_400_and_creates_nothing(fake):
    response = sign_in(APIClient(), fake, "oidc", ann(email=f"{'a' * 250}@example.com"))

    assert_refused(response)
    assert "cannot be used here" in response.json()["detail"]
    assert not UserAccount.objects.exists() and not UserSocialAuth.objects.exists()
