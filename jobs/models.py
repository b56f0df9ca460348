from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


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


class Job(models.Model):
    """A job posted by a company account (`user` is the owner)."""

    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="jobs_job_status_created")]

    def __str__(self):
        return self.title


class JobSkill(models.Model):
    """A skill a job requires; `name` is canonical (helpers.skills.canonical_skill_name)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100, db_index=True)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint("job", Lower("name"), name="jobs_jobskill_unique_name"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=10), name="jobs_jobskill_rating_1_10"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.rating})"
