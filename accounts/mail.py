"""Every email leaves through here: queued after commit, sent by a Celery task with retries.

`email_enqueue` is the one entry point (account emails in accounts/emails.py; other apps' emails
too). The message travels as plain data, so a worker needs nothing from the request. SMTP errors and
timeouts are retried with exponential backoff (EMAIL_MAX_RETRIES, EMAIL_RETRY_BACKOFF_SECONDS); a
message that still fails is stored as a `FailedEmail` with its error instead of being lost, and the
admin can resend it.
"""

import logging
import smtplib
import socket
from typing import TypedDict

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from accounts.models import FailedEmail

logger = logging.getLogger("job_portal.mail")

RETRYABLE = (smtplib.SMTPException, socket.timeout, TimeoutError, ConnectionError, OSError)


class Message(TypedDict):
    subject: str
    body: str
    html: str
    from_email: str
    to: list[str]


def email_enqueue(message: Message) -> None:
    """Send `message` once the surrounding transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: email_send.delay(message))


def backoff_seconds(retries: int) -> float:
    """EMAIL_RETRY_BACKOFF_SECONDS x 2^retries, at most ten minutes."""
    return min(600.0, settings.EMAIL_RETRY_BACKOFF_SECONDS * 2**retries)


@shared_task(bind=True, acks_late=True)
def email_send(self, message: Message) -> None:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except RETRYABLE as error:
        attempts = self.request.retries + 1
        if self.request.retries < settings.EMAIL_MAX_RETRIES:
            logger.warning("email to %s failed (attempt %d): %s; retrying", message["to"], attempts, error)
            raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from None
        failed = FailedEmail.objects.create(
            **message, attempts=attempts, error=f"{type(error).__name__}: {error}"
        )
        logger.error(
            "email to %s failed %d times, kept as FailedEmail %s: %s",
            message["to"],
            attempts,
            failed.pk,
            error,
        )


def failed_emails_resend(failed_emails) -> int:
    """Queue each failed message again (it gets a fresh set of retries); returns how many."""
    count = 0
    for failed in failed_emails:
        email_enqueue(
            Message(
                subject=failed.subject,
                body=failed.body,
                html=failed.html,
                from_email=failed.from_email,
                to=failed.to,
            )
        )
        failed.resent_at = timezone.now()
        failed.save(update_fields=["resent_at"])
        count += 1
    return count
