"""The first k of a candidate ranking without scoring every candidate: a bound the database sums exactly.

For a job with S skills, a candidate's points are P = sum over the job's skills they hold of
(10 - |rating - job rating|), an integer. The matcher (helpers.recommend) adds weight * (1 - d/10) =
10 * (10 - d) / S per skill, so its rate is the float value of 10P/S times the availability factor
(1 or 0.8), truncated. Float rounding moves that value by far less than 1/S, the least gap between two
values 10P/S, so:

- the rate is at most floor(10P/S): whoever has P with 10P < S * m cannot reach m;
- the rate is at least m when 8P > S * m, whatever the availability (equal values may truncate to m - 1,
  so equality is not enough).

The database sums P for the candidates holding a job skill (no join per row, the listed rule applied as
one anti-join), orders by P and returns the candidates of the n largest P; `scorer_rows` loads those, the
matcher scores them exactly, and the first k are the full ranking's once the k-th rate exceeds
floor(10 * P_n / S): nobody left out can reach it, so ties (broken by candidate id) come out the same.
Otherwise n grows. The count of the full ranking comes from one aggregate over the same P: those who
surely reach m, plus the exact scores of the few in between (only when `min_rate` is high enough).
A candidate holds a name at most once (profiles' unique (user, lower(name)) constraint), so P counts
each skill once.
"""

from collections.abc import Callable, Collection, Iterable
from math import ceil
from typing import NamedTuple

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Abs

from accounts.models import UserAccount, listed_candidate
from helpers.recommend import JobMatcher, JobRequirements, RankedCandidate
from profiles.models import UserSkill

FIRST_READ = 4
"""Candidates read per place of the page at first: more than one, since some of those with the most
points lose a fifth of them to the availability factor or fall short of `min_rate`."""


def points_by_candidate(job: JobRequirements, among: Collection[int] | None = None) -> QuerySet:
    """(user_id, points) of every listed candidate holding one of the job's skills, not ordered.

    `among` narrows it to those candidate ids. One GROUP BY over the skill rows of the job's names; the
    listed rule is an anti-join against the accounts that are not listed (few, and indexed).
    """
    slots: dict[str, list[int]] = {}
    for name, rating in job.skills:
        slots.setdefault(name, []).append(rating)
    earned = Case(
        *(
            When(name=name, then=sum((10 - Abs(F("rating") - Value(rating)) for rating in ratings), Value(0)))
            for name, ratings in slots.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = UserSkill.objects.filter(name__in=slots).exclude(
        user_id__in=UserAccount.objects.filter(~listed_candidate()).values("pk")
    )
    if among is not None:
        rows = rows.filter(user_id__in=among)
    return rows.order_by().values("user_id").annotate(points=Sum(earned))


def least_points(size: int, min_rate: int) -> int:
    """The least P with floor(10P/S) >= min_rate (anyone below cannot reach it)."""
    return ceil(size * min_rate / 10)


def sure_points(size: int, min_rate: int) -> int:
    """The least P with 8P > S * min_rate: such a candidate rates at least min_rate, matching or not."""
    return size * min_rate // 8 + 1


def points_of(job: JobRequirements, rows) -> dict[int, int]:
    """{candidate id: P} from scorer rows (candidate id, skill name, rating, ...), as the database sums it."""
    slots: dict[str, list[int]] = {}
    for name, rating in job.skills:
        slots.setdefault(name, []).append(rating)
    points: dict[int, int] = {}
    for row in rows:
        for job_rating in slots.get(row[1], ()):
            points[row[0]] = points.get(row[0], 0) + 10 - abs(row[2] - job_rating)
    return points


def bound_of(job: JobRequirements, points: int) -> int:
    """The highest rate a candidate with `points` can have."""
    return 10 * points // len(job.skills)


class TopRanking(NamedTuple):
    ranked: list[RankedCandidate]
    """The first `top` of the full ranking (fewer if it is shorter)."""
    rows: list
    """The scorer rows read (for the candidates' names)."""
    count: int
    """The length of the full ranking."""


def ranking_top(
    job: JobRequirements, load: Callable[[QuerySet], Iterable], *, top: int, min_rate: int = 0, among=None
) -> TopRanking:
    """The first `top` listed candidates rating at least `min_rate` (and above 0), as the full ranking.

    `load(ids)` returns the scorer rows (jobs.ranking.scorer_rows) of the candidates whose ids a
    subquery gives. Two queries (the counts, then the rows of the candidates with the n largest P,
    n = FIRST_READ * top at first); one more when n must grow (x4 each time), and one for the count when
    `min_rate` leaves candidates between `least_points` and `sure_points`.
    """
    size, least = len(job.skills), max(min_rate, 1)
    matcher = JobMatcher(job.skills, job.hiring_needs)
    held = points_by_candidate(job, among).filter(points__gte=least_points(size, least))
    sure = sure_points(size, least)
    counts = held.aggregate(possible=Count("user_id"), sure=Count("user_id", filter=Q(points__gte=sure)))
    count = counts["sure"]
    if counts["possible"] > count:
        between = matcher.rank(load(held.filter(points__lt=sure).values("user_id")))
        count += sum(1 for candidate in between if candidate.rate >= least)
    if not count:
        return TopRanking([], [], 0)
    n = FIRST_READ * top
    while True:
        rows = list(load(held.order_by("-points", "user_id").values("user_id")[:n]))
        points = points_of(job, rows)
        ranked = [candidate for candidate in matcher.rank(rows) if candidate.rate >= least]
        if len(points) < n or n >= counts["possible"]:
            return TopRanking(ranked[:top], rows, count)  # everyone who could reach `least` was read
        if len(ranked) >= top and ranked[top - 1].rate > bound_of(job, min(points.values())):
            return TopRanking(ranked[:top], rows, count)
        n *= 4
