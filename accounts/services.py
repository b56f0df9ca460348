"""Account writes with rules beyond a plain save."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import UserAccount


@transaction.atomic
def user_password_change(*, user: UserAccount, password: str | None) -> None:
    """Set a new password (None: an unusable one) and end every session opened with the old one.

    Outstanding refresh tokens are blacklisted, and `token_version` moves on so access tokens issued
    before now (which carry the old version) are refused too (accounts/tokens.py). The API's and
    the admin's password changes both come here.
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.last_login = timezone.now()
    user.save(update_fields=["password", "last_login"])
    user_tokens_revoke(user=user)


@transaction.atomic
def user_tokens_revoke(*, user: UserAccount) -> None:
    UserAccount.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
