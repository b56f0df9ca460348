"""Authoring the test (questions with their answers), reading candidates' answers (a recruiter:
those of the candidates they may see, accounts.recruiters), and the result on a developer's page."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django_admin_listfilter_dropdown.filters import RelatedDropdownFilter, SimpleDropdownFilter

from accounts.admin import CANDIDATE_FIELDSETS
from accounts.recruiters import CandidateRowsForRecruiters
from assessments.models import Answer, Question, UserAnswer
from assessments.selectors import assessment_summaries
from assessments.services import percent


class AnswerInlineFormSet(BaseInlineFormSet):
    """An active question must keep at least one correct answer (the database cannot check this)."""

    def clean(self):
        super().clean()
        if not self.instance.is_active:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not any(data.get("is_correct") for data in kept):
            raise ValidationError("An active question needs at least one answer marked correct.")


class AnswerInline(admin.TabularInline):
    model = Answer
    formset = AnswerInlineFormSet
    fields = ["text", "is_correct"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None else 4


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["position", "short_text", "is_active", "answer_count", "correct_count"]
    list_display_links = ["short_text"]
    list_filter = ["is_active"]
    search_fields = ["text", "answers__text"]
    ordering = ["position"]
    fields = ["text", "position", "is_active", "created_at"]
    readonly_fields = ["created_at"]
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                answer_total=Count("answers", distinct=True),
                correct_total=Count("answers", filter=Q(answers__is_correct=True), distinct=True),
            )
        )

    @admin.display(description="question", ordering="text")
    def short_text(self, obj):
        return obj.text[:100]

    @admin.display(description="answers", ordering="answer_total")
    def answer_count(self, obj):
        return obj.answer_total

    @admin.display(description="correct", ordering="correct_total")
    def correct_count(self, obj):
        return obj.correct_total


class CorrectnessFilter(SimpleDropdownFilter):
    title = "correctness"
    parameter_name = "correct"

    def lookups(self, request, model_admin):
        return [("yes", "Correct"), ("no", "Wrong")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(answer__is_correct=self.value() == "yes")
        return queryset


def _count_subquery(queryset, **count_filter):
    """A correlated COUNT for one annotation, so the changelist needs no query per row."""
    counted = (
        queryset.order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk", filter=Q(**count_filter)))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(UserAnswer)
class UserAnswerAdmin(CandidateRowsForRecruiters, admin.ModelAdmin):
    """Read-only: answers are the candidates' own record. Deleting one lets a candidate retake it."""

    list_display = ["user", "question", "answer", "is_correct", "candidate_result", "created_at"]
    list_filter = [("question", RelatedDropdownFilter), CorrectnessFilter]
    list_select_related = ["user", "question", "answer"]
    search_fields = ["user__email", "user__name", "question__text"]
    ordering = ["user_id", "question__position"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        answers_of_candidate = UserAnswer.objects.filter(user=OuterRef("user"), question__is_active=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                candidate_answered=_count_subquery(answers_of_candidate),
                candidate_correct=_count_subquery(answers_of_candidate, answer__is_correct=True),
                test_total=_count_subquery(Question.objects.filter(is_active=True)),
            )
        )

    @admin.display(boolean=True, description="correct", ordering="answer__is_correct")
    def is_correct(self, obj):
        return obj.answer.is_correct

    @admin.display(description="candidate result")
    def candidate_result(self, obj):
        return (
            f"{obj.candidate_correct}/{obj.test_total} correct, "
            f"{percent(obj.candidate_correct, obj.test_total)}% "
            f"({obj.candidate_answered} answered)"
        )


@admin.display(description="result")
def assessment_result(account) -> str:
    summary = assessment_summaries([account.pk]).get(account.pk)
    if summary is None:
        return "Not taken."
    return (
        f"{summary['correct']} of {summary['total']} correct ({summary['percent']}%), "
        f"{summary['answered']} answered"
    )


CANDIDATE_FIELDSETS.append(("Assessment", assessment_result))
