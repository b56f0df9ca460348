"""Query parameters of the job lists (`GET /job/list`, `GET /job/`, `GET /job/facets`,
`GET /job/recommended`) and of `GET /job/skills`. Matching and ranking live in jobs/search.py."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django_filters.fields import ChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from helpers.filters import MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, MAX_SKILLS, IdFilter, StableOrderingFilter
from helpers.geo import COUNTRIES, CURRENCIES
from helpers.skills import canonical_skill_name
from helpers.text import clean_query_text
from jobs import search
from jobs.models import (
    CompanySize,
    EmploymentType,
    HiringNeeds,
    Job,
    JobSkill,
    Seniority,
    Workplace,
    normalise_choice,
)


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


class CodeFormField(forms.CharField):
    """`?country=de` -> `DE`; a code outside `codes` is a 400 naming the parameter."""

    def __init__(self, *, codes=frozenset(), kind="", **kwargs):
        self.codes, self.kind = codes, kind
        super().__init__(**kwargs)

    def clean(self, value):
        value = clean_query_text(super().clean(value) or "").strip().upper()
        if value and value not in self.codes:
            raise forms.ValidationError(f"Not an {self.kind} code.")
        return value


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(django_filters.CharFilter):
    field_class = CodeFormField


def country_filter(**kwargs):
    return CodeFilter(codes=COUNTRIES, kind="ISO 3166-1 alpha-2 country", **kwargs)


class RelevanceOrderingFilter(StableOrderingFilter):
    """The job orderings plus `relevance` (best `?q=` match first; JobFilter applies it)."""

    def build_choices(self, fields, labels):
        return [*super().build_choices(fields, labels), ("relevance", "Relevance")]

    def filter(self, qs, value):
        return qs if value and "relevance" in value else super().filter(qs, value)


class JobFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("salary_min") is not None and not cleaned.get("currency"):
            self.add_error("currency", "Say the currency of salary_min (ISO 4217, e.g. EUR).")
        return cleaned


class JobFilter(django_filters.FilterSet):
    """The job lists' filters; `?q=` is ranked by relevance unless another `ordering` is asked for."""

    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Full text over title, skills, company name and description (stemmed, every word).",
    )
    workplace = django_filters.ChoiceFilter(choices=Workplace.choices)
    country = country_filter(help_text="ISO 3166-1 alpha-2, e.g. DE.")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", max_length=100)
    remote_from = country_filter(
        method="filter_remote_from", help_text="Remote jobs accepting applicants living in this country."
    )
    salary_min = django_filters.NumberFilter(
        method="filter_salary_min",
        min_value=0,
        max_value=2**31 - 1,
        help_text="Jobs whose salary range reaches this amount, in `currency` (required with it).",
    )
    currency = CodeFilter(codes=CURRENCIES, kind="ISO 4217 currency", method="filter_currency")
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    seniority = django_filters.ChoiceFilter(choices=Seniority.choices)
    posted_since = django_filters.DateFilter(
        method="filter_posted_since", help_text="A date, e.g. 2026-12-01."
    )
    search = django_filters.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH)
    skill = SkillFilter(
        help_text="Jobs requiring any of these skills: `?skill=Python,Go` or `?skill=Python&skill=Go`."
    )
    hiring_needs = NormalisedChoiceFilter(choices=HiringNeeds.choices)
    current_employees = NormalisedChoiceFilter(choices=CompanySize.choices)
    status = NormalisedChoiceFilter(choices=Job.Status.choices)
    company = IdFilter(field_name="user_id")
    ordering = RelevanceOrderingFilter(
        fields=["created_at", "updated_at", "title", "name", "hiring_needs", "current_employees"],
        tiebreak="-id",
    )

    class Meta:
        model = Job
        fields = []
        form = JobFilterForm

    @property
    def qs(self):
        """Filtered; ranked by relevance when `q` is given and no other ordering is asked for."""
        queryset = super().qs
        text = self.form.cleaned_data.get("q") if self.is_bound and self.form.is_valid() else None
        ordering = self.form.cleaned_data.get("ordering") if text else None
        if text and (not ordering or "relevance" in ordering):
            queryset = search.by_relevance(queryset, text)
        return queryset

    def filter_q(self, queryset, name, value):
        return search.searched(queryset, value, country=self.form.cleaned_data.get("country") or "")

    def filter_remote_from(self, queryset, name, value):
        return queryset.filter(search.accepts_applicants_from(value))

    def filter_salary_min(self, queryset, name, value):
        """The top of the range (or its only end) reaches `value`, in `?currency=` (checked by the form)."""
        currency = self.form.cleaned_data.get("currency")
        return queryset.annotate(salary_top=Coalesce("salary_max", "salary_min")).filter(
            salary_top__gte=value, salary_currency=currency
        )

    def filter_currency(self, queryset, name, value):
        """With `salary_min` the currency is part of that filter; alone, jobs paying in it."""
        if self.form.cleaned_data.get("salary_min") is not None:
            return queryset
        return queryset.filter(salary_currency=value)

    def filter_posted_since(self, queryset, name, value):
        """Posted on or after that day (UTC); a bound on the indexed `created_at`."""
        start = datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC)
        return queryset.filter(created_at__gte=start)

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
