"""The worker's loop body: claim a due delivery, send it, record the attempt, schedule what follows.

Run by `manage.py webhooks_worker` (polling) and by the Celery task `webhooks.tasks.deliveries_due`;
both call `deliveries_run`, which is safe to run in several processes at once:

- Claiming is one short transaction: the oldest due delivery whose endpoint has no earlier pending
  one (so an endpoint's messages arrive in order: the next waits while an earlier one is pending a
  retry), locked with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers),
  and leased by moving `next_attempt_at` past the attempt's deadline, so no other worker sends it.
  A worker that dies mid-attempt leaves the lease to expire and the delivery is tried again.
- The HTTP request runs outside any transaction; its result is recorded in a second one.

A 2xx within WEBHOOK_TIMEOUT_SECONDS succeeds. Anything else is retried after RETRY_DELAYS (with
±10% jitter; about 32 hours in all), then the delivery is failed. An endpoint failing for
DISABLE_AFTER (no success in between) is disabled and its company emailed; a 410 Gone disables it
at once. `now` can be given, so tests drive retries with a clock instead of sleeping.
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accounts.mail import Message as Email
from accounts.mail import email_enqueue
from webhooks.models import Attempt, Delivery, Endpoint
from webhooks.safety import UnsafeTarget, target_for
from webhooks.sending import Outcome, post, signed_headers

logger = logging.getLogger("job_portal.webhooks")

RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
]
DISABLE_AFTER = timedelta(days=5)
LEASE_MARGIN = timedelta(seconds=60)


def retry_delay(tries: int, rand=random.random) -> timedelta | None:
    """The wait after the `tries`-th failed attempt, jittered by ±10%; None when retries are over."""
    if tries > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[tries - 1] * (0.9 + 0.2 * rand())


def signing_secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while its rotation overlap lasts."""
    valid = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        valid.append(endpoint.previous_secret)
    return valid


def due_deliveries(now: datetime):
    """Deliveries that may be attempted at `now`: due, endpoint active, none earlier pending for it."""
    earlier_pending = Delivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"), status=Delivery.Status.PENDING, id__lt=OuterRef("id")
    )
    return (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
        )
        .exclude(Exists(earlier_pending))
        .order_by("next_attempt_at", "id")
    )


@transaction.atomic
def delivery_claim(now: datetime) -> Delivery | None:
    """Take one due delivery for this worker (see the module docstring), or None if nothing is due."""
    delivery = (
        due_deliveries(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("endpoint__company", "message")
        .first()
    )
    if delivery is not None:
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + LEASE_MARGIN
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def delivery_attempt(delivery: Delivery, now: datetime) -> Outcome:
    """Check the address again (after DNS, connecting to the checked one) and POST the signed body."""
    endpoint, message = delivery.endpoint, delivery.message
    try:
        target = target_for(endpoint.url)
    except UnsafeTarget as error:
        return Outcome(None, f"Refused: {error}", "", 0)
    body = message.body.encode()
    return post(target, signed_headers(signing_secrets(endpoint, now), message.webhook_id, body), body)


def _endpoint_disable(endpoint: Endpoint, reason: str) -> None:
    """Disable the endpoint (once: a second worker's disable changes nothing) and email its company."""
    if not Endpoint.objects.filter(pk=endpoint.pk, active=True).update(active=False, disabled_reason=reason):
        return
    logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)
    email_enqueue(
        Email(
            subject=f"{settings.SITE_NAME}: your webhook endpoint was disabled",
            body=(
                f"Your webhook endpoint {endpoint.url} was disabled: {reason}\n\n"
                "Events are no longer sent to it. Fix the receiver, then enable the endpoint again "
                f'(PATCH /job/webhooks/{endpoint.pk} with {{"active": true}}); deliveries still '
                "pending are then sent, and failed ones can be redelivered from the delivery log.\n"
            ),
            html="",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[endpoint.company.email],
        )
    )


@transaction.atomic
def delivery_record(delivery: Delivery, outcome: Outcome, now: datetime) -> None:
    """Store the attempt and move the delivery on: succeeded, scheduled for a retry, or failed."""
    Attempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        error=outcome.error[:500],
        response_body=outcome.response_body,
        succeeded=outcome.succeeded,
    )
    endpoint = delivery.endpoint
    changes = {"attempts": F("attempts") + 1, "tries": F("tries") + 1}
    if outcome.succeeded:
        changes.update(status=Delivery.Status.SUCCEEDED, next_attempt_at=None)
        Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
    elif outcome.status_code == 410:
        changes.update(status=Delivery.Status.FAILED, next_attempt_at=None)
        _endpoint_disable(endpoint, "it answered 410 Gone.")
    else:
        delay = retry_delay(delivery.tries + 1)
        if delay is None:
            changes.update(status=Delivery.Status.FAILED, next_attempt_at=None)
        else:
            changes.update(next_attempt_at=now + delay)
        failing_since = endpoint.failing_since or now
        if endpoint.failing_since is None:
            Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
        if now - failing_since >= DISABLE_AFTER:
            _endpoint_disable(
                endpoint, f"every delivery has failed since {failing_since:%Y-%m-%d %H:%M} UTC."
            )
    Delivery.objects.filter(pk=delivery.pk).update(**changes)


def deliveries_run(*, now: datetime | None = None, limit: int = 100) -> int:
    """Attempt due deliveries one by one until none is due (or `limit`); returns the attempts made.

    With `now` every step uses that moment (tests); otherwise the clock is read before each claim.
    """
    done = 0
    while done < limit:
        moment = now or timezone.now()
        delivery = delivery_claim(moment)
        if delivery is None:
            break
        delivery_record(delivery, delivery_attempt(delivery, moment), moment)
        done += 1
    return done
