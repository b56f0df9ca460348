"""Shapes of the webhook API: endpoints (the secret only in the 201 and after a rotation) and the log."""

from rest_framework import serializers

from helpers.text import CleanCharField, CleanTextSerializerMixin, CleanURLField
from webhooks import events
from webhooks.models import Attempt, Delivery, Endpoint


class EndpointSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """An endpoint as its company reads and writes it; the URL's safety is checked by the service."""

    url = CleanURLField(max_length=2000)
    events = serializers.ListField(
        child=CleanCharField(max_length=60),
        allow_empty=False,
        max_length=len(events.EVENT_TYPES) + 1,
        help_text='Event types to receive, or ["*"] for all (docs/webhooks.md lists them).',
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "events",
            "description",
            "active",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "disabled_reason", "created_at", "updated_at"]

    def validate_events(self, value):
        problem = events.events_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return [events.ALL] if events.ALL in value else list(dict.fromkeys(value))


class EndpointWithSecretSerializer(EndpointSerializer):
    """The one time the secret is shown: in the 201 of the create (and the answer of a rotation)."""

    secret = serializers.CharField(read_only=True, help_text="whsec_... Store it now; it is not shown again.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["attempted_at", "status_code", "error", "duration_ms", "response_body"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """One row of the log; `next_attempt_at` is null once the delivery succeeded or failed for good."""

    event_type = serializers.CharField(source="message.type", read_only=True)
    webhook_id = serializers.CharField(source="message.webhook_id", read_only=True)
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_type",
            "webhook_id",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields
