"""Recommendation reads: what the matcher (helpers.recommend) needs, in a fixed number of queries.

Ranking candidates for a job costs two queries whatever the number of candidates: the job with its
skills, then the skill rows of active developers whose skill names the job requires, joined with
their account and availability. Everything else is pure Python in helpers.recommend.
"""

import gc
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any, NamedTuple

from accounts.models import UserAccount, listed_candidate
from helpers.recommend import JobMatcher, JobRequirements, RankedCandidate, RankedJob, rank_jobs
from jobs.models import Job, JobSkill
from profiles.models import UserSkill

Encode = Callable[[dict], Any]


@contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector while a large ranking is built.

    Ranking 100,000 candidates keeps ~100,000 small containers alive at once, which triggers full
    collections of the whole heap: about a quarter of the request's CPU time (measured with
    bench/recommend.py). The ranking creates no reference cycles, so reference counting frees all of
    it; collection simply resumes afterwards. If the collector is already paused (another thread is
    ranking), it is left as it is.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _as_is(explanation: dict) -> dict:
    return explanation


class JobForRanking(NamedTuple):
    requirements: JobRequirements
    owner_id: int


class CandidateRanking(NamedTuple):
    """Ranked candidates plus each one's (name, email), so a page can be shaped without more queries."""

    ranked: list[RankedCandidate]
    people: dict[int, tuple[str, str]]


def job_for_ranking(job_id: int, *, viewer: UserAccount | None = None) -> JobForRanking | None:
    """The job and its skills (in id order) in one query, or None if there is no such job.

    With a `viewer`, only a job of theirs is found (staff: any job), so ownership is decided by the
    same query that loads the job.
    """
    jobs = Job.objects.filter(pk=job_id)
    if viewer is not None and not viewer.is_staff:
        jobs = jobs.filter(user_id=viewer.pk)
    rows = list(
        jobs.order_by("skills__id").values_list("user_id", "hiring_needs", "skills__name", "skills__rating")
    )
    if not rows:
        return None
    owner_id, hiring_needs = rows[0][:2]
    skills = tuple((name, rating) for _, _, name, rating in rows if name is not None)
    return JobForRanking(JobRequirements(job_id, hiring_needs, skills), owner_id)


def candidate_ranking(job: JobRequirements) -> CandidateRanking:
    """Every listed candidate with a score above 0 for `job`, best first: one query.

    Only rows of the skills the job requires are read, by their stored names: both skill models
    store the canonical spelling (helpers.fields.SkillNameField), so names compare exactly.
    """
    if not job.skills:
        return CandidateRanking([], {})
    names = {name for name, _ in job.skills}
    rows = list(
        UserSkill.objects.filter(listed_candidate("user__"), name__in=names)
        .order_by("user_id")
        .values_list(
            "user_id",
            "name",
            "rating",
            "user__availabilities__availability_type",
            "user__name",
            "user__email",
        )
    )
    ranked = JobMatcher(job.skills, job.hiring_needs).rank(rows)
    people = {row[0]: (row[4], row[5]) for row in rows}
    return CandidateRanking(ranked, people)


def candidate_ranking_for_job(*, job_id: int, viewer: UserAccount) -> CandidateRanking | None:
    """Listed candidates ranked for the viewer's job (staff: any job): two queries.

    None when there is no such job or it is another company's (the caller answers 404 for both).
    """
    loaded = job_for_ranking(job_id, viewer=viewer)
    if loaded is None:
        return None
    return candidate_ranking(loaded.requirements)


def candidate_items(
    ranked: Iterable[RankedCandidate], people: dict[int, tuple[str, str]], encode: Encode = _as_is
) -> list[dict]:
    """The SPA's items {id, name, email, rate, explanation} as plain dicts (fast to render).

    `encode` may replace each explanation (e.g. by pre-rendered JSON); it is called once per
    distinct explanation, since the matcher shares them between candidates.
    """
    encoded: dict[int, Any] = {}
    items = []
    for candidate_id, rate, explanation in ranked:
        shown = encoded.get(id(explanation))
        if shown is None:
            shown = encoded[id(explanation)] = encode(explanation)
        name, email = people[candidate_id]
        items.append({"id": candidate_id, "name": name, "email": email, "rate": rate, "explanation": shown})
    return items


def top_candidates_for_job(job: Job, limit: int = 10) -> list[dict[str, Any]]:
    """The job's best `limit` candidates as {id, name, email, rate, explanation} (two queries)."""
    loaded = job_for_ranking(job.pk)
    if loaded is None:
        return []
    ranking = candidate_ranking(loaded.requirements)
    return candidate_items(ranking.ranked[:limit], ranking.people)


class JobRanking(NamedTuple):
    """Ranked open jobs plus each one's (title, company name, hiring needs)."""

    ranked: list[RankedJob]
    details: dict[int, tuple[str, str, str]]


def job_ranking(user: UserAccount) -> JobRanking:
    """Open jobs in which `user` scores above 0, best first: two queries.

    Only open jobs sharing at least one skill name with the candidate can score above 0, so only
    those are read (with all their skills, since every skill counts in the weight).
    """
    own = list(
        UserAccount.objects.filter(pk=user.pk).values_list(
            "skills__name", "skills__rating", "availabilities__availability_type"
        )
    )
    skills = {name: rating for name, rating, _ in own if name is not None}
    if not skills:
        return JobRanking([], {})
    availability = own[0][2]
    names = set(skills)
    rows = (
        JobSkill.objects.filter(
            job__status=Job.Status.OPEN,
            job__in=JobSkill.objects.filter(name__in=names).values("job_id"),
        )
        .order_by("job_id", "id")
        .values_list("job_id", "job__title", "job__name", "job__hiring_needs", "name", "rating")
    )
    details: dict[int, tuple[str, str, str]] = {}
    required: dict[int, list[tuple[str, int]]] = {}
    for job_id, title, company, hiring_needs, name, rating in rows:
        details[job_id] = (title, company, hiring_needs)
        required.setdefault(job_id, []).append((name, rating))
    jobs = (JobRequirements(job_id, details[job_id][2], skills) for job_id, skills in required.items())
    return JobRanking(rank_jobs(skills, availability, jobs), details)


def job_items(
    ranked: Iterable[RankedJob], details: dict[int, tuple[str, str, str]], encode: Encode = _as_is
) -> list[dict]:
    """{job, title, name, hiring_needs, rate, explanation} per ranked job.

    `encode` may replace each explanation, as in candidate_items.
    """
    items = []
    for job_id, rate, explanation in ranked:
        title, company, hiring_needs = details[job_id]
        items.append(
            {
                "job": job_id,
                "title": title,
                "name": company,
                "hiring_needs": hiring_needs,
                "rate": rate,
                "explanation": encode(explanation),
            }
        )
    return items
