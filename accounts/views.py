from djoser.conf import settings as djoser_settings
from djoser.views import UserViewSet
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt import views as jwt_views

from accounts import email_change, services


class AuthRateThrottle(SimpleRateThrottle):
    """All auth endpoints together, per client address (AUTH_THROTTLE_RATE)."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountViewSet(UserViewSet):
    """djoser's users endpoints, throttled per client address.

    `users/me/` is not throttled: the SPA calls it on every page load and must get the user for
    any valid token (api-contract 1.4, 3.2), and a valid token is no brute-force vector.
    `reset_email` and `reset_email_confirm` are off (accounts/email_change.py says why); ids are
    digits, so their paths reach the JSON 404 instead of the detail route.
    """

    throttle_classes = [AuthRateThrottle]
    lookup_value_regex = r"[0-9]+"
    reset_username = None
    reset_username_confirm = None

    def get_throttles(self):
        return [] if self.action == "me" else super().get_throttles()

    @action(["post"], detail=False)
    def resend_activation(self, request, *args, **kwargs):
        if not djoser_settings.SEND_ACTIVATION_EMAIL:
            return Response({"detail": "Account activation is off."}, status=status.HTTP_400_BAD_REQUEST)
        return super().resend_activation(request, *args, **kwargs)

    @action(["post"], detail=False, url_path="set_email")
    def set_username(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email_change.account_email_change(
            user=request.user, new_email=serializer.validated_data["new_email"], request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginView(jwt_views.TokenObtainPairView):
    """`POST /auth/jwt/create/`: tokens for email + password.

    Failed attempts are counted per email (LOGIN_FAILURE_LIMIT per LOGIN_FAILURE_WINDOW_SECONDS);
    past the limit every attempt for that email answers 429 with `detail` and `Retry-After`,
    even with the right password, until the window ends.
    """

    throttle_classes = [AuthRateThrottle]

    def post(self, request, *args, **kwargs):
        email = request.data.get("email") if isinstance(request.data, dict) else None
        email = email if isinstance(email, str) else ""
        wait = services.login_retry_after(email) if email else None
        if wait is not None:
            raise exceptions.Throttled(wait=wait, detail="Too many failed logins for this email.")
        try:
            response = super().post(request, *args, **kwargs)
        except exceptions.AuthenticationFailed:
            if email:
                services.login_failure_record(email)
            raise
        if email:
            services.login_failures_clear(email)
        return response


class RefreshView(jwt_views.TokenRefreshView):
    throttle_classes = [AuthRateThrottle]


class VerifyView(jwt_views.TokenVerifyView):
    """Not throttled: the SPA verifies its token on every page load, and tokens cannot be guessed."""

    throttle_classes = []


class LogoutView(jwt_views.TokenBlacklistView):
    """`POST /auth/jwt/blacklist/` with `refresh`: that refresh token can no longer be used."""

    throttle_classes = [AuthRateThrottle]
