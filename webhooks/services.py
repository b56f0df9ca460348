"""The writes of webhooks: endpoints and their secrets, and recording events into the outbox.

`event_record` is what other apps call, inside the transaction of the change that caused the event,
with `data` already shaped as the company's own API read of the object (the caller's serializers).
It writes the message and one delivery per subscribed, active endpoint; the worker sends them
(webhooks.delivery), never the request.
"""

import base64
import json
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import UserAccount
from webhooks import events
from webhooks.models import Delivery, Endpoint, Message
from webhooks.safety import UnsafeTarget, target_for
from webhooks.sending import SECRET_PREFIX
from webhooks.tasks import deliveries_wake

MAX_ENDPOINTS = 20
ROTATION_OVERLAP = timedelta(hours=24)


def secret_new() -> str:
    """`whsec_` and 32 random bytes in base64 (Standard Webhooks' secret format)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def endpoint_url_check(url: str) -> None:
    """ValidationError on `url` unless it is https and resolves to public addresses only (safety.py)."""
    try:
        target_for(url)
    except UnsafeTarget as error:
        raise ValidationError({"url": [str(error)]}) from error


@transaction.atomic
def endpoint_create(
    *, company: UserAccount, url: str, events: list[str], description: str = "", active: bool = True
) -> Endpoint:
    """A new endpoint with a fresh secret. At most MAX_ENDPOINTS per company: the company's row is
    locked first, so two parallel creates count one after the other."""
    UserAccount.objects.select_for_update().filter(pk=company.pk).first()
    if Endpoint.objects.filter(company=company).count() >= MAX_ENDPOINTS:
        raise ValidationError({"detail": [f"A company can have at most {MAX_ENDPOINTS} webhook endpoints."]})
    endpoint_url_check(url)
    return Endpoint.objects.create(
        company=company, url=url, events=events, description=description, active=active, secret=secret_new()
    )


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, **changes) -> Endpoint:
    """Change `url`, `events`, `description` or `active`. Re-enabling clears the failure record."""
    if "url" in changes and changes["url"] != endpoint.url:
        endpoint_url_check(changes["url"])
    if changes.get("active") and not endpoint.active:
        endpoint.failing_since = None
        endpoint.disabled_reason = ""
    for field, value in changes.items():
        setattr(endpoint, field, value)
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    """A new secret; the old one keeps signing for ROTATION_OVERLAP so receivers can switch over."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
    return endpoint


def _message_create(*, company_id: int, event_type: str, data: dict) -> Message:
    body = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    return Message.objects.create(
        webhook_id=f"msg_{secrets.token_urlsafe(18)}",
        company_id=company_id,
        type=event_type,
        body=json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str),
    )


@transaction.atomic
def event_record(*, company_id: int, event_type: str, data: dict | Callable[[], dict]) -> Message | None:
    """Put `event_type` with `data` in the outbox for the company's subscribed active endpoints.

    Call it inside the transaction of the change: if that rolls back, so does the event. `data` may
    be a function, called only when some endpoint subscribes (returning None: nothing to send), so
    a company without webhooks pays one query per event (the endpoints, in a savepoint) and
    nothing is written;
    three queries otherwise, plus `data`'s.
    """
    if event_type not in events.EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {event_type!r}.")
    subscribed = [
        endpoint.pk
        for endpoint in Endpoint.objects.filter(company_id=company_id, active=True).only("id", "events")
        if events.subscribed(endpoint.events, event_type)
    ]
    if not subscribed:
        return None
    if callable(data):
        data = data()
        if data is None:
            return None
    message = _message_create(company_id=company_id, event_type=event_type, data=data)
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(endpoint_id=pk, message=message, next_attempt_at=now) for pk in subscribed
    )
    deliveries_wake()
    return message


@transaction.atomic
def endpoint_test(*, endpoint: Endpoint) -> Delivery:
    """A `webhook.test` message to this endpoint only, whatever it subscribes to."""
    if not endpoint.active:
        raise ValidationError({"detail": ["The endpoint is disabled; enable it first."]})
    message = _message_create(
        company_id=endpoint.company_id,
        event_type=events.TEST,
        data={"endpoint": endpoint.pk, "description": "A test event sent from the API or the admin."},
    )
    delivery = Delivery.objects.create(endpoint=endpoint, message=message, next_attempt_at=timezone.now())
    deliveries_wake()
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Queue a finished delivery again, with the same `webhook-id` and body and a fresh set of retries.

    A delivery still pending is already on its way (a worker may be sending it right now), so it is
    refused rather than risk two concurrent sends.
    """
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if delivery.status == Delivery.Status.PENDING:
        raise ValidationError(
            {"detail": ["This delivery is still pending; it will be retried as scheduled."]}
        )
    if not delivery.endpoint.active:
        raise ValidationError({"detail": ["The endpoint is disabled; enable it first."]})
    delivery.status = Delivery.Status.PENDING
    delivery.tries = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "tries", "next_attempt_at"])
    deliveries_wake()
    return delivery
