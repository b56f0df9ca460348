"""Outbound webhooks: a company's endpoints, the outbox of messages, and each delivery's attempts.

A `Message` is written in the same transaction as the change it reports (webhooks.services
`event_record`), with one `Delivery` per endpoint subscribed to it; the worker (webhooks.delivery)
sends deliveries from the database, so a rolled-back change sends nothing and a broker outage
loses nothing. The database is the truth: every attempt is a row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from webhooks.sealing import SealedSecretField


class Endpoint(models.Model):
    """A URL of a company that receives the events it subscribes to, signed with its secret.

    For 24 hours after a rotation `previous_secret` signs too, so receivers can switch without
    losing a message. Both are sealed at rest (webhooks.sealing). `failing_since` is the first
    failure since the last success: five days of failures disable the endpoint (webhooks.delivery).
    """

    company = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text='Event types, or ["*"] for all.')
    description = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    secret = SealedSecretField(editable=False)
    previous_secret = SealedSecretField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["company", "active"], name="webhooks_endpoint_company")]
        constraints = [models.CheckConstraint(condition=~Q(secret=""), name="webhooks_endpoint_has_secret")]

    def __str__(self):
        return self.url


class Message(models.Model):
    """One event as sent: `webhook_id` is the same on every attempt; `body` is the exact JSON signed."""

    webhook_id = models.CharField(max_length=40, unique=True)
    company = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=60, db_index=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"{self.type} {self.webhook_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Delivery(models.Model):
    """A message on its way to one endpoint.

    `next_attempt_at` is when a worker may try it (a claimed delivery has it pushed past the
    attempt's deadline, so no other worker takes it); None once it succeeded or failed for good.
    `attempts` counts every attempt shown in the log; `tries` those since it was last queued, which
    pick the retry delay.
    """

    Status = DeliveryStatus

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    tries = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The worker's claim: each endpoint's oldest pending delivery, when due.
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
            models.Index(fields=["endpoint", "status", "id"], name="webhooks_delivery_endpoint"),
        ]
        constraints = [
            models.UniqueConstraint("endpoint", "message", name="webhooks_delivery_once_per_endpoint"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhooks_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.PENDING) | Q(next_attempt_at__isnull=True),
                name="webhooks_delivery_done_not_scheduled",
            ),
        ]

    def __str__(self):
        return f"{self.message} -> {self.endpoint}"


class Attempt(models.Model):
    """One HTTP request of a delivery: its status code or error, duration and the response's first KB."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response_body = models.CharField(max_length=1024, blank=True)
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["delivery_id", "id"]

    def __str__(self):
        return f"{self.status_code or self.error} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
