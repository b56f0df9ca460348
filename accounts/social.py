"""Sign-in with GitHub, Google, GitHub Enterprise or any OpenID Connect provider (social-core).

The flow has two calls in one browser session:

1. `sign_in_start` asks social-core for the provider's authorization URL. social-core keeps the
   `state` (and, for OpenID Connect, the nonce) in the session; we keep beside it, under the same
   state, the redirect URI and the account type a new account gets, so the callback cannot change
   either.
2. `sign_in_complete` hands the callback's `code`/`state` (or `error`) to social-core, which checks
   the state, exchanges the code, validates the ID token (signature, issuer, audience, expiry,
   nonce) and runs `SOCIAL_AUTH_PIPELINE`, whose last step is `link_or_create_account` below.

Account rules (`link_or_create_account`): a provider identity seen before signs in to its account;
otherwise an account with the same email is linked only when the provider verified that email, and
a new account is created only for a verified email. Deactivated accounts never sign in, and the
login limits of `/auth/jwt/create/` (accounts.throttling) apply here too.

Every social-core failure is a `SocialAuthBaseException`; `SignInRefused` carries our own refusals
with their HTTP status. The view turns both into JSON 4xx/503 answers.
"""

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework import exceptions
from social_core.exceptions import AuthPolicyError
from social_django.utils import load_backend, load_strategy

from accounts.models import UserAccount, UserAccountManager
from accounts.throttling import LoginThrottled, client_address, login_guard

# Provider name (as in /auth/o/<provider>/) -> the settings it cannot work without.
PROVIDERS: Mapping[str, tuple[str, ...]] = {
    "github": ("SOCIAL_AUTH_GITHUB_KEY", "SOCIAL_AUTH_GITHUB_SECRET"),
    "google-oauth2": ("SOCIAL_AUTH_GOOGLE_OAUTH2_KEY", "SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET"),
    "github-enterprise": (
        "SOCIAL_AUTH_GITHUB_ENTERPRISE_URL",
        "SOCIAL_AUTH_GITHUB_ENTERPRISE_API_URL",
        "SOCIAL_AUTH_GITHUB_ENTERPRISE_KEY",
        "SOCIAL_AUTH_GITHUB_ENTERPRISE_SECRET",
    ),
    "oidc": ("SOCIAL_AUTH_OIDC_OIDC_ENDPOINT", "SOCIAL_AUTH_OIDC_KEY", "SOCIAL_AUTH_OIDC_SECRET"),
}
# Pending sign-ins of one session, by state: {"redirect_uri": ..., "type": ...}.
_FLOWS_SESSION_KEY = "accounts_social_flows"
_MAX_PENDING_FLOWS = 10


class SignInRefused(AuthPolicyError):
    """A sign-in our account rules refuse; `status` is the HTTP answer, `message` its `detail`."""

    def __init__(self, backend, message: str, *, status: int = 400):
        super().__init__(backend, message, code="authentication_disallowed", stage="pipeline")
        self.message = message
        self.status = status


def enabled_providers() -> list[str]:
    return [name for name, required in PROVIDERS.items() if all(getattr(settings, s, "") for s in required)]


def allowed_redirect_uris() -> list[str]:
    """SOCIAL_AUTH_ALLOWED_REDIRECT_URIS, or `{FRONTEND_URL}/auth/<provider>` per enabled provider."""
    if settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS:
        return list(settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS)
    return [f"{settings.FRONTEND_URL}/auth/{name}" for name in enabled_providers()]


def sign_in_start(request, *, provider: str, redirect_uri: str, account_type: str) -> str:
    """The provider's authorization URL; the flow's redirect URI and account type stay server-side."""
    strategy = load_strategy(request)
    backend = load_backend(strategy, provider, redirect_uri=redirect_uri)
    url = backend.auth_url()
    [state] = parse_qs(urlsplit(url).query)["state"]
    flows = strategy.session_get(_FLOWS_SESSION_KEY) or {}
    flows[state] = {"redirect_uri": redirect_uri, "type": account_type}
    strategy.session_set(_FLOWS_SESSION_KEY, dict(list(flows.items())[-_MAX_PENDING_FLOWS:]))
    return url


def sign_in_complete(request, *, provider: str, callback: Mapping[str, str]) -> UserAccount:
    """The account the provider's callback (`code` and `state`, or `error`) signs in to.

    Raises `SocialAuthBaseException` (including `SignInRefused`) or a DRF `Throttled`.
    """
    strategy = load_strategy(request)
    flows = strategy.session_get(_FLOWS_SESSION_KEY) or {}
    flow = flows.pop(callback.get("state", ""), None)
    strategy.session_set(_FLOWS_SESSION_KEY, flows)
    if flow is None:
        raise SignInRefused(
            None, "This sign-in was not started in this session or has already been used; start again."
        )
    backend = load_backend(strategy, provider, redirect_uri=flow["redirect_uri"])
    # social-core reads the callback parameters from backend.data; the body is JSON or a form.
    backend.data = dict(callback)
    return backend.auth_complete(account_type=flow["type"])


def verified_email(backend, response: Mapping, details: Mapping) -> str | None:
    """The email address the provider asserts is verified, or None.

    GitHub (and Enterprise): the primary address from `/user/emails` when verified, else the first
    verified one. Google and OpenID Connect: `email` when `email_verified` is true (in the UserInfo
    answer or else the validated ID token).
    """
    if backend.name in ("github", "github-enterprise"):
        emails = [
            e for e in response.get("emails") or [] if isinstance(e, dict) and e.get("verified") is True
        ]
        emails.sort(key=lambda e: not e.get("primary"))
        return emails[0].get("email") if emails else None
    claims = response if "email" in response else (getattr(backend, "id_token", None) or {})
    if claims.get("email_verified") in (True, "true") and claims.get("email") == details.get("email"):
        return claims.get("email")
    return None


def link_or_create_account(backend, details, response, uid, user=None, account_type="user", **kwargs):
    """Pipeline step: the account for this provider identity (see the module docstring)."""
    if user is not None:
        return {"user": _usable(backend, user)}

    email = verified_email(backend, response, details)
    claimed = email or details.get("email")
    if not claimed:
        raise SignInRefused(
            backend,
            f"{backend.title} did not share an email address with us. Make your email address visible "
            f"to this application at {backend.title} and try again.",
        )
    existing = UserAccount.objects.filter(email=UserAccountManager.normalize_email(claimed)).first()
    if email is None:
        if existing is not None:
            raise SignInRefused(
                backend,
                f"An account with this email already exists and {backend.title} has not verified the "
                "address. Sign in with your password first.",
            )
        raise SignInRefused(
            backend,
            f"{backend.title} has not verified your email address. Verify it there and try again.",
        )

    storage = backend.strategy.storage.user
    try:
        with transaction.atomic():
            if existing is None:
                account = UserAccount.objects.create_user(
                    email, password=None, name=_display_name(details, email), type=account_type
                )
            else:
                account = _usable(backend, existing)
            social = storage.create_social_auth(account, uid, backend.name, id_key=kwargs.get("id_key", ""))
    except ValidationError as error:  # e.g. an address longer than the model allows
        raise SignInRefused(
            backend, f"The email address {backend.title} gave cannot be used here."
        ) from error
    except IntegrityError as error:
        # A concurrent sign-in created the same account or link first; nothing of ours was kept.
        raise SignInRefused(backend, "This sign-in raced another one; try again.", status=409) from error
    return {"user": account, "social": social, "is_new": existing is None, "new_association": True}


def _usable(backend, account: UserAccount) -> UserAccount:
    """Deactivated accounts are refused; the login limits of password logins apply too."""
    if not account.is_active:
        raise SignInRefused(backend, "This account is deactivated.", status=403)
    try:
        login_guard(account.email, client_address(backend.strategy.request))
    except LoginThrottled as throttled:
        raise exceptions.Throttled(wait=throttled.retry_after, detail=throttled.detail) from None
    return account


def _display_name(details: Mapping, email: str) -> str:
    name = (details.get("fullname") or details.get("username") or "").strip()
    return (name or email.split("@", 1)[0])[:255]
