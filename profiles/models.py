"""A candidate's sections (one row each, except education and skills) and a company's profile.

The SPA reads each one-per-user section as an array and shows element [0]; the unique constraint
on `user` makes that the only element (api-contract 7.10).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from helpers.fields import SkillNameField, UpperCodeField
from helpers.geo import Workplace, validate_countries, validate_currency


class EnglishProficiency(models.TextChoices):
    GREAT = "Great"
    AVERAGE = "Average"
    BASIC = "Basic"


class AvailabilityType(models.TextChoices):
    NOT_AVAILABLE = "Not Available"
    PART_TIME = "Part Time"
    FULL_TIME = "Full Time"
    PRE_FULL_TIME = "Pre FullTime"


class ReadyToStart(models.TextChoices):
    NOW = "now"
    ONE_WEEK = "in 1 week"
    TWO_WEEKS = "in 2 weeks"
    ONE_MONTH = "in 1 month"
    LATER = "more than 1 month"


class PreferredRole(models.TextChoices):
    WEB_FRONTEND = "Web Frontend"
    WEB_BACKEND = "Web Backend"
    FULLSTACK_BE = "Fullstack (BE Heavy)"
    FULLSTACK_FE = "Fullstack (FE Heavy)"
    MOBILE = "Mobile"
    MACHINE_LEARNING = "Machine Learning"
    DEVOPS = "DevOps"
    OTHER = "Other"


class OwnedRow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def _one_per_user(name):
    return models.UniqueConstraint(fields=["user"], name=name)


def _picture_field(folder):
    """A stored picture or thumbnail: written only by profiles.pictures (never by a form or a body)."""
    return models.FileField(upload_to=f"{folder}/", blank=True, editable=False, max_length=255)


class Profile(OwnedRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=5000, blank=True)
    github_link = models.CharField(max_length=255, blank=True)
    linkedin_link = models.CharField(max_length=255, blank=True)
    photo = _picture_field("photos")
    photo_thumbnail = _picture_field("photos")

    class Meta:
        constraints = [_one_per_user("profiles_profile_one_per_user")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Experience(OwnedRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiences")
    years_of_experience = models.PositiveSmallIntegerField()
    years_of_remote_experience = models.PositiveSmallIntegerField()
    english_proficiency = models.CharField(max_length=20, choices=EnglishProficiency.choices)

    class Meta:
        constraints = [
            _one_per_user("profiles_experience_one_per_user"),
            models.CheckConstraint(
                condition=Q(years_of_experience__lte=60)
                & Q(years_of_remote_experience__lte=F("years_of_experience")),
                name="profiles_experience_years_valid",
            ),
        ]
        indexes = [models.Index(fields=["english_proficiency"]), models.Index(fields=["years_of_experience"])]

    def __str__(self):
        return f"{self.years_of_experience} years, English {self.english_proficiency}"


class Availability(OwnedRow):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availabilities"
    )
    availability_type = models.CharField(max_length=20, choices=AvailabilityType.choices, db_index=True)
    ready_to_start_in = models.CharField(max_length=20, choices=ReadyToStart.choices)

    class Meta:
        constraints = [_one_per_user("profiles_availability_one_per_user")]
        verbose_name_plural = "availabilities"

    def __str__(self):
        return f"{self.availability_type}, ready {self.ready_to_start_in}"


class RoleSalary(OwnedRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    preferred_role = models.CharField(max_length=30, choices=PreferredRole.choices, db_index=True)
    current_salary = models.CharField(max_length=100, blank=True)
    # Preferences for jobs for me (GET /job/recommended ranks jobs outside them lower; the SPA sends none).
    preferred_workplace = models.CharField(max_length=10, choices=Workplace.choices, blank=True, default="")
    preferred_countries = models.JSONField(default=list, blank=True, validators=[validate_countries])
    min_salary = models.PositiveIntegerField(null=True, blank=True)
    min_salary_currency = UpperCodeField(
        max_length=3, blank=True, default="", validators=[validate_currency], help_text="ISO 4217"
    )

    class Meta:
        constraints = [
            _one_per_user("profiles_rolesalary_one_per_user"),
            models.CheckConstraint(
                condition=Q(preferred_workplace__in=[*Workplace.values, ""]),
                name="profiles_rolesalary_preferred_workplace_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_salary__isnull=True) | ~Q(min_salary_currency=""),
                name="profiles_rolesalary_min_salary_has_currency",
            ),
        ]
        verbose_name = "role and salary"
        verbose_name_plural = "roles and salaries"

    def __str__(self):
        return self.preferred_role


class Education(OwnedRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="educations")
    degree = models.CharField(max_length=255)
    college = models.CharField(max_length=255)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="profiles_education_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.degree}, {self.college}"


class UserSkill(OwnedRow):
    """A candidate's skill; `name` is stored canonical by its field (helpers.fields.SkillNameField)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills")
    name = SkillNameField(max_length=100)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # Recruiter search asks "has skill X rated at least N" (GET /user/list?skill=X:N).
            models.Index(fields=["name", "rating"], name="profiles_userskill_name_rating"),
            # GET /user/user_skills/list reads every row in (user, id) order: on PostgreSQL an
            # index-only scan without a sort (40 ms against 103 ms for 110,000 rows).
            models.Index(
                fields=["user", "id"], include=["name", "rating"], name="profiles_userskill_listing"
            ),
        ]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="profiles_userskill_unique_name"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=10), name="profiles_userskill_rating_1_10"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.rating})"


class Company(OwnedRow):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(max_length=200)
    about = models.TextField(max_length=5000, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=255, blank=True)
    website = models.CharField(max_length=255, blank=True)
    linkedin_link = models.CharField(max_length=255, blank=True)
    twitter_link = models.CharField(max_length=255, blank=True)
    logo = _picture_field("logos")
    logo_thumbnail = _picture_field("logos")
    contact_public = models.BooleanField(
        default=False,
        help_text="Show the jobs' work email and phone, and the company's phone and address, publicly.",
    )

    class Meta:
        constraints = [_one_per_user("profiles_company_one_per_user")]
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name


CANDIDATE_DATA_TABLES = (
    "accounts_useraccount",
    "profiles_profile",
    "profiles_experience",
    "profiles_availability",
    "profiles_rolesalary",
    "profiles_userskill",
)
"""The tables the recruiter lists (GET /user/list, GET /user/user_skills/list) read, filters included."""


class CandidateDataVersion(models.Model):
    """One row: a counter that the database bumps on every write to `CANDIDATE_DATA_TABLES`.

    Database triggers (migration 0006) do the bumping, so no write path can miss it: the API, the
    admin, `insert_dev` and its bulk INSERTs, `QuerySet.update()`, cascading deletes, raw SQL. On
    PostgreSQL the triggers run once per statement, on SQLite once per row; either way the bump
    commits (or rolls back) with the write. The recruiter lists send it in their ETag.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="profiles_candidatedataversion_one_row")
        ]

    def __str__(self):
        return f"candidate data version {self.version}"


CANDIDATE_DATA_VERSION_LOCK = """PERFORM 1 FROM profiles_candidatedataversion WHERE id = 1 FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO profiles_candidatedataversion (id, version) VALUES (1, 0)
            ON CONFLICT (id) DO UPDATE SET version = profiles_candidatedataversion.version;
        END IF;"""
"""PL/pgSQL that locks the version row (made again after a flush): the triggers keeping an index of
the candidates (profiles.holders, profiles.listed) take it before their own rows, and every candidate
write's version trigger takes it anyway, so those writers queue in one place and cannot deadlock."""
