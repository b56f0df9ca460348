"""manage.py picture_orphans [--delete] [--min-age-minutes N]: stored pictures that no row names."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from profiles.pictures import files_delete, orphan_files


class Command(BaseCommand):
    help = (
        "List the stored photo and logo files that no profile or company references (one name a line), "
        "or remove them with --delete. Files younger than --min-age-minutes are left alone: they may "
        "belong to an upload whose transaction has not committed yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove the files listed")
        parser.add_argument(
            "--min-age-minutes", type=int, default=60, help="ignore younger files (default 60)"
        )

    def handle(self, *args, delete, min_age_minutes, **options):
        orphans = orphan_files(min_age=timedelta(minutes=min_age_minutes))
        for name in orphans:
            self.stdout.write(name)
        if delete:
            files_delete(orphans)
        verb = "deleted" if delete else "found"
        self.stderr.write(f"{len(orphans)} orphan picture file(s) {verb}.")
