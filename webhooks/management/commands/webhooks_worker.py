"""`manage.py webhooks_worker`: send due webhook deliveries from the database, polling.

For deployments without a Celery broker (scripts/run starts it beside runserver); with one, the
Celery beat does the same. Several may run at once (webhooks.delivery claims each delivery once).
SIGTERM or Ctrl-C stops it between attempts.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from webhooks.delivery import deliveries_run


class Command(BaseCommand):
    help = "Send due webhook deliveries, polling the database every WEBHOOK_POLL_SECONDS."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args, once=False, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while True:
            sent = deliveries_run()
            if sent:
                self.stdout.write(f"webhooks: {sent} attempt(s)")
            if once or stop.wait(settings.WEBHOOK_POLL_SECONDS):
                return
            close_old_connections()  # between passes, as Django does between requests
