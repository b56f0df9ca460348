from djoser import serializers as djoser_serializers
from djoser.serializers import SendEmailResetSerializer as DjoserSendEmailResetSerializer
from djoser.serializers import UserCreatePasswordRetypeSerializer as DjoserCreateRetypeSerializer
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import AccessToken

from accounts import tokens
from accounts.models import UserAccount, UserAccountManager
from helpers.text import CleanCharField, CleanTextSerializerMixin


class UserSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """What anyone is shown of an account: never a password hash or permission flags.

    Only `name` and, for developers, `searchable` change after sign-up; `type` is chosen once
    (api-contract 4).
    """

    class Meta:
        model = UserAccount
        fields = ["id", "name", "email", "type", "searchable"]
        read_only_fields = ["id", "email", "type"]

    def to_representation(self, instance):
        """`searchable` means something for developers only, so companies do not see it."""
        data = super().to_representation(instance)
        if not instance.is_candidate:
            data.pop("searchable", None)
        return data

    def validate_searchable(self, value):
        if self.instance is not None and not self.instance.is_candidate:
            raise serializers.ValidationError("Only developers choose whether recruiters can find them.")
        return value


class UserCreatePasswordRetypeSerializer(DjoserCreateRetypeSerializer):
    """Sign-up: name, email, type (`user` or `company`), password and re_password."""

    type = serializers.ChoiceField(choices=UserAccount.Type.choices)
    name = CleanCharField(max_length=255)

    class Meta:
        model = UserAccount
        fields = ["id", "name", "email", "type", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # djoser adds `re_password` without write_only, so the schema promised it in the 201 response.
        self.fields["re_password"].write_only = True

    def validate_email(self, value):
        email = UserAccountManager.normalize_email(value)
        if UserAccount.objects.filter(email=email).exists():
            raise serializers.ValidationError("A user with this email already exists.")
        return email


class EmailLookupSerializer(DjoserSendEmailResetSerializer):
    """reset_password and resend_activation find the account whatever the case of the email."""

    def validate_email(self, value):
        return UserAccountManager.normalize_email(value)


INVALID_LINK = "This link is invalid or has expired."


class _OneMessageForAnyBadLinkMixin:
    """Activation and reset confirmation: any invalid `uid`/`token` pair gets the same 400.

    djoser says "user doesn't exist" for an unknown uid and "invalid token" for a known one, which
    tells a prober which accounts exist. Both (and a uid that is not even text) become one message
    under `token`, the field whose messages the SPA shows (api-contract 3).
    """

    def validate(self, attrs):
        if not isinstance(self.initial_data.get("uid"), str):
            raise serializers.ValidationError({"token": [INVALID_LINK]}, code="invalid_link")
        try:
            return super().validate(attrs)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict) and {"uid", "token"} & set(error.detail):
                raise serializers.ValidationError({"token": [INVALID_LINK]}, code="invalid_link") from None
            raise


class ActivationSerializer(_OneMessageForAnyBadLinkMixin, djoser_serializers.ActivationSerializer):
    pass


class PasswordResetConfirmRetypeSerializer(
    _OneMessageForAnyBadLinkMixin, djoser_serializers.PasswordResetConfirmRetypeSerializer
):
    pass


class LoginSerializer(TokenObtainPairSerializer):
    """`POST /auth/jwt/create/`: the tokens carry the account's token version (accounts/tokens.py)."""

    @classmethod
    def get_token(cls, user):
        return tokens.with_version(super().get_token(user), user)


class RefreshSerializer(TokenRefreshSerializer):
    """A refresh token of a deleted, inactive or since-re-passworded account is a 401, not a 500."""

    def validate(self, attrs):
        tokens.account_for(self.token_class(attrs["refresh"]))
        return super().validate(attrs)


class VerifySerializer(serializers.Serializer):
    """`POST /auth/jwt/verify/`: 200 only for a live access token of an existing active account."""

    token = serializers.CharField(write_only=True)

    def validate(self, attrs):
        tokens.account_for(AccessToken(attrs["token"]))
        return {}


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AccessDaySerializer(serializers.Serializer):
    """One company's reads of the caller's data on one UTC day (accounts.access.access_days_of)."""

    company = serializers.SerializerMethodField()
    day = serializers.DateField()
    kinds = serializers.SerializerMethodField(
        help_text="What was read: `public` (profile, skills, assessment) and/or `contact` (email, phone)."
    )
    reads = serializers.IntegerField(help_text="How many reads were recorded that day.")
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()

    @extend_schema_field(CompanySummarySerializer)
    def get_company(self, row):
        return {"id": row["company_id"], "name": row["company_name"]}

    def get_kinds(self, row) -> list[str]:
        return [kind for kind in ("public", "contact") if row[f"{kind}_reads"]]
