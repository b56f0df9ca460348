"""What data rights need to remember: when a candidate was told their data is about to expire."""

from django.conf import settings
from django.db import models


class RetentionNotice(models.Model):
    """The warning email a candidate got before their data expires (privacy/retention.py).

    `last_seen` is the last sign-in (or the sign-up) the warning was about: the candidate is warned
    once per expiry period, and signing in starts a new period, which may be warned about again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_notice"
    )
    last_seen = models.DateTimeField()
    sent_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} warned on {self.sent_at:%Y-%m-%d}"
