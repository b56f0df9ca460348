"""`/auth/o/<provider>/`: djoser's social endpoint, answering JSON for every outcome.

djoser's own view answers a bare string for a bad redirect URI, reads `state` only from the query
string, reads `code` only from a form body, returns the user as its email and lets social-core's
errors through as 500s. These subclasses keep its URL, its token strategy (simplejwt's
`RefreshToken.for_user`, the same tokens as `/auth/jwt/create/`) and its 201, and put the rules in
accounts/social.py.
"""

import logging

from django.contrib.auth.models import update_last_login
from djoser.conf import settings as djoser_settings
from djoser.social.serializers import ProviderAuthSerializer as DjoserProviderAuthSerializer
from djoser.social.views import ProviderAuthView as DjoserProviderAuthView
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from social_core.exceptions import AuthConfigurationError, SocialAuthBaseException

from accounts import social
from accounts.models import UserAccount
from accounts.serializers import UserSerializer
from accounts.throttling import AuthRateThrottle
from helpers.parsers import StrictJSONParser

logger = logging.getLogger(__name__)


class ProviderUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The sign-in provider is not available right now; try again later."
    default_code = "provider_unavailable"


class SignInFailed(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "sign_in_failed"

    def __init__(self, detail, status_code=status.HTTP_400_BAD_REQUEST):
        super().__init__(detail)
        self.status_code = status_code


def _api_error(error: SocialAuthBaseException) -> exceptions.APIException:
    """Our refusals keep their status; an unreachable or misconfigured provider is 503; else 400."""
    if isinstance(error, social.SignInRefused):
        return SignInFailed(error.message, error.status)
    if isinstance(error, AuthConfigurationError) or error.recovery == "retry_later":
        logger.warning("social sign-in unavailable: %s (%s, stage %s)", error, error.code, error.stage)
        unavailable = ProviderUnavailable()
        unavailable.wait = int(error.retry_after) if str(error.retry_after or "").isdigit() else None
        return unavailable
    return SignInFailed(str(error))


class SignInStartSerializer(serializers.Serializer):
    redirect_uri = serializers.CharField(max_length=2000)
    type = serializers.ChoiceField(choices=UserAccount.Type.choices, default=UserAccount.Type.USER)

    def validate_redirect_uri(self, value):
        if value not in social.allowed_redirect_uris():
            raise serializers.ValidationError("redirect_uri must be in SOCIAL_AUTH_ALLOWED_REDIRECT_URIS.")
        return value


class ProviderAuthSerializer(DjoserProviderAuthSerializer):
    """The provider's callback in; `{access, refresh, user}` out, `user` as in `/auth/users/me/`."""

    code = serializers.CharField(max_length=2000, required=False, write_only=True)
    state = serializers.CharField(max_length=128, write_only=True)
    error = serializers.CharField(max_length=200, required=False, write_only=True)
    error_description = serializers.CharField(max_length=2000, required=False, write_only=True)
    user = UserSerializer(read_only=True)

    def validate(self, attrs):
        if not attrs.get("code") and not attrs.get("error"):
            raise serializers.ValidationError({"code": ["This field is required."]})
        request, provider = self.context["request"], self.context["view"].kwargs["provider"]
        try:
            user = social.sign_in_complete(request, provider=provider, callback=attrs)
        except SocialAuthBaseException as error:
            raise _api_error(error) from error
        if user is None:  # a pipeline step stopped the flow without a user
            raise SignInFailed("The provider did not sign you in; start again.")
        return {"user": user}

    def create(self, validated_data):
        update_last_login(None, validated_data["user"])  # as /auth/jwt/create/ does (UPDATE_LAST_LOGIN)
        return djoser_settings.SOCIAL_AUTH_TOKEN_STRATEGY.obtain(validated_data["user"])


class ProviderAuthView(DjoserProviderAuthView):
    """GET: `{authorization_url}` for `?redirect_uri=&type=`; POST `code` + `state`: 201 with tokens.

    No authentication: a stale token in the header must not stop a sign-in.
    """

    serializer_class = ProviderAuthSerializer
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    parser_classes = [StrictJSONParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("provider", str, OpenApiParameter.PATH, enum=list(social.PROVIDERS))]
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if kwargs["provider"] not in social.enabled_providers():
            raise exceptions.NotFound(f"Sign-in with '{kwargs['provider']}' is not available.")

    @extend_schema(
        parameters=[
            SignInStartSerializer,
            OpenApiParameter("provider", str, OpenApiParameter.PATH, enum=list(social.PROVIDERS)),
        ],
        responses={200: inline_serializer("AuthorizationUrl", {"authorization_url": serializers.URLField()})},
    )
    def get(self, request, *args, **kwargs):
        query = SignInStartSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            url = social.sign_in_start(
                request,
                provider=kwargs["provider"],
                redirect_uri=query.validated_data["redirect_uri"],
                account_type=query.validated_data["type"],
            )
        except SocialAuthBaseException as error:
            raise _api_error(error) from error
        return Response({"authorization_url": url})
