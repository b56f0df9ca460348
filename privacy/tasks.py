"""The daily retention run for Celery beat (CELERY_BEAT_SCHEDULE in settings, with a broker only)."""

import logging

from celery import shared_task
from django.utils import timezone

from privacy.retention import retention_apply

logger = logging.getLogger("job_portal.privacy")


@shared_task
def retention_run() -> None:
    for line in retention_apply(timezone.now()).lines():
        logger.info("retention: %s", line)
