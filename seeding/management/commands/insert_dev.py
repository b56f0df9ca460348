"""`manage.py insert_dev`: seed developers from a sheet, the shipped demo data, or a synthetic set."""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from helpers.postgresql.base import without_client_deadline
from helpers.sheets import SheetError
from profiles.models import CANDIDATE_DATA_TABLES
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
        "developers plus demo companies, jobs and an assessment), or generate synthetic developers "
        "(and jobs)."
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
        parser.add_argument(
            "--synthetic-jobs",
            type=int,
            metavar="M",
            help="make sure M synthetic open jobs exist (alone, or after --synthetic developers)",
        )
        parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed of --synthetic")

    def handle(self, *args, **options):
        if options["synthetic_jobs"] is not None:
            if options["synthetic_jobs"] < 0 or options["file"]:
                raise CommandError("--synthetic-jobs M needs M >= 0 and no --file")
        if options["synthetic_jobs"] is not None and options["synthetic"] is None:  # jobs alone
            count = options["synthetic_jobs"]
            created = self._synthetic_jobs(count, options["seed"])
            statistics_refresh()
            self.stdout.write(f"{created} synthetic jobs created")
            return
        if options["synthetic"] is not None:
            if options["file"]:
                raise CommandError("--synthetic and --file cannot be combined")
            if options["synthetic"] < 0:
                raise CommandError("--synthetic N needs N >= 0")
        self.jobs_created = 0
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
        if not options["dry_run"] and (report.created or report.updated or self.jobs_created):
            statistics_refresh()
        elif not options["dry_run"] and options["synthetic"] is not None:
            statistics_refresh(only_if_stale=True)
        self.stdout.write(report.summary() + suffix)

    def _run(self, options) -> ImportReport:
        if options["synthetic"] is not None:
            count = options["synthetic"]
            bar = self._progress(count)
            try:
                created = create_synthetic_developers(
                    count, options["seed"], progress=bar, on_stage=bar and bar.stage
                )
            finally:
                if bar:
                    bar.close()
            if options["synthetic_jobs"]:
                jobs = options["synthetic_jobs"]
                self.jobs_created = self._synthetic_jobs(jobs, options["seed"])
                self.stdout.write(f"jobs: created {self.jobs_created}, unchanged {jobs - self.jobs_created}")
            return ImportReport(created=created, unchanged=count - created)
        try:
            rows = read_sheet(options["file"] or DEMO_DEVELOPERS_FILE)
        except SheetError as exc:
            raise CommandError(str(exc)) from exc
        bar = self._progress(len(rows))
        try:
            report = developers_import(rows, password=options["password"], progress=bar)
        finally:
            if bar:
                bar.close()
        for number, reason in report.errors:
            self.stderr.write(f"row {number}: {reason}")
        if not options["file"]:
            self.stdout.write(demo_extras_load(password=options["password"]).summary())
        return report

    def _synthetic_jobs(self, count: int, seed: int) -> int:
        bar = self._progress(count)
        try:
            return create_synthetic_jobs(count, seed, progress=bar)
        finally:
            if bar:
                bar.close()

    def _progress(self, total: int):
        """A progress bar on stderr when it is a terminal and the job is long enough; else None."""
        if total < PROGRESS_BAR_MIN_ROWS or not self.stderr.isatty():
            return None
        return ProgressBar(self.stderr._out)


class ProgressBar:
    """rich's bar on stderr: rows done of all, rows per second, elapsed and remaining time, and the
    phases after the rows (`stage`: "indexes"), so a long index build is not a frozen bar.

    Closes itself when the rows are all done and no phase follows; `close()` ends any phase.
    """

    def __init__(self, stream):
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("rows", total=total, rate="")
        elapsed = self.bar.tasks[0].elapsed or 0
        rate = f"{done / elapsed:,.0f}/s" if elapsed else ""
        self.bar.update(self.task, completed=done, rate=rate)

    def stage(self, name: str) -> None:
        self.bar.console.print(f"{name}...")

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()


def statistics_refresh(*, only_if_stale: bool = False) -> None:
    """VACUUM (ANALYZE) on PostgreSQL after bulk writes (plain ANALYZE inside a transaction).

    ANALYZE: the planner sees the new row counts at once. Without it, on a server where autovacuum
    has not caught up (or is off), a recommendation over freshly seeded developers was planned for
    empty tables: 4.5 s instead of 0.06 s. VACUUM marks the pages all-visible, so index-only scans
    (the listed-candidates and skill-listing indexes) skip the table: at 1M candidates a count of
    GET /user/list reads 61 ms instead of 114 ms.

    `only_if_stale`: only when a candidate table has pages not yet all-visible (a synthetic run
    that creates nothing still brings a database seeded by an older insert_dev up to date).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if only_if_stale:
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relname = ANY(%s) AND relallvisible < relpages",
                [list(CANDIDATE_DATA_TABLES)],
            )
            if not cursor.fetchone()[0]:
                return
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
            return
        # Minutes at a million rows: past the statement timeout and the client deadline of requests.
        with without_client_deadline():
            cursor.execute("SET statement_timeout = 0")
            try:
                cursor.execute("VACUUM (ANALYZE)")
            finally:
                cursor.execute("RESET statement_timeout")
