"""`manage.py webhooks_reseal`: seal every endpoint's secrets again with the current SECRET_KEY.

After rotating SECRET_KEY (the old one kept in SECRET_KEY_FALLBACKS): once this has run, the old key
can leave SECRET_KEY_FALLBACKS without the worker losing a secret (webhooks.sealing).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from webhooks.models import Endpoint


class Command(BaseCommand):
    help = "Seal every webhook endpoint's secrets again with the current SECRET_KEY."

    def handle(self, *args, **options):
        with transaction.atomic():
            endpoints = list(Endpoint.objects.select_for_update().order_by("id"))
            for endpoint in endpoints:  # read in the clear, written sealed with today's key
                endpoint.save(update_fields=["secret", "previous_secret"])
        self.stdout.write(f"resealed the secrets of {len(endpoints)} endpoint(s)")
