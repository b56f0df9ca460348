"""Settings of the work done outside the web request: Celery (mail), webhooks, data retention.

`settings` imports every name; kept apart so settings.py stays a page a newcomer can read.
"""

from datetime import timedelta

import environ

from job_portal.environment import strict_bool

env = environ.Env()

# --- Mail delivery (Celery) -------------------------------------------------------------------
# With a broker, workers send mail and retry; without, tasks run in-process after commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="job_portal")
# A worker killed mid-send leaves the message on the broker for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# SMTP errors and timeouts are retried with exponential backoff (EMAIL_RETRY_BACKOFF_SECONDS x 2^n,
# jittered, at most 10 minutes apart); a message still failing after EMAIL_MAX_RETRIES is kept in
# the database (accounts.FailedEmail) with the error, for the admin's "resend" action.
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=5)
EMAIL_RETRY_BACKOFF_SECONDS = env.float("EMAIL_RETRY_BACKOFF_SECONDS", default=10)

# --- Outbound webhooks (webhooks/, docs/webhooks.md) ----------------------------------------------
# Receivers must be https on public addresses; true lifts both (tests, on-premise receivers).
WEBHOOK_ALLOW_PRIVATE = strict_bool(env, "WEBHOOK_ALLOW_PRIVATE", default=False)
# One attempt's whole deadline (connect, send, answer); a 2xx later than this is a failure.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# How often `manage.py webhooks_worker` and the Celery beat look for due deliveries.
WEBHOOK_POLL_SECONDS = env.float("WEBHOOK_POLL_SECONDS", default=2)
CELERY_BEAT_SCHEDULE = {
    "webhook-deliveries": {"task": "webhooks.tasks.deliveries_due", "schedule": WEBHOOK_POLL_SECONDS}
}

# --- Data rights (privacy/, docs/data-rights.md) -----------------------------------------------
# How long data is kept (privacy/retention.py, `manage.py privacy_retention`): a candidate who has not
# signed in for CANDIDATE_RETENTION_DAYS is erased (warned by email a fortnight before), a closed
# application loses its cover note and notes after APPLICATION_RETENTION_DAYS, ledger entries go after
# ACCESS_LOG_RETENTION_DAYS.
CANDIDATE_RETENTION_DAYS = env.int("CANDIDATE_RETENTION_DAYS", default=730)
APPLICATION_RETENTION_DAYS = env.int("APPLICATION_RETENTION_DAYS", default=365)
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=400)
if CELERY_BROKER_URL:
    # `celery -A job_portal beat` runs it daily; without a broker, cron runs the management command.
    CELERY_BEAT_SCHEDULE["privacy-retention"] = {
        "task": "privacy.tasks.retention_run",
        "schedule": timedelta(days=1),
    }
