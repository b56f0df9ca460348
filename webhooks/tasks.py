"""Celery's part in deliveries, when a broker is configured (CELERY_BROKER_URL).

The outbox in the database is the truth; Celery only wakes a worker sooner. After a change commits,
`deliveries_wake` enqueues `deliveries_due`; the beat schedule (settings CELERY_BEAT_SCHEDULE) runs
it every WEBHOOK_POLL_SECONDS, which sends retries when they are due and whatever a broker outage
kept from being enqueued. Without a broker (Celery's eager mode)
nothing runs here, so no delivery ever runs inside a web request: `manage.py webhooks_worker`
polls the database instead (scripts/run starts it).
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from webhooks.delivery import deliveries_run

logger = logging.getLogger("job_portal.webhooks")


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def _enqueue(**options) -> None:
    try:
        deliveries_due.apply_async(**options)
    except Exception as error:  # noqa: BLE001 - a broker outage must not fail the change; the beat catches up
        logger.warning("could not enqueue webhook deliveries (the periodic run will send them): %s", error)


def deliveries_wake() -> None:
    """After the surrounding transaction commits, have a Celery worker send what is due (broker only)."""
    if broker_configured():
        transaction.on_commit(_enqueue)


@shared_task(acks_late=True)
def deliveries_due() -> int:
    """Send every delivery that is due now; returns how many attempts were made."""
    return deliveries_run()
