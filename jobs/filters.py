"""Query parameters of the job lists (`GET /job/list`, `GET /job/`) and of `GET /job/skills`."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django_filters.fields import ChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from helpers.skills import canonical_skill_name
from helpers.text import clean_query_text
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill, normalise_choice

MAX_SKILLS = 20
MAX_SEARCH_TERMS = 10


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
        return [canonical_skill_name(name).lower() for name in value]


@extend_schema_field(OpenApiTypes.STR)
class SkillFilter(django_filters.Filter):
    """Jobs requiring at least one of the named skills, spelled any way the skill function knows."""

    field_class = SkillNamesField

    def filter(self, qs, value):
        if not value:
            return qs
        required = JobSkill.objects.annotate(lower_name=Lower("name")).filter(
            job=OuterRef("pk"), lower_name__in=value
        )
        return qs.filter(Exists(required))


class IdField(forms.IntegerField):
    """A database id: a whole number that fits a 64-bit key, so the query never overflows."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """`?company=7`; `7.5`, `abc` or an id beyond any key is a 400."""

    field_class = IdField


class StableOrderingFilter(django_filters.OrderingFilter):
    """The chosen ordering, with the id as the last key so pages never overlap or skip rows."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        return qs.order_by(*ordering, "-id") if ordering else qs


class JobFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=200)
    skill = SkillFilter(
        help_text="Jobs requiring any of these skills: `?skill=Python,Go` or `?skill=Python&skill=Go`."
    )
    hiring_needs = NormalisedChoiceFilter(choices=HiringNeeds.choices)
    current_employees = NormalisedChoiceFilter(choices=CompanySize.choices)
    status = NormalisedChoiceFilter(choices=Job.Status.choices)
    company = IdFilter(field_name="user_id")
    ordering = StableOrderingFilter(
        fields=["created_at", "updated_at", "title", "name", "hiring_needs", "current_employees"]
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
