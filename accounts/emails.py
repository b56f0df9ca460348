"""Account emails, sent only after the surrounding transaction commits.

djoser builds the links from `EMAIL_FRONTEND_*` (the SPA's origin, from FRONTEND_URL), so they
land on the SPA routes `/activate/{uid}/{token}` and `/password/reset/confirm/{uid}/{token}`.
"""

from django.db import transaction
from djoser import email


class _AfterCommit:
    def send(self, to, *args, **kwargs):
        transaction.on_commit(lambda: super(_AfterCommit, self).send(to, *args, **kwargs))


class ActivationEmail(_AfterCommit, email.ActivationEmail):
    pass


class PasswordResetEmail(_AfterCommit, email.PasswordResetEmail):
    pass


class EmailChangedEmail(_AfterCommit, email.BaseDjoserEmail):
    """To the old address after `set_email`: the account now signs in with `new_email`."""

    template_name = "accounts/email_changed.html"
