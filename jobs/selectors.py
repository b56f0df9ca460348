"""Reads of the hiring pipeline: a job's applicants scored by the recommendation engine, a
candidate's applications, an application's history.

Applicants are scored by the same JobMatcher (helpers.recommend) over the same job data
(jobs.recommendation_data.job_for_ranking) as POST /user/recommend/list, so a recruiter sees the
same `rate` and explanation for a candidate in both places.
"""

from collections import defaultdict
from operator import itemgetter
from typing import NamedTuple

from django.db.models import F, Q

from accounts.models import UserAccount
from helpers.recommend import JobMatcher, JobRequirements, Match, RankedCandidate
from jobs.models import Application, ApplicationEvent, JobSkill
from jobs.recommendation_data import (
    JobForRanking,
    assessments_for,
    candidate_items,
    candidate_ranking,
    job_for_ranking,
    required_skill_names,
)
from profiles.models import UserSkill

LISTED_CANDIDATE = Q(candidate__type=UserAccount.Type.USER, candidate__is_active=True)
APPLICANT_ORDERINGS = ("-rate", "rate", "created_at", "-created_at", "updated_at")


def applications_of_listed_candidates():
    """Applications whose candidate is an active developer: a deactivated candidate's disappear."""
    return Application.objects.filter(LISTED_CANDIDATE)


def applications_managed_by(user):
    """Applications a company (or a recruiter acting for it) may move: those of its own jobs.

    Portal staff manage every job's applications.
    """
    applications = applications_of_listed_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(job__user_id=user.pk)


def applications_readable_by(user):
    """An application's history is for the candidate who applied and whoever manages the job."""
    applications = applications_of_listed_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(Q(job__user_id=user.pk) | Q(candidate_id=user.pk))


def events_of(application: Application):
    return ApplicationEvent.objects.filter(application=application).order_by("created_at", "id")


def managed_job_for_ranking(job_id: int, user) -> JobForRanking | None:
    """The job and its skills (one query) if `user` owns it or is portal staff, else None (a 404)."""
    job = job_for_ranking(job_id)
    if job is None or (job.owner_id != user.pk and not user.is_portal_staff):
        return None
    return job


class Applicant(NamedTuple):
    """One application with its candidate, scored for the job like POST /user/recommend/list."""

    application_id: int
    stage: str
    source: str
    created_at: object
    updated_at: object
    candidate_id: int
    name: str
    email: str
    skills: list[tuple[str, int]]
    rate: int
    explanation: dict


def scores_for_candidates(job: JobForRanking, skills: dict[int, dict[str, int]], availability: dict) -> dict:
    """{candidate id: Match} for the given candidates, from the recommendation engine.

    `skills` is {candidate id: {skill name: rating}} and `availability` {candidate id: type or None}.
    For a candidate the engine ranks (rate above 0) this equals their item of the recommendation list.
    """
    matcher = JobMatcher(job.requirements.skills, job.requirements.hiring_needs)
    counted = required_skill_names(job.requirements)  # the rows candidate_ranking reads
    return {
        candidate_id: matcher.match(
            {name: rating for name, rating in skills.get(candidate_id, {}).items() if name in counted},
            availability[candidate_id],
        )
        for candidate_id in availability
    }


def job_applicants(
    job: JobForRanking, *, stage: str | None = None, ordering: str = "-rate"
) -> list[Applicant]:
    """The job's applicants (listed candidates only), scored and sorted: two queries whatever their number.

    One query reads the applications with their candidate and availability, one the candidates'
    skills; scoring is pure Python. Ties keep application id order.
    """
    applications = applications_of_listed_candidates().filter(job_id=job.requirements.job_id)
    if stage:
        applications = applications.filter(stage=stage)
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
            F("candidate__availabilities__availability_type"),
        )
    )
    if not rows:
        return []
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    skill_rows = (
        UserSkill.objects.filter(user_id__in=applications.values("candidate_id"))
        .order_by("user_id", "id")
        .values_list("user_id", "name", "rating")
    )
    for user_id, name, rating in skill_rows:
        skills[user_id].append((name, rating))
    scores: dict[int, Match] = scores_for_candidates(
        job, {user_id: dict(held) for user_id, held in skills.items()}, {row[5]: row[8] for row in rows}
    )
    applicants = [Applicant(*row[:8], skills.get(row[5], []), *scores[row[5]]) for row in rows]
    key, descending = ordering.lstrip("-"), ordering.startswith("-")
    applicants.sort(key=lambda applicant: applicant.application_id)
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
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    availability: dict[int, str | None] = {}
    for user_id, available, name, rating in UserAccount.objects.filter(
        pk__in={a.candidate_id for a in applications}
    ).values_list("id", "availabilities__availability_type", "skills__name", "skills__rating"):
        availability[user_id] = available
        if name is not None:
            skills[user_id][name] = max(rating, skills[user_id].get(name, rating))
    scores = {}
    for application in applications:
        job = JobForRanking(
            JobRequirements(application.job_id, application.job.hiring_needs, required[application.job_id]),
            application.job.user_id,
        )
        one = scores_for_candidates(
            job,
            {application.candidate_id: skills[application.candidate_id]},
            {application.candidate_id: availability.get(application.candidate_id)},
        )
        scores[application.pk] = one[application.candidate_id]
    return scores


class JobRankingWithStages(NamedTuple):
    """A job's ranked candidates (as POST /user/recommend/list) and the stages of those in its pipeline."""

    ranked: list[RankedCandidate]
    people: dict[int, tuple[str, str]]
    stages: dict[int, str]


def job_ranking_with_stages(job_id: int) -> JobRankingWithStages:
    """Three queries: the job with its skills, the candidates' skill rows, the job's applications."""
    loaded = job_for_ranking(job_id)
    if loaded is None:
        return JobRankingWithStages([], {}, {})
    ranking = candidate_ranking(loaded.requirements)
    stages = dict(Application.objects.filter(job_id=job_id).values_list("candidate_id", "stage"))
    return JobRankingWithStages(ranking.ranked, ranking.people, stages)


def ranked_rows(ranking: JobRankingWithStages, shown: list[RankedCandidate]) -> list[dict]:
    """The recommendation items of `shown` (a slice of the ranking), with assessments: one query."""
    return candidate_items(shown, ranking.people, assessments=assessments_for(shown))


def skills_of_candidates(candidate_ids) -> dict[int, list[tuple[str, int]]]:
    """{candidate id: [(skill, rating), ...]} in one query."""
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for user_id, name, rating in (
        UserSkill.objects.filter(user_id__in=candidate_ids)
        .order_by("user_id", "id")
        .values_list("user_id", "name", "rating")
    ):
        skills[user_id].append((name, rating))
    return skills
