from djoser.conf import settings as djoser_settings
from djoser.views import UserViewSet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from accounts import email_change, serializers, services
from accounts.access import access_days_of
from accounts.models import CandidateAccess
from accounts.permissions import IsCandidate
from accounts.throttling import (
    AuthRateThrottle,
    LoginThrottled,
    client_address,
    login_failed,
    login_guard,
    login_succeeded,
)
from helpers.pagination import LimitOffsetPages

NO_CONTENT = extend_schema(responses={204: None})


@extend_schema_view(
    **{
        action_name: NO_CONTENT
        for action_name in [
            "activation",
            "resend_activation",
            "reset_password",
            "reset_password_confirm",
            "set_password",
            "set_username",
        ]
    }
)
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

    def get_object(self):
        """`users/me/` has no id in its URL: OPTIONS on it (DRF's metadata) asked for one and gave a 500."""
        if self.lookup_field not in self.kwargs:
            return self.get_instance()
        return super().get_object()

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

    @action(["post"], detail=False)
    def set_password(self, request, *args, **kwargs):
        """Change the password; every token issued before (this one included) stops working."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_change(user=request.user, password=serializer.validated_data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False)
    def reset_password_confirm(self, request, *args, **kwargs):
        """Set the password from the emailed link; every token issued before stops working."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_change(
            user=serializer.user, password=serializer.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginView(jwt_views.TokenObtainPairView):
    """`POST /auth/jwt/create/`: tokens for email + password, under the limits of accounts/throttling.py.

    A throttled attempt answers 429 with `detail` and `Retry-After` before the password is checked.
    """

    serializer_class = serializers.LoginSerializer
    throttle_classes = [AuthRateThrottle]

    def post(self, request, *args, **kwargs):
        email = request.data.get("email") if isinstance(request.data, dict) else None
        email = email if isinstance(email, str) else ""
        address = client_address(request)
        try:
            login_guard(email, address)
        except LoginThrottled as throttled:
            raise exceptions.Throttled(wait=throttled.retry_after, detail=throttled.detail) from None
        try:
            response = super().post(request, *args, **kwargs)
        except exceptions.AuthenticationFailed:
            login_failed(email, address)
            raise
        login_succeeded(email, address)
        return response


class RefreshView(jwt_views.TokenRefreshView):
    serializer_class = serializers.RefreshSerializer
    throttle_classes = [AuthRateThrottle]


class VerifyView(jwt_views.TokenVerifyView):
    """Not throttled: the SPA verifies its token on every page load, and tokens cannot be guessed."""

    serializer_class = serializers.VerifySerializer
    throttle_classes = []


class LogoutView(jwt_views.TokenBlacklistView):
    """`POST /auth/jwt/blacklist/` with `refresh`: that refresh token can no longer be used."""

    throttle_classes = [AuthRateThrottle]


@extend_schema(
    summary="Which companies read the caller's data, what and when",
    description="The access ledger (docs/access-ledger.md) for the calling developer: one row per "
    "company and UTC day, newest first, with the kinds of data read (`public`: account, profile "
    "sections, skills, assessment result; `contact`: email and phone, once the developer applied), "
    "the number of reads and the first and last time. Paged with `limit` (default 50, at most 100) "
    "and `offset`. Companies get 403: staff see the whole ledger in the admin.",
)
class OwnAccessListView(generics.ListAPIView):
    """`GET /auth/users/me/access`: the developer's side of the access ledger (accounts/access.py)."""

    permission_classes = [IsCandidate]
    serializer_class = serializers.AccessDaySerializer
    pagination_class = LimitOffsetPages
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no logged-in user
            return CandidateAccess.objects.none()
        return access_days_of(self.request.user)
