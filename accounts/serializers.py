from djoser import serializers as djoser_serializers
from djoser.serializers import SendEmailResetSerializer as DjoserSendEmailResetSerializer
from djoser.serializers import UserCreatePasswordRetypeSerializer as DjoserCreateRetypeSerializer
from rest_framework import serializers

from accounts.models import UserAccount, UserAccountManager
from helpers.text import CleanCharField, CleanTextSerializerMixin


class UserSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """What anyone is shown of an account: never a password hash or permission flags.

    Only `name` can change after sign-up; `type` is chosen once (api-contract 4).
    """

    class Meta:
        model = UserAccount
        fields = ["id", "name", "email", "type"]
        read_only_fields = ["id", "email", "type"]


class UserCreatePasswordRetypeSerializer(DjoserCreateRetypeSerializer):
    """Sign-up: name, email, type (`user` or `company`), password and re_password."""

    type = serializers.ChoiceField(choices=UserAccount.Type.choices)
    name = CleanCharField(max_length=255)

    class Meta:
        model = UserAccount
        fields = ["id", "name", "email", "type", "password"]

    def validate_email(self, value):
        email = UserAccountManager.normalize_email(value)
        if UserAccount.objects.filter(email=email).exists():
            raise serializers.ValidationError("A user with this email already exists.")
        return email


class EmailLookupSerializer(DjoserSendEmailResetSerializer):
    """reset_password and resend_activation find the account whatever the case of the email."""

    def validate_email(self, value):
        return UserAccountManager.normalize_email(value)


class _TextUidMixin:
    """djoser decodes the raw `uid` and crashes on a number; anything but text is a field error."""

    def validate(self, attrs):
        if not isinstance(self.initial_data.get("uid"), str):
            raise serializers.ValidationError({"uid": ["Invalid user id or user doesn't exist."]})
        return super().validate(attrs)


class ActivationSerializer(_TextUidMixin, djoser_serializers.ActivationSerializer):
    pass


class PasswordResetConfirmRetypeSerializer(
    _TextUidMixin, djoser_serializers.PasswordResetConfirmRetypeSerializer
):
    pass
