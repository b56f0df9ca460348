"""`manage.py import_questions FILE` on good and bad .xlsx, .xls and .csv files."""

import csv
from io import StringIO

import openpyxl
import pytest
import xlwt
from django.core.management import CommandError, call_command

from assessments.models import Answer, Question
from assessments.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HEADER = ["Question ", " ANSWER", "Correct", "position"]
GOOD_ROWS = [
    ["What is 6 x 7?", "42", "yes", 1],
    ["What is 6 x 7?", "24", "no", None],
    ["Which language is Django written in?", "Python", "Yes", 2],
    ["Which language is Django written in?", "Go", "NO", None],
    ["Which language is Django written in?", "Ruby", "no", None],
]


def write_file(tmp_path, kind, rows, header=HEADER):
    path = tmp_path / f"questions.{kind}"
    if kind == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in [header, *rows]:
            sheet.append(row)
        workbook.save(path)
    elif kind == "xls":
        workbook = xlwt.Workbook()
        sheet = workbook.add_sheet("questions")
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        workbook.save(str(path))
    else:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *[["" if v is None else v for v in row] for row in rows]])
    return path


def run(path):
    out = StringIO()
    call_command("import_questions", str(path), stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(Answer.objects.values_list("question__position", "question__text", "text", "is_correct"))


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_import_creates_questions_and_answers_and_reports_them(tmp_path, kind):
    output = run(write_file(tmp_path, kind, GOOD_ROWS))
    assert snapshot() == [
        (1, "What is 6 x 7?", "24", False),
        (1, "What is 6 x 7?", "42", True),
        (2, "Which language is Django written in?", "Go", False),
        (2, "Which language is Django written in?", "Python", True),
        (2, "Which language is Django written in?", "Ruby", False),
    ]
    assert Question.objects.filter(is_active=True).count() == 2
    assert "Created 2 question(s) and 5 answer(s)" in output
    assert "What is 6 x 7?" in output


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_importing_the_same_file_twice_creates_nothing_new(tmp_path, kind):
    path = write_file(tmp_path, kind, GOOD_ROWS)
    run(path)
    before = snapshot()
    output = run(path)
    assert snapshot() == before
    assert "Created 0 question(s) and 0 answer(s); 5 answer(s) already existed" in output


def test_import_adds_missing_answers_to_an_existing_question_keyed_by_text(tmp_path):
    existing = QuestionFactory(text="What is 6 x 7?", position=9)
    AnswerFactory(question=existing, text="42", is_correct=True)
    run(write_file(tmp_path, "csv", GOOD_ROWS[:2]))
    assert Question.objects.count() == 1
    assert sorted(existing.answers.values_list("text", flat=True)) == ["24", "42"]
    assert Question.objects.get().position == 9


def test_questions_without_a_position_go_after_the_last_one(tmp_path):
    QuestionFactory(position=10)
    rows = [["New one?", "a", "yes"], ["New two?", "b", "yes"]]
    run(write_file(tmp_path, "csv", rows, header=["question", "answer", "correct"]))
    assert list(Question.objects.filter(text__startswith="New").values_list("text", "position")) == [
        ("New one?", 11),
        ("New two?", 12),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize(
    "header, rows, message",
    [
        (["question", "answer"], [["Q?", "A"]], "is missing required columns: correct"),
        (["question", "correct"], [["Q?", "yes"]], "is missing required columns: answer"),
        (
            HEADER,
            [*GOOD_ROWS, ["Orphan?", "a", "no", 3], ["Orphan?", "b", "no", None]],
            "Row 7: question 'Orphan?'",
        ),
        (HEADER, [*GOOD_ROWS[:2], ["Q?", "A", "perhaps", 5]], "Row 4: 'correct' must be yes or no"),
        (HEADER, [*GOOD_ROWS[:2], ["", "A", "yes", 5]], "Row 4: 'question' and 'answer' must not be empty"),
        (HEADER, [*GOOD_ROWS[:2], ["Q?", "A", "yes", "first"]], "Row 4: 'position' must be a positive"),
        (HEADER, [*GOOD_ROWS[:2], ["Q?", "A", "yes", 1]], "Row 4: position 1 belongs to another question"),
        (HEADER, [*GOOD_ROWS[:2], ["Q?", "A" * 1001, "yes", 3]], "Row 4: the answer is longer than 1000"),
        (HEADER, [], "no question rows"),
    ],
)
def test_a_bad_file_is_refused_naming_the_row_and_nothing_is_written(tmp_path, kind, header, rows, message):
    with pytest.raises(CommandError) as refused:
        run(write_file(tmp_path, kind, rows, header=header))
    assert message in str(refused.value)
    assert "Nothing was imported" in str(refused.value)
    assert not Question.objects.exists()
    assert not Answer.objects.exists()


def test_a_position_taken_by_an_existing_question_rolls_back_what_was_already_created(tmp_path):
    """The first question of the file is written before the second one's clash is found."""
    QuestionFactory(position=2, text="Already here?")
    with pytest.raises(CommandError, match="Row 4: position 2 belongs to another question"):
        run(write_file(tmp_path, "csv", GOOD_ROWS))
    assert list(Question.objects.values_list("text", flat=True)) == ["Already here?"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "name, message",
    [("questions.txt", "questions.txt is not a spreadsheet"), ("missing.csv", "file not found")],
)
def test_unreadable_paths_are_refused(tmp_path, name, message):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("question,answer,correct\n")
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_damaged_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="broken.xlsx is not a readable .xlsx workbook"):
        run(path)


def test_a_windows_csv_with_semicolons_is_read_like_any_other_sheet(tmp_path):
    """The shared reader (helpers.sheets) falls back to cp1252 and detects the delimiter."""
    path = tmp_path / "questions.csv"
    path.write_bytes("question;answer;correct\nQu'est-ce qu'un café ?;Une boisson;oui\n".encode("cp1252"))
    with pytest.raises(CommandError, match="'correct' must be yes or no"):
        run(path)
    path.write_bytes("question;answer;correct\nQu'est-ce qu'un café ?;Une boisson;yes\n".encode("cp1252"))

    run(path)

    assert snapshot() == [(1, "Qu'est-ce qu'un café ?", "Une boisson", True)]


def test_a_file_with_a_spreadsheet_name_but_other_content_is_refused(tmp_path):
    """The format is sniffed from the content, not trusted from the suffix."""
    path = tmp_path / "questions.xlsx"
    path.write_text("question,answer,correct\nQ?,A,yes\n")
    with pytest.raises(CommandError, match="questions.xlsx is not a spreadsheet"):
        run(path)
    assert not Question.objects.exists()
