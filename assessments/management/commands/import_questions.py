"""`python manage.py import_questions FILE`: load the test from a spreadsheet or CSV."""

from django.core.management.base import BaseCommand, CommandError

from assessments.services import IMPORT_COLUMNS, IMPORT_REQUIRED_COLUMNS, ImportRefused, questions_import
from helpers.sheets import SheetError, read_sheet


class Command(BaseCommand):
    help = (
        "Import questions and answers from .xlsx, .xls or .csv: one row per answer, headers "
        "'question', 'answer', 'correct' (yes/no) and optional 'position'. Question text is the "
        "key, so running it again creates nothing new. A bad file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .xlsx, .xls or .csv file")

    def handle(self, *args, file, **options):
        try:
            rows = read_sheet(file, columns=IMPORT_COLUMNS, required=IMPORT_REQUIRED_COLUMNS)
            report = questions_import(rows=rows)
        except (SheetError, ImportRefused) as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc

        for question in report.created_questions:
            self.stdout.write(f"created question #{question.position}: {question.text[:80]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(report.created_questions)} question(s) and {report.created_answers} "
                f"answer(s); {report.unchanged_answers} answer(s) already existed."
            )
        )
