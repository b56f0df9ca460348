from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from helpers.fields import SkillNameField


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
    TINY = "1-3"
    SMALL = "4-10"
    MEDIUM = "11-50"
    LARGE = "51-1000"
    HUGE = "1000+"


class JobStatus(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may read: every open job, plus the caller's own jobs whatever their status.

        The owner keeps seeing a closed job (its detail page and skills); nobody else does.
        """
        return self.filter(Q(status=Job.Status.OPEN) | Q(user_id=user.pk))


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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="jobs_job_status_created"),
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
        ]

    def __str__(self):
        return self.title


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
