from djoser.views import UserViewSet
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt import views as jwt_views

from accounts import services


class AuthRateThrottle(SimpleRateThrottle):
    """All auth endpoints together, per client address (AUTH_THROTTLE_RATE)."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountViewSet(UserViewSet):
    """djoser's users endpoints, throttled per client address."""

    throttle_classes = [AuthRateThrottle]


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
    throttle_classes = [AuthRateThrottle]


class LogoutView(jwt_views.TokenBlacklistView):
    """`POST /auth/jwt/blacklist/` with `refresh`: that refresh token can no longer be used."""

    throttle_classes = [AuthRateThrottle]
