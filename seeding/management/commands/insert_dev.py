"""`manage.py insert_dev`: seed developers from a sheet, the shipped demo data, or a synthetic set."""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from helpers.sheets import SheetError
from seeding.demo import DEMO_DEVELOPERS_FILE, demo_extras_load
from seeding.importer import DEFAULT_PASSWORD, ImportReport, developers_import
from seeding.sheet import read_sheet
from seeding.synthetic import create_synthetic_developers
from seeding.synthetic_jobs import create_synthetic_jobs

PROGRESS_BAR_MIN_ROWS = 200
"""Shorter imports finish before a bar would be worth drawing."""


class Command(BaseCommand):
    help = (
        "Create or update developers from an .xlsx, .xls or .csv sheet (default: the shipped demo "
        "developers plus demo companies, jobs and an assessment), or generate synthetic developers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", help="sheet to import (.xlsx, .xls or .csv)")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of accounts created now (default {DEFAULT_PASSWORD!r}); others keep theirs",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
        parser.add_argument("--strict", action="store_true", help="fail and write nothing if any row is bad")
        parser.add_argument("--synthetic", type=int, metavar="N", help="generate N synthetic developers")
        parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed of --synthetic")
        parser.add_argument("--synthetic-jobs", type=int, metavar="N", help="generate N synthetic open jobs")

    def handle(self, *args, **options):
        if options["synthetic_jobs"] is not None:  # alone: seeding/synthetic_jobs.py
            if options["synthetic_jobs"] < 0 or options["file"] or options["synthetic"] is not None:
                raise CommandError("--synthetic-jobs N needs N >= 0 and no --file or --synthetic")
            count = options["synthetic_jobs"]
            created = create_synthetic_jobs(count, options["seed"], progress=self._progress(count))
            statistics_refresh()
            self.stdout.write(f"{created} synthetic jobs created")
            return
        if options["synthetic"] is not None:
            if options["file"]:
                raise CommandError("--synthetic and --file cannot be combined")
            if options["synthetic"] < 0:
                raise CommandError("--synthetic N needs N >= 0")
        all_or_nothing = options["dry_run"] or options["strict"]
        with transaction.atomic() if all_or_nothing else nullcontext():
            report = self._run(options)
            failed = options["strict"] and report.skipped
            if options["dry_run"] or failed:
                transaction.set_rollback(True)
        if failed:
            raise CommandError(
                f"{report.skipped} bad rows with --strict: nothing written ({report.summary()})"
            )
        suffix = " (dry run: nothing written)" if options["dry_run"] else ""
        if not options["dry_run"] and (report.created or report.updated):
            statistics_refresh()
        self.stdout.write(report.summary() + suffix)

    def _run(self, options) -> ImportReport:
        if options["synthetic"] is not None:
            count = options["synthetic"]
            created = create_synthetic_developers(count, options["seed"], progress=self._progress(count))
            return ImportReport(created=created, unchanged=count - created)
        try:
            rows = read_sheet(options["file"] or DEMO_DEVELOPERS_FILE)
        except SheetError as exc:
            raise CommandError(str(exc)) from exc
        report = developers_import(rows, password=options["password"], progress=self._progress(len(rows)))
        for number, reason in report.errors:
            self.stderr.write(f"row {number}: {reason}")
        if not options["file"]:
            self.stdout.write(demo_extras_load(password=options["password"]).summary())
        return report

    def _progress(self, total: int):
        """A progress bar on stderr when it is a terminal and the job is long enough; else None."""
        if total < PROGRESS_BAR_MIN_ROWS or not self.stderr.isatty():
            return None
        return ProgressBar(self.stderr)


class ProgressBar:
    """`[#####-----]  50% 500/1000` redrawn in place; plain text (stderr is styled as errors by default)."""

    WIDTH = 40

    def __init__(self, stream):
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // total
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"\r[{bar}] {percent:3d}% {done}/{total}"
        self.stream.write(line, style_func=str, ending="\n" if done == total else "")
        self.stream.flush()


def statistics_refresh() -> None:
    """ANALYZE on PostgreSQL after bulk writes, so the planner sees the new row counts at once.

    Without it, on a server where autovacuum has not caught up (or is off), a recommendation over
    freshly seeded developers was planned for empty tables: 4.5 s instead of 0.06 s.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
