from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = (
        "Apply the retention periods (privacy/retention.py): erase candidates gone for "
        "CANDIDATE_RETENTION_DAYS (warning them a fortnight before), anonymise applications closed for "
        "APPLICATION_RETENTION_DAYS, delete access log entries older than ACCESS_LOG_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be done; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        report = retention_plan(now) if dry_run else retention_apply(now)
        for line in report.lines(dry_run=dry_run):
            self.stdout.write(line)
