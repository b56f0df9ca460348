"""Loads what the matcher (helpers.recommend) needs, in a fixed number of queries, and shapes results.

Ranking candidates for a job costs two queries whatever the number of candidates: the job with its
skills, then the skill rows of active developers whose skill names the job requires, joined with
their account and availability. Everything else is pure Python in helpers.recommend.
"""

import gc
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from accounts.models import UserAccount
from assessments.selectors import AssessmentSummary, assessment_summaries
from helpers.recommend import JobMatcher, JobRequirements, RankedCandidate, RankedJob, rank_jobs
from helpers.skills import canonical_skill_name
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


def job_for_ranking(job_id: int) -> JobForRanking | None:
    """The job and its skills (in id order) in one query, or None if there is no such job."""
    rows = list(
        Job.objects.filter(pk=job_id)
        .order_by("skills__id")
        .values_list("user_id", "hiring_needs", "skills__name", "skills__rating")
    )
    if not rows:
        return None
    owner_id, hiring_needs = rows[0][:2]
    skills = tuple((name, rating) for _, _, name, rating in rows if name is not None)
    return JobForRanking(JobRequirements(job_id, hiring_needs, skills), owner_id)


def required_skill_names(job: JobRequirements) -> set[str]:
    """The stored skill names that count for `job`: its own spellings and their canonical forms."""
    return {name for name, _ in job.skills} | {canonical_skill_name(name) for name, _ in job.skills}


def candidate_ranking(job: JobRequirements) -> CandidateRanking:
    """Every active developer with a score above 0 for `job`, best first: one query.

    Only rows of the skills the job requires are read, by their stored names: every write stores the
    canonical spelling (helpers.skills), and the job's own spelling is added should it predate that.
    """
    if not job.skills:
        return CandidateRanking([], {})
    rows = list(
        UserSkill.objects.filter(
            name__in=required_skill_names(job), user__type=UserAccount.Type.USER, user__is_active=True
        )
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


# Above this many candidates, their assessment results are read for everyone who took the test in
# one grouped query instead of naming each candidate in an `IN` list.
ASSESSMENT_BY_ID_LIMIT = 1000


def assessments_for(ranked: Sequence[RankedCandidate]) -> dict[int, AssessmentSummary]:
    """{candidate id: assessment summary} for the ranked candidates who took the test: one query."""
    if len(ranked) > ASSESSMENT_BY_ID_LIMIT:
        return assessment_summaries()
    return assessment_summaries([candidate.candidate_id for candidate in ranked])


def with_min_assessment(
    ranked: list[RankedCandidate], min_percent: int, assessments: dict[int, AssessmentSummary]
) -> list[RankedCandidate]:
    """The ranked candidates whose assessment percent is at least `min_percent`, in the same order.

    Candidates who have not taken the test are left out.
    """
    return [
        candidate
        for candidate in ranked
        if (summary := assessments.get(candidate.candidate_id)) is not None
        and summary["percent"] >= min_percent
    ]


def candidate_items(
    ranked: Iterable[RankedCandidate],
    people: dict[int, tuple[str, str]],
    encode: Encode = _as_is,
    assessments: dict[int, AssessmentSummary] | None = None,
) -> list[dict]:
    """The SPA's items {id, name, email, rate, explanation, assessment} as plain dicts (fast to render).

    `encode` may replace each explanation (e.g. by pre-rendered JSON); it is called once per
    distinct explanation, since the matcher shares them between candidates. `assessment` is the
    candidate's entry of `assessments`, None when they have not taken the test.
    """
    assessments = assessments or {}
    found = assessments.get
    encoded: dict[int, Any] = {}
    items = []
    for candidate_id, rate, explanation in ranked:
        shown = encoded.get(id(explanation))
        if shown is None:
            shown = encoded[id(explanation)] = encode(explanation)
        name, email = people[candidate_id]
        items.append(
            {
                "id": candidate_id,
                "name": name,
                "email": email,
                "rate": rate,
                "explanation": shown,
                "assessment": found(candidate_id),
            }
        )
    return items


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
    names = set(skills) | {canonical_skill_name(name) for name in skills}
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
