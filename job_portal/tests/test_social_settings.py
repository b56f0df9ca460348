"""Provider sign-in follows the environment: which providers are on, where they may send users back
to, and the cookie and CORS settings an SPA on another origin needs."""

from job_portal.tests.test_settings import settings_with

PRINT_SOCIAL_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from accounts import social
print(json.dumps({
    "enabled": social.enabled_providers(),
    "redirect_uris": social.allowed_redirect_uris(),
    "oidc_endpoint": settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT,
    "timeout": settings.SOCIAL_AUTH_REQUESTS_TIMEOUT,
    "cors_credentials": settings.CORS_ALLOW_CREDENTIALS,
    "samesite": settings.SESSION_COOKIE_SAMESITE,
}))
"""


def test_no_provider_is_on_by_default_and_the_session_cookie_is_lax():
    seen = settings_with(PRINT_SOCIAL_SETTINGS)

    assert seen["enabled"] == [] and seen["redirect_uris"] == []
    assert (seen["cors_credentials"], seen["samesite"], seen["timeout"]) == (False, "Lax", 5.0)


def test_a_provider_is_on_once_all_its_variables_are_set_and_gets_a_default_redirect_uri():
    seen = settings_with(
        PRINT_SOCIAL_SETTINGS,
        FRONTEND_URL="https://app.example.com/",
        SOCIAL_AUTH_OIDC_OIDC_ENDPOINT="https://sso.example.com/realms/jobs/",
        SOCIAL_AUTH_OIDC_KEY="portal",
        SOCIAL_AUTH_OIDC_SECRET="s3cret",
        SOCIAL_AUTH_GITHUB_KEY="only-the-key",
    )

    assert seen["enabled"] == ["oidc"]
    assert seen["redirect_uris"] == ["https://app.example.com/auth/oidc"]
    assert seen["oidc_endpoint"] == "https://sso.example.com/realms/jobs"


def test_the_redirect_list_cookie_and_cors_variables_apply():
    seen = settings_with(
        PRINT_SOCIAL_SETTINGS,
        SOCIAL_AUTH_ALLOWED_REDIRECT_URIS="https://a.example/cb,https://b.example/cb",
        SOCIAL_AUTH_REQUESTS_TIMEOUT="2.5",
        CORS_ALLOW_CREDENTIALS="True",
        SESSION_COOKIE_SAMESITE="None",
    )

    assert seen["redirect_uris"] == ["https://a.example/cb", "https://b.example/cb"]
    assert (seen["cors_credentials"], seen["samesite"], seen["timeout"]) == (True, "None", 2.5)
