"""The first k of a candidate's recommended jobs (`GET /job/recommended?limit=`) without scoring every job.

At 10,000 open jobs a developer shares a skill with thousands of them, and scoring each one (a matcher
and an explanation per job) cost 80-170 ms a request, the most expensive read of the load mix. The
bound is the candidates' one (jobs.topk) seen from the other side: for a job of S skills, of which the
candidate holds some, P = sum over those of (10 - |job rating - candidate rating|) and the matcher's
rate is the float value of v = 10P/S (8P/S when the candidate's availability differs from the job's
hiring needs), truncated. Float rounding moves it by far less than 1/S, the least gap between two such
values, so the rate is floor(v), or floor(v) - 1 when v is a whole number (a sum a hair below it).

The database sums P and S per job in one grouped query (`job_bounds`). Jobs are taken in the order of
their best possible place; `score` reads the leading ones whole and scores them exactly with the
unchanged matcher, and the page is final once its last job's place beats the best possible place of
every job not read. A place is (listed rate, engine rate, job id), highest first, as the full list
orders them: the listed rate is the engine's, or the one the candidate's preferences adjust it to
(`listed_rate`, non-decreasing in the engine's rate). `count` is exact: a job whose lowest possible
listed rate reaches the threshold is counted unread, and the few that could fall either side are read.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import NamedTuple

from django.db.models import Case, Count, F, QuerySet, Sum, Value, When
from django.db.models.functions import Abs

from helpers.recommend import RankedJob

FIRST_READ = 2
"""Jobs read per place of the page at first; a job's place rarely falls far below its bound."""
GROWTH = 4
"""How much more is read when the first read did not settle the page."""


class JobBound(NamedTuple):
    job_id: int
    lower: int
    """The engine's rate for this job is at least this..."""
    upper: int
    """...and at most this."""
    terms: tuple
    """The job's columns named by `job_bounds(terms=)`, for the caller (the preferences' terms)."""


def rate_bounds(points: int, slots: int, mismatch: bool) -> tuple[int, int]:
    """(lower, upper) of the engine's truncated rate for `points` over `slots` job skills (above)."""
    scaled = points * (8 if mismatch else 10)
    upper = scaled // slots
    return (upper - 1 if scaled % slots == 0 else upper), upper


def job_bounds(
    skills: Mapping[str, int], availability: str | None, jobs: QuerySet, terms: Sequence[str] = ()
) -> list[JobBound]:
    """A bound per job of `jobs` on the rate of a candidate holding `skills` ({name: rating}): one query.

    Names are compared as stored, as the matcher compares them (both skill models store the canonical
    spelling); a job holds a name at most once (jobs' unique (job, lower(name)) constraint).
    """
    points = Sum(
        Case(
            *(
                When(skills__name=name, then=Value(10) - Abs(F("skills__rating") - Value(rating)))
                for name, rating in skills.items()
            ),
            default=Value(0),
        )
    )
    rows = jobs.order_by().values("pk").annotate(slots=Count("skills"), points=points)
    bounds = []
    for job_id, hiring_needs, slots, summed, *columns in rows.values_list(
        "pk", "hiring_needs", "slots", "points", *terms
    ):
        mismatch = availability is not None and availability != hiring_needs
        bounds.append(JobBound(job_id, *rate_bounds(summed, slots, mismatch), tuple(columns)))
    return bounds


class TopJobs(NamedTuple):
    ranked: list[RankedJob]
    """The first `top` jobs of the full list, in its order, as the engine scored them."""
    count: int
    """How many jobs the full list holds."""
    details: dict[int, tuple[str, str, str]]
    """(title, company name, hiring needs) of every job read."""


Score = Callable[[Collection[int]], tuple[list[RankedJob], dict[int, tuple[str, str, str]]]]
ListedRate = Callable[[int, int], int]


def _engine_rate(job_id: int, rate: int) -> int:
    return rate


def _settled(listed: list[RankedJob], top: int, best_unread: tuple, place) -> bool:
    """Whether no job left unread can take one of the first `top` places."""
    return top == 0 or (len(listed) >= top and place(listed[top - 1]) > best_unread)


def top_jobs(
    bounds: Sequence[JobBound],
    score: Score,
    *,
    top: int,
    threshold: int,
    listed_rate: ListedRate | None = None,
) -> TopJobs:
    """The first `top` of the jobs listed (listed rate at least `threshold`, which is at least 1).

    `score(job_ids)` reads those jobs whole and returns the engine's ranked jobs (rate above 0) with
    their details: one query per read, usually one read. Without `listed_rate`, the engine's rate is listed.
    """
    if listed_rate is None:
        listed_rate = _engine_rate

    def best_place(bound: JobBound) -> tuple[int, int, int]:
        return listed_rate(bound.job_id, bound.upper), bound.upper, bound.job_id

    def place(job: RankedJob) -> tuple[int, int, int]:
        return listed_rate(job.job_id, job.rate), job.rate, job.job_id

    reachable = sorted(
        (bound for bound in bounds if best_place(bound)[0] >= threshold), key=best_place, reverse=True
    )
    to_read = {bound.job_id for bound in reachable if listed_rate(bound.job_id, bound.lower) < threshold}
    read: set[int] = set()
    listed: list[RankedJob] = []
    details: dict[int, tuple[str, str, str]] = {}
    end = max(top, 1) * FIRST_READ
    while True:
        to_read.update(bound.job_id for bound in reachable[:end] if bound.job_id not in read)
        if to_read:
            ranked, found = score(to_read)
            read.update(to_read)
            details.update(found)
            listed += [job for job in ranked if listed_rate(job.job_id, job.rate) >= threshold]
            listed.sort(key=place, reverse=True)
        if end >= len(reachable) or _settled(listed, top, best_place(reachable[end]), place):
            break
        to_read, end = set(), end * GROWTH
    # Every job reachable but not read is surely listed (the unsure ones were read first).
    return TopJobs(listed[:top], len(listed) + len(reachable) - len(read), details)
