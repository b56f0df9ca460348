"""Recruiter search on GET /user/list: every filter is a join or an EXISTS, so one query serves any page."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema_field

from accounts.models import UserAccount
from helpers.filters import MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, MAX_SKILLS, StableOrderingFilter
from helpers.skills import canonical_skill_name
from helpers.text import clean_query_text
from profiles import models


class SkillRequirementField(forms.Field):
    """Repeated `skill` parameters, each `Name` or `Name:min_rating`, as (canonical name, min rating)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        texts = [clean_query_text(text).strip() for text in value or [] if text.strip()]
        if len(texts) > MAX_SKILLS:
            raise forms.ValidationError(f"Ask for at most {MAX_SKILLS} skills.")
        return [self._requirement(text) for text in texts]

    @staticmethod
    def _requirement(text):
        name, rating = text, 1
        if ":" in text:
            name, _, rating_text = text.rpartition(":")
            try:
                rating = int(rating_text)
            except ValueError:
                rating = 0
            if not 1 <= rating <= 10:
                raise forms.ValidationError(f"{text!r}: the minimum rating must be an integer from 1 to 10.")
        name = canonical_skill_name(name)
        if not name or len(name) > models.UserSkill._meta.get_field("name").max_length:
            raise forms.ValidationError(f"{text!r} is not a skill name.")
        return name, rating


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SkillRequirementFilter(django_filters.Filter):
    """All requirements must hold: the candidate has each skill rated at least its minimum."""

    field_class = SkillRequirementField

    def filter(self, qs, value):
        for name, min_rating in value or []:
            qs = qs.filter(
                Exists(
                    models.UserSkill.objects.filter(user=OuterRef("pk"), name=name, rating__gte=min_rating)
                )
            )
        return qs


class CandidateFilter(django_filters.FilterSet):
    skill = SkillRequirementFilter(
        help_text="Repeatable: `Python:7` (at least 7/10) or `React` (any rating); all must match."
    )
    availability_type = django_filters.ChoiceFilter(
        field_name="availabilities__availability_type", choices=models.AvailabilityType.choices
    )
    preferred_role = django_filters.ChoiceFilter(
        field_name="roles__preferred_role", choices=models.PreferredRole.choices
    )
    english_proficiency = django_filters.ChoiceFilter(
        field_name="experiences__english_proficiency", choices=models.EnglishProficiency.choices
    )
    min_years = django_filters.NumberFilter(
        field_name="experiences__years_of_experience", lookup_expr="gte", min_value=0
    )
    search = django_filters.CharFilter(
        method="search_text",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words matched, each anywhere, in the account name and the profile's names and bio.",
    )
    ordering = StableOrderingFilter(
        fields=[
            ("id", "id"),
            ("name", "name"),
            ("date_joined", "date_joined"),
            ("experiences__years_of_experience", "years_of_experience"),
        ]
    )

    class Meta:
        model = UserAccount
        fields = []

    def search_text(self, qs, name, value):
        """Every word must appear in one of the fields; one filter() call keeps a single profile join."""
        condition = Q()
        for term in value.split()[:MAX_SEARCH_TERMS]:
            condition &= (
                Q(name__icontains=term)
                | Q(profiles__first_name__icontains=term)
                | Q(profiles__last_name__icontains=term)
                | Q(profiles__bio__icontains=term)
            )
        return qs.filter(condition)
