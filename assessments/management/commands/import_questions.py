"""`python manage.py import_questions FILE`: load the test from a spreadsheet or CSV."""

import csv
from pathlib import Path

import openpyxl
import xlrd
from django.core.management.base import BaseCommand, CommandError

from assessments.services import ImportRefused, questions_import


def _read_xlsx(path):
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_xls(path):
    sheet = xlrd.open_workbook(path).sheet_by_index(0)
    return [sheet.row_values(index) for index in range(sheet.nrows)]


def _read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


READERS = {".xlsx": _read_xlsx, ".xls": _read_xls, ".csv": _read_csv}


class Command(BaseCommand):
    help = (
        "Import questions and answers from .xlsx, .xls or .csv: one row per answer, headers "
        "'question', 'answer', 'correct' (yes/no) and optional 'position'. Question text is the "
        "key, so running it again creates nothing new. A bad file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .xlsx, .xls or .csv file")

    def handle(self, *args, file, **options):
        path = Path(file)
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            raise CommandError(f"{path.name}: unsupported file type; use .xlsx, .xls or .csv.")
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            table = reader(path)
        except Exception as exc:  # each library has its own errors for a damaged file
            raise CommandError(f"{path.name}: cannot read the file ({exc}).") from exc
        if not table:
            raise CommandError(f"{path.name}: the file is empty.")

        try:
            report = questions_import(header=table[0], rows=enumerate(table[1:], start=2))
        except ImportRefused as exc:
            raise CommandError(f"{path.name}: {exc} Nothing was imported.") from exc

        for question in report.created_questions:
            self.stdout.write(f"created question #{question.position}: {question.text[:80]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(report.created_questions)} question(s) and {report.created_answers} "
                f"answer(s); {report.unchanged_answers} answer(s) already existed."
            )
        )
