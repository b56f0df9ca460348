"""The Celery app: workers send mail (accounts/mail.py) outside the request path.

With CELERY_BROKER_URL set (Redis), tasks go to the broker and `celery -A job_portal worker` runs
them; without it they run in-process, after the surrounding transaction commits (development, tests).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "job_portal.settings")

app = Celery("job_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
