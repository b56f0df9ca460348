"""Query parameters of the job lists (`GET /job/list`, `GET /job/`) and of `GET /job/skills`."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.fields import ChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from helpers.filters import MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, MAX_SKILLS, IdFilter, StableOrderingFilter
from helpers.skills import canonical_skill_name
from helpers.text import clean_query_text
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill, normalise_choice


class NormalisedChoiceFormField(ChoiceField):
    """Matches a choice case-insensitively, so `?hiring_needs=Part time` finds `Part Time` jobs."""

    def to_python(self, value):
        return normalise_choice(super().to_python(value), [choice for choice, _ in self.choices])


class NormalisedChoiceFilter(django_filters.ChoiceFilter):
    field_class = NormalisedChoiceFormField


class ManyValuesWidget(forms.Widget):
    """`?skill=Python&skill=Go` and `?skill=Python,Go` both give `["Python", "Go"]`."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return [part.strip() for value in raw for part in value.split(",") if part.strip()]


class SkillNamesField(forms.Field):
    widget = ManyValuesWidget

    def clean(self, value):
        value = [clean_query_text(name) for name in super().clean(value) or []]
        if len(value) > MAX_SKILLS:
            raise forms.ValidationError(f"Ask for at most {MAX_SKILLS} skills.")
        if any(len(name) > JobSkill._meta.get_field("name").max_length for name in value):
            raise forms.ValidationError("A skill name is at most 100 characters.")
        return [canonical_skill_name(name) for name in value]


@extend_schema_field(OpenApiTypes.STR)
class SkillFilter(django_filters.Filter):
    """Jobs requiring at least one of the named skills, spelled any way the skill function knows."""

    field_class = SkillNamesField

    def filter(self, qs, value):
        if not value:
            return qs
        required = JobSkill.objects.filter(job=OuterRef("pk"), name__in=value)
        return qs.filter(Exists(required))


class JobFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH)
    skill = SkillFilter(
        help_text="Jobs requiring any of these skills: `?skill=Python,Go` or `?skill=Python&skill=Go`."
    )
    hiring_needs = NormalisedChoiceFilter(choices=HiringNeeds.choices)
    current_employees = NormalisedChoiceFilter(choices=CompanySize.choices)
    status = NormalisedChoiceFilter(choices=Job.Status.choices)
    company = IdFilter(field_name="user_id")
    ordering = StableOrderingFilter(
        fields=["created_at", "updated_at", "title", "name", "hiring_needs", "current_employees"],
        tiebreak="-id",
    )

    class Meta:
        model = Job
        fields = []

    def filter_search(self, queryset, name, value):
        """Every word must appear in the title, the description or the company name (any case)."""
        for term in value.split()[:MAX_SEARCH_TERMS]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(description__icontains=term) | Q(name__icontains=term)
            )
        return queryset


class JobSkillFilter(django_filters.FilterSet):
    job = IdFilter(field_name="job_id")

    class Meta:
        model = JobSkill
        fields = []
