import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from helpers.fields import SkillNameField, UpperCodeField
from helpers.geo import Workplace, validate_country, validate_currency, validate_remote_regions


def normalise_choice(value, choices):
    """The stored spelling of `value` among the values `choices`, compared case-insensitively after trimming.

    The SPA sends `Part time` where the stored value is `Part Time` (api-contract 2.6); any value
    that matches no choice is returned unchanged so that validation can reject it.
    """
    if not isinstance(value, str):
        return value
    folded = value.strip().casefold()
    return next((choice for choice in choices if choice.casefold() == folded), value)


class HiringNeeds(models.TextChoices):
    NOT_AVAILABLE = "Not Available"
    PART_TIME = "Part Time"
    FULL_TIME = "Full Time"


class CompanySize(models.TextChoices):
    """Labelled as the API writes them (the admin showed "Medium" for `11-50`)."""

    TINY = "1-3", "1-3"
    SMALL = "4-10", "4-10"
    MEDIUM = "11-50", "11-50"
    LARGE = "51-1000", "51-1000"
    HUGE = "1000+", "1000+"


class JobStatus(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    INTERNSHIP = "internship"


class Seniority(models.TextChoices):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    PRINCIPAL = "principal"


class SalaryPeriod(models.TextChoices):
    YEAR = "year"
    MONTH = "month"
    HOUR = "hour"


def listing_day() -> datetime.date:
    """Today in UTC: a job is open through its `valid_through` day (UTC) and gone the day after."""
    return timezone.now().astimezone(datetime.UTC).date()


def open_now(prefix: str = "") -> Q:
    """An open job: status open and not past its `valid_through` day. Evaluated per query, no cron.

    `prefix` reaches the job through a relation (`"job__"` from a JobSkill).
    """
    return Q(**{f"{prefix}status": JobStatus.OPEN}) & (
        Q(**{f"{prefix}valid_through__isnull": True}) | Q(**{f"{prefix}valid_through__gte": listing_day()})
    )


class JobQuerySet(models.QuerySet):
    def open(self):
        """Jobs listed as open to everyone now (see `open_now`)."""
        return self.filter(open_now())

    def visible_to(self, user):
        """What `user` may read: every open job, plus the caller's own jobs whatever their status.

        The owner keeps seeing a closed or expired job (its detail page and skills); nobody else does.
        """
        return self.filter(open_now() | Q(user_id=user.pk))


def job_terms_errors(
    *, workplace: str, remote_regions: list, salary_min, salary_max, salary_currency: str
) -> dict[str, str]:
    """{field: message} for where, how and for how much a job says that do not fit together.

    The one home of these rules: the API's serializer and the admin's form (`Job.clean`) both ask.
    """
    errors = {}
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        errors["salary_max"] = "The highest salary must be at least the lowest (salary_min)."
    if (salary_min is not None or salary_max is not None) and not salary_currency:
        errors["salary_currency"] = "Say the salary's currency (ISO 4217, e.g. EUR)."
    if remote_regions and workplace != Workplace.REMOTE:
        errors["remote_regions"] = "Only a remote job (workplace `remote`) accepts applicants by region."
    return errors


class Job(models.Model):
    """A job posted by a company account (`user` is the owner)."""

    Status = JobStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000)
    work_email = models.EmailField(max_length=254)
    hiring_needs = models.CharField(max_length=20, choices=HiringNeeds.choices, db_index=True)
    current_employees = models.CharField(max_length=10, choices=CompanySize.choices, db_index=True)
    name = models.CharField("company name", max_length=200)
    phone = models.CharField(max_length=100, blank=True)
    website = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Where, how and for how much: all optional (the SPA sends none of them).
    workplace = models.CharField(max_length=10, choices=Workplace.choices, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    country = UpperCodeField(
        max_length=2, blank=True, default="", validators=[validate_country], help_text="ISO 3166-1 alpha-2"
    )
    remote_regions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_remote_regions],
        help_text="Countries or regions (helpers.geo.REGIONS) a remote job accepts; none: anywhere.",
    )
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = UpperCodeField(
        max_length=3, blank=True, default="", validators=[validate_currency], help_text="ISO 4217"
    )
    salary_period = models.CharField(max_length=5, choices=SalaryPeriod.choices, blank=True, default="")
    employment_type = models.CharField(max_length=12, choices=EmploymentType.choices, blank=True, default="")
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True, default="")
    valid_through = models.DateField(
        null=True, blank=True, help_text="Listed as open through this day (UTC); then only its owner sees it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="jobs_job_status_created"),
            # ?country= (and the facets): narrows a full-text match before it is ranked.
            models.Index(fields=["country", "status"], name="jobs_job_country_status"),
            # GET /job/ and /job/last: the owner's jobs, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="jobs_job_user_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hiring_needs__in=HiringNeeds.values), name="jobs_job_hiring_needs_valid"
            ),
            models.CheckConstraint(
                condition=Q(current_employees__in=CompanySize.values),
                name="jobs_job_current_employees_valid",
            ),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="jobs_job_status_valid"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__in": [*choices.values, ""]}), name=f"jobs_job_{field}_valid"
                )
                for field, choices in [
                    ("workplace", Workplace),
                    ("salary_period", SalaryPeriod),
                    ("employment_type", EmploymentType),
                    ("seniority", Seniority),
                ]
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="jobs_job_salary_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True, salary_max__isnull=True) | ~Q(salary_currency=""),
                name="jobs_job_salary_has_currency",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The admin's form checks the same rules as the API (`job_terms_errors`)."""
        errors = job_terms_errors(
            workplace=self.workplace,
            remote_regions=self.remote_regions,
            salary_min=self.salary_min,
            salary_max=self.salary_max,
            salary_currency=self.salary_currency,
        )
        if errors:
            raise ValidationError(errors)


class JobDataVersion(models.Model):
    """One row: a counter the database bumps on every write to jobs_job and jobs_jobskill.

    Triggers (migration 0006) do it, as for profiles.CandidateDataVersion: no write path can miss
    it. `GET /job/list` and `GET /job/skills` send it in their ETag (jobs.selectors).
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="jobs_jobdataversion_one_row")]

    def __str__(self):
        return f"job data version {self.version}"


class JobSkill(models.Model):
    """A skill a job requires; `name` is stored canonical by its field (helpers.fields.SkillNameField)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="skills")
    name = SkillNameField(max_length=100, db_index=True)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["job_id", "id"]
        constraints = [
            models.UniqueConstraint("job", Lower("name"), name="jobs_jobskill_unique_name"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=10), name="jobs_jobskill_rating_1_10"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="jobs_jobskill_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.name} ({self.rating})"


class Stage(models.TextChoices):
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# The company moves an application forward along this line, and may skip steps.
FORWARD_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)
OPEN_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER)


def company_moves(stage: str) -> list[str]:
    """The stages a company may move an application to from `stage`, in pipeline order.

    Forward from any open stage (skipping allowed), `rejected` from any open stage, and a rejected
    application back to `screening`. `hired` and `withdrawn` are final; only the candidate withdraws.
    """
    if stage == Stage.REJECTED:
        return [Stage.SCREENING]
    if stage not in OPEN_STAGES:
        return []
    return [*FORWARD_STAGES[FORWARD_STAGES.index(stage) + 1 :], Stage.REJECTED]


class Source(models.TextChoices):
    APPLIED = "applied"  # the candidate applied
    SOURCED = "sourced"  # a recruiter added a recommended candidate


class RejectionReason(models.TextChoices):
    SKILLS = "skills"
    EXPERIENCE = "experience"
    AVAILABILITY = "availability"
    SALARY = "salary"
    POSITION_FILLED = "position_filled"
    OTHER = "other"


class Application(models.Model):
    """A candidate in a job's hiring pipeline: one per candidate and job.

    Change `stage` only through jobs.services (it writes the ApplicationEvent in the same transaction).
    """

    Stage = Stage
    Source = Source

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.APPLIED)
    cover_note = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="jobs_application_one_per_job"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="jobs_application_stage_valid"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="jobs_application_source_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["job", "stage"], name="jobs_application_job_stage"),
            models.Index(fields=["candidate", "-created_at"], name="jobs_application_candidate"),
        ]

    def __str__(self):
        return f"Application #{self.pk} ({self.stage})"


class ApplicationEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Application history is append-only.")

    def delete(self):
        raise TypeError("Application history is append-only.")

    def notes_redact(self, replacement: str) -> int:
        """The one edit history allows: erasure (privacy/) replaces the notes about an erased person."""
        return models.QuerySet.update(self.exclude(note__in=["", replacement]), note=replacement)


class ApplicationEvent(models.Model):
    """One change of an application (its creation included): append-only history.

    `from_stage` is blank for the creation. `note` is the recruiters' own and never shown to the
    candidate. Rows are written by jobs.services in the transaction of the change and never edited.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=Stage.values), name="jobs_applicationevent_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(to_stage=Stage.REJECTED) | ~Q(reason=""),
                name="jobs_applicationevent_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.from_stage or '-'} -> {self.to_stage}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Application history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Application history is append-only.")
