"""The event types a company can subscribe an endpoint to (docs/webhooks.md describes each `data`)."""

ALL = "*"
TEST = "webhook.test"

EVENT_TYPES = {
    "application.created": "A candidate applied, or a recruiter sourced a candidate for a job.",
    "application.stage_changed": "An application moved to another stage (data has from, to, reason).",
    "application.hired": "An application reached `hired` (sent with application.stage_changed).",
    "application.rejected": "An application was rejected (sent with application.stage_changed).",
    "application.withdrawn": "The candidate withdrew an application.",
    "job.created": "A job was posted.",
    "job.updated": "A job's fields changed (closing it sends job.closed instead).",
    "job.closed": "A job's status became closed.",
    "candidate.erased": "A candidate's data was erased; data lists the affected application ids.",
}


def subscribed(events: list[str], event_type: str) -> bool:
    """Does an endpoint listening to `events` get `event_type`? `webhook.test` goes only where asked."""
    return event_type != TEST and (ALL in events or event_type in events)


def events_problem(value) -> str | None:
    """Why `value` is not a valid subscription list (None if it is): a non-empty list of known names."""
    if not isinstance(value, list) or not value or not all(isinstance(name, str) for name in value):
        return 'A non-empty list of event types, or ["*"] for all.'
    unknown = [name for name in value if name != ALL and name not in EVENT_TYPES]
    if unknown:
        return f"Unknown event types: {', '.join(unknown)}. Known: *, {', '.join(EVENT_TYPES)}."
    return None
