"""Reads of assessment results for many candidates at once (lists of applicants, rankings)."""

from collections.abc import Collection
from typing import TypedDict

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery, Value

from assessments.models import Question, UserAnswer
from assessments.services import percent


class AssessmentSummary(TypedDict):
    """A candidate's standing on the current test: correct answers, answered and total active
    questions, and `percent` (correct of total, rounded half up, as `assessment_result_for`)."""

    correct: int
    answered: int
    total: int
    percent: int


def assessment_summaries(user_ids: Collection[int] | QuerySet | None = None) -> dict[int, AssessmentSummary]:
    """{user id: summary} for the given candidates (None: every candidate who answered): one query.

    `user_ids` may be a list of ids or a queryset of one id column (used as a subquery: thousands
    of ids in an `IN` list cost more to bind than the whole aggregate).

    Only active questions count. A candidate without an answer to an active question has not taken
    the test and is absent from the result (callers show `null`). For long lists (a full ranking of
    tens of thousands of candidates) pass None rather than the ids: grouping the whole answer table
    is cheaper than a huge `IN` list, and only candidates who answered come back.
    """
    if isinstance(user_ids, Collection) and not user_ids:
        return {}
    answers = UserAnswer.objects.filter(question__is_active=True)
    if user_ids is not None:
        answers = answers.filter(user_id__in=user_ids)
    total_active = (
        Question.objects.filter(is_active=True)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        answers.order_by()
        .values("user_id")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(answer__is_correct=True)),
            total=Subquery(total_active, output_field=IntegerField()),
        )
        .values_list("user_id", "correct", "answered", "total")
    )
    return {
        user_id: {
            "correct": correct,
            "answered": answered,
            "total": total,
            "percent": percent(correct, total),
        }
        for user_id, correct, answered, total in rows
    }
