"""Rules of the assessment: submitting an answer, scoring a candidate, importing questions."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from assessments.models import Answer, Question, UserAnswer
from helpers.sheets import SheetRow

ALREADY_ANSWERED = "You have already answered this question."


def active_questions():
    """The test: active questions in position order."""
    return Question.objects.filter(is_active=True).order_by("position")


def user_answer_submit(*, user, question: Question, answer: Answer) -> UserAnswer:
    """Store the caller's one answer to `question`.

    The serializer already checked that the answer is one of the question's and that the caller had
    not answered; two parallel submits can still race past that check, so the unique constraint
    decides and the loser gets the same 400 instead of a 500.
    """
    try:
        with transaction.atomic():
            return UserAnswer.objects.create(user=user, question=question, answer=answer)
    except IntegrityError as exc:
        if UserAnswer.objects.filter(user=user, question=question).exists():
            raise ValidationError({"question": [ALREADY_ANSWERED]}) from exc
        raise


@dataclass(frozen=True)
class AssessmentResult:
    """A candidate's standing on the current test (active questions only).

    `score` is the percentage of all active questions answered correctly, an integer rounded half
    up (0 when there are no questions); `finished` is true once every active question is answered.
    """

    user: int
    answered: int
    correct: int
    total: int
    score: int
    finished: bool


def assessment_result_for(user) -> AssessmentResult:
    """Two queries: the number of active questions and the candidate's counts on them."""
    total = Question.objects.filter(is_active=True).count()
    counts = UserAnswer.objects.filter(user=user, question__is_active=True).aggregate(
        answered=Count("id"), correct=Count("id", filter=Q(answer__is_correct=True))
    )
    return AssessmentResult(
        user=user.pk,
        answered=counts["answered"],
        correct=counts["correct"],
        total=total,
        score=percent(counts["correct"], total),
        finished=total > 0 and counts["answered"] == total,
    )


def percent(part: int, whole: int) -> int:
    """`part` of `whole` in percent, rounded half up, with integers only (no float surprises)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


# --- Import -------------------------------------------------------------------------------------

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
IMPORT_COLUMNS = ("question", "answer", "correct", "position")
"""The sheet's headers (matched ignoring case and spaces); `position` may be left out."""
IMPORT_REQUIRED_COLUMNS = ("question", "answer", "correct")


class ImportRefused(Exception):
    """The file breaks a rule; the message names the row. Nothing has been written."""


@dataclass
class QuestionDraft:
    """A question with its answers as (row, text, is_correct), before it is written.

    `first_row` names the question in error messages (the sheet row, or 0 for code).
    """

    text: str
    first_row: int = 0
    position: int | None = None
    answers: list[tuple[int, str, bool]] = field(default_factory=list)


@dataclass
class ImportReport:
    created_questions: list[Question] = field(default_factory=list)
    created_answers: int = 0
    unchanged_answers: int = 0


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_correct(value, row: int) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ImportRefused(f"Row {row}: 'correct' must be yes or no, not {text[:40]!r}.")


def _parse_position(value, row: int) -> int | None:
    text = _cell_text(value)
    if not text:
        return None
    if not text.isdigit() or int(text) < 1 or int(text) > 2_147_483_647:
        raise ImportRefused(f"Row {row}: 'position' must be a positive whole number, not {text[:40]!r}.")
    return int(text)


def _group_rows(rows: Iterable[SheetRow]) -> list[QuestionDraft]:
    questions: dict[str, QuestionDraft] = {}
    for sheet_row in rows:
        row, values = sheet_row.number, sheet_row.values
        text, answer = _cell_text(values.get("question")), _cell_text(values.get("answer"))
        if not text or not answer:
            raise ImportRefused(f"Row {row}: 'question' and 'answer' must not be empty.")
        for name, value, model in (("question", text, Question), ("answer", answer, Answer)):
            limit = model._meta.get_field("text").max_length
            if len(value) > limit:
                raise ImportRefused(f"Row {row}: the {name} is longer than {limit} characters.")
        group = questions.setdefault(text, QuestionDraft(text=text, first_row=row))
        position = _parse_position(values.get("position"), row)
        if position is not None:
            if group.position not in (None, position):
                raise ImportRefused(f"Row {row}: this question already has position {group.position}.")
            group.position = position
        group.answers.append((row, answer, _parse_correct(values.get("correct"), row)))
    if not questions:
        raise ImportRefused("The file has no question rows.")
    return list(questions.values())


def questions_import(*, rows: Iterable[SheetRow]) -> ImportReport:
    """Create the questions and answers of a sheet read with IMPORT_COLUMNS (one row per answer)."""
    return questions_upsert(drafts=_group_rows(rows))


@transaction.atomic
def questions_upsert(*, drafts: list[QuestionDraft]) -> ImportReport:
    """Create questions and answers; idempotent. The one way questions are created in bulk.

    Every question needs a correct answer (an active question without one could not be scored).
    The question text is the key: an existing question keeps its position and flags and only gains
    the answers it lacks (matched by text). A new question takes its `position` from its draft or
    the next free one. Any broken rule raises `ImportRefused` naming the row, and the transaction
    leaves the database untouched.
    """
    groups = drafts
    for group in groups:
        if not any(correct for _, _, correct in group.answers):
            raise ImportRefused(f"Row {group.first_row}: question {group.text[:60]!r} has no correct answer.")
    existing = {q.text: q for q in Question.objects.filter(text__in=[g.text for g in groups])}
    taken = dict(
        Question.objects.filter(position__in=[g.position for g in groups if g.position]).values_list(
            "position", "text"
        )
    )
    next_position = (Question.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    wanted = [g.position for g in groups if g.text not in existing and g.position]
    next_position = max([next_position, *(p + 1 for p in wanted)])

    report = ImportReport()
    for group in groups:
        question = existing.get(group.text)
        if question is None:
            if group.position and taken.get(group.position, group.text) != group.text:
                raise ImportRefused(
                    f"Row {group.first_row}: position {group.position} belongs to another question."
                )
            if not group.position:
                group.position, next_position = next_position, next_position + 1
            taken[group.position] = group.text
            question = Question.objects.create(text=group.text, position=group.position)
            report.created_questions.append(question)
        known = set(question.answers.values_list("text", flat=True))
        for _row, text, correct in group.answers:
            if text in known:
                report.unchanged_answers += 1
                continue
            Answer.objects.create(question=question, text=text, is_correct=correct)
            known.add(text)
            report.created_answers += 1
    return report
