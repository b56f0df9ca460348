"""Reads of the hiring pipeline: whose applications an account manages or reads, and a job's
applicants scored by the recommendation engine (jobs.ranking), in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Abs, Coalesce

from accounts.models import UserAccount, active_candidate
from assessments.selectors import AssessmentSummary, assessment_summaries
from helpers.recommend import JobRequirements, Match
from jobs.contact import shares_contact
from jobs.models import Application, ApplicationEvent, JobSkill
from jobs.ranking import (
    ASSESSMENT_BY_ID_LIMIT,
    Encode,
    RankedPrefix,
    as_is,
    job_for_ranking,
    scorer_inputs,
    scores_for_candidates,
)
from jobs.serializers import applicant_items
from jobs.topk import FIRST_READ, bound_of

ACTIVE_CANDIDATE = active_candidate("candidate__")
APPLICANT_ORDERINGS = ("-rate", "rate", "created_at", "-created_at", "updated_at")


def applications_of_active_candidates():
    """Applications whose candidate is an active developer: a deactivated candidate's disappear.

    Whether the candidate is searchable does not matter: companies they applied to still see them.
    """
    return Application.objects.filter(ACTIVE_CANDIDATE)


def applications_managed_by(user):
    """Applications a company (or a recruiter acting for it) may move: those of its own jobs.

    Portal staff manage every job's applications.
    """
    applications = applications_of_active_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(job__user_id=user.pk)


def applications_readable_by(user):
    """An application's history is for the candidate who applied and whoever manages the job."""
    applications = applications_of_active_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(Q(job__user_id=user.pk) | Q(candidate_id=user.pk))


def events_of(application: Application):
    return ApplicationEvent.objects.filter(application=application).order_by("created_at", "id")


class Applicant(NamedTuple):
    """One application with its candidate, scored for the job like POST /user/recommend/list."""

    application_id: int
    stage: str
    source: str
    created_at: object
    updated_at: object
    candidate_id: int
    name: str
    email: str | None
    """None unless the candidate shared their contact details with the company (jobs.contact)."""
    phone: str | None
    skills: list[tuple[str, int]]
    rate: int
    explanation: dict


class Applicants(NamedTuple):
    """A job's applicants (`rows`, to page) and how to shape the shown ones."""

    job_id: int
    rows: list[Applicant]

    def assessments(self, shown: Sequence[Applicant]) -> dict[int, AssessmentSummary]:
        """Assessment summaries of the shown applicants: one query (a subquery for long lists)."""
        if len(shown) <= ASSESSMENT_BY_ID_LIMIT:
            return assessment_summaries([applicant.candidate_id for applicant in shown])
        applicants = applications_of_active_candidates().filter(job_id=self.job_id)
        return assessment_summaries(applicants.values("candidate_id"))

    def items(self, shown: Sequence[Applicant], encode: Encode = as_is) -> list[dict]:
        """The items of GET /job/<id>/applications; `encode` runs once per distinct explanation."""
        return applicant_items(shown, self.assessments(shown), encode)


def job_applicants(
    *,
    job_id: int,
    viewer: UserAccount,
    stage: str | None = None,
    ordering: str = "-rate",
    application_id: int | None = None,
    top: int | None = None,
) -> Applicants | None:
    """The applicants (active candidates) of the viewer's job (staff: any job), scored and sorted.

    Three queries whatever their number: the job with its skills; the applications with their
    candidate, profile phone and whether the candidate shared their contact details with the job's
    company; the candidates' skills and availability. Scoring is pure Python; ties keep application
    id order. Portal staff see every email and phone. None when the job is not the viewer's.
    `application_id` narrows it to one application (a webhook event's data, jobs.webhook_events).
    With `top` (a page's offset + limit), `rows` holds the first `top` and its `len()` is the whole
    list's: two queries more (the count, the page's applications by the order asked), and only the
    applicants who could reach the page are read and scored (`page_of_applicants`).
    """
    job = job_for_ranking(job_id, viewer=viewer)
    if job is None:
        return None
    applications = applications_of_active_candidates().filter(job_id=job_id)
    if application_id is not None:
        applications = applications.filter(pk=application_id)
    if stage:
        applications = applications.filter(stage=stage)
    if top is not None and ordering != "rate":
        return page_of_applicants(job, applications, viewer, ordering=ordering, top=top)
    return Applicants(job_id, _sorted(_scored(job, applications, viewer), ordering))


def page_of_applicants(job: JobRequirements, applications, viewer, *, ordering: str, top: int) -> Applicants:
    """The first `top` applicants in `ordering` (not ascending rate) and the count of them all.

    By a date, the database orders them (ties by application id, as the stable sort of the whole
    list). By rate, as `jobs.topk` does for rankings: the database sums each applicant's points P
    (an integer, from their skill rows), the applicants with the n largest P are scored, and the page
    is final once its last rate exceeds the highest rate the n-th P allows (n grows x4 until then).
    """
    count = applications.count()
    if ordering != "-rate" or not job.skills:  # without skills everyone rates 0: application id order
        order = (ordering, "id") if ordering != "-rate" else ("id",)
        picked = applications.order_by(*order).values_list("id", flat=True)[:top]
        shown = _sorted(_scored(job, applications.filter(pk__in=list(picked)), viewer), ordering)
        return Applicants(job.job_id, RankedPrefix(shown, count))
    earned = Case(
        *(
            When(candidate__skills__name=name, then=10 - Abs(F("candidate__skills__rating") - Value(rating)))
            for name, rating in job.skills
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    by_points = applications.annotate(points=Coalesce(Sum(earned), 0)).order_by("-points", "id")
    n = FIRST_READ * top
    while True:
        picked = list(by_points.values_list("id", "points")[:n])
        shown = _sorted(_scored(job, applications.filter(pk__in=[pk for pk, _ in picked]), viewer), ordering)
        if len(picked) < n or (len(shown) >= top and shown[top - 1].rate > bound_of(job, picked[-1][1])):
            return Applicants(job.job_id, RankedPrefix(shown[:top], count))
        n *= 4


def _scored(job: JobRequirements, applications, viewer) -> list[Applicant]:
    """The applicants of `applications`, in application id order, scored: two queries."""
    rows = list(
        applications.order_by("id").values_list(
            "id",
            "stage",
            "source",
            "created_at",
            "updated_at",
            "candidate_id",
            "candidate__name",
            "candidate__email",
            F("candidate__profiles__phone"),
            shares_contact(candidate="candidate_id", company="job__user_id"),
        )
    )
    if not rows:
        return []
    inputs = scorer_inputs(Q(pk__in=applications.values("candidate_id")))
    scores = scores_for_candidates(job, inputs)
    all_contacts = viewer.is_portal_staff
    return [
        Applicant(
            *row[:7],
            *(row[7:9] if all_contacts or row[9] else (None, None)),
            list(inputs[row[5]].skills.items()),
            *scores[row[5]],
        )
        for row in rows
    ]


def _sorted(applicants: list[Applicant], ordering: str) -> list[Applicant]:
    """Sorted by `ordering` (a field, "-" for descending); stable, so ties keep application id order."""
    key, descending = ordering.lstrip("-"), ordering.startswith("-")
    applicants.sort(key=itemgetter(Applicant._fields.index(key)), reverse=descending)
    return applicants


def scores_of_applications(applications) -> dict[int, Match]:
    """{application id: Match} for application instances (with `job` loaded) of any jobs: two queries.

    For admin pages and exports, which show a page of applications across jobs: one query for the
    jobs' skills, one for the candidates' skills and availability, then the engine per job.
    """
    applications = list(applications)
    if not applications:
        return {}
    required: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for job_id, name, rating in (
        JobSkill.objects.filter(job_id__in={a.job_id for a in applications})
        .order_by("job_id", "id")
        .values_list("job_id", "name", "rating")
    ):
        required[job_id].append((name, rating))
    inputs = scorer_inputs(Q(pk__in={a.candidate_id for a in applications}))
    by_job: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        by_job[application.job_id].append(application)
    scores = {}
    for job_id, of_job in by_job.items():
        requirements = JobRequirements(job_id, of_job[0].job.hiring_needs, required[job_id])
        matches = scores_for_candidates(
            requirements, {a.candidate_id: inputs[a.candidate_id] for a in of_job}
        )
        scores.update({application.pk: matches[application.candidate_id] for application in of_job})
    return scores
