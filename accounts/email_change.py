"""`POST /auth/users/set_email/`: a new sign-in email, with the current password, announced to the old one.

djoser's own action compares emails case-sensitively (a taken address in another case reached the
database's case-insensitive constraint as a 500) and, when it sends a confirmation, sends it to the
new address, so the owner of the old one never learns of a takeover. `reset_email` and
`reset_email_confirm` are turned off (accounts.views.AccountViewSet): with the email as the login
name, "forgot my email" has nothing to recover that `reset_password` does not.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from djoser.serializers import CurrentPasswordSerializer
from rest_framework import serializers

from accounts.emails import EmailChangedEmail
from accounts.models import UserAccount, UserAccountManager


class SetEmailSerializer(CurrentPasswordSerializer):
    new_email = serializers.EmailField(max_length=254)

    def validate_new_email(self, value):
        email = UserAccountManager.normalize_email(value)
        user = self.context["request"].user
        if email == user.email:
            raise serializers.ValidationError("This is already your email address.")
        if UserAccount.objects.filter(email=email).exists():
            raise serializers.ValidationError("A user with this email already exists.")
        return email


@transaction.atomic
def account_email_change(*, user: UserAccount, new_email: str, request=None) -> None:
    """Move `user` to `new_email` (normalised, unused) and tell the old address after commit."""
    old_email = user.email
    user.email = new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as error:  # taken between the serializer's check and the write
        raise ValidationError({"new_email": ["A user with this email already exists."]}) from error
    context = {"user": user, "old_email": old_email, "new_email": new_email}
    EmailChangedEmail(request, context).send([old_email])
