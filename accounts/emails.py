"""Account emails: rendered in the request, sent by a Celery task after the transaction commits.

djoser builds the links from `EMAIL_FRONTEND_*` (the SPA's origin, from FRONTEND_URL), so they
land on the SPA routes `/activate/{uid}/{token}` and `/password/reset/confirm/{uid}/{token}`.
"""

from django.conf import settings
from djoser import email

from accounts.mail import Message, email_enqueue


class _Queued:
    """djoser's `send(to)` renders the templates here and hands plain data to accounts/mail.py."""

    def send(self, to, fail_silently=False, **kwargs):
        self.render()
        html = next((content for content, mimetype in self.alternatives if mimetype == "text/html"), "")
        email_enqueue(
            Message(
                subject=self.subject,
                body=self.body,
                html=html,
                from_email=kwargs.get("from_email") or settings.DEFAULT_FROM_EMAIL,
                to=list(to),
            )
        )


class ActivationEmail(_Queued, email.ActivationEmail):
    pass


class PasswordResetEmail(_Queued, email.PasswordResetEmail):
    pass


class EmailChangedEmail(_Queued, email.BaseDjoserEmail):
    """To the old address after `set_email`: the account now signs in with `new_email`."""

    template_name = "accounts/email_changed.html"
