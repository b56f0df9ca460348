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

from django.db import connections, router
from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Abs

from accounts.models import UserAccount, listed_candidate
from helpers.recommend import JobMatcher, JobRequirements, RankedCandidate
from profiles.models import UserSkill

FIRST_READ = 16
"""Candidates read per place of the page at first: many, since most of those with the most points
lose a fifth of them to the availability factor; reading 320 candidates' rows for a page of 20 costs
far less than summing everyone's points again (with 4, a third of the jobs of bench/topk.py did)."""


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


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def top_and_counts(
    job: JobRequirements, among, *, least: int, sure: int, n: int
) -> tuple[list[int], int, int, int | None]:
    """(ids of the n candidates with the most points, how many have at least `least` points, how many
    at least `sure`, the n-th's points or None if fewer): one statement over `points_by_candidate`'s rows.

    Written out for the database's plan: one index-only scan per skill in candidate id order
    (jobs_ranking_holders), merged and summed per candidate without hashing hundreds of thousands of
    them (PostgreSQL, told not to hash: 0.24 s against 0.44-0.77 s at a million candidates), the
    result kept once and read twice (the page, the counts).
    """
    slots: dict[str, list[int]] = {}
    for name, rating in job.skills:
        slots.setdefault(name, []).append(rating)
    skills = UserSkill._meta.db_table
    parts, params = [], []
    for name, ratings in slots.items():
        earned = " + ".join(["(10 - ABS(rating - %s))"] * len(ratings))
        parts.append(
            f"SELECT * FROM (SELECT user_id, {earned} AS p FROM {skills} WHERE name = %s ORDER BY user_id) s"
        )
        params += [*ratings, name]
    unlisted, unlisted_params = _sql(UserAccount.objects.filter(~listed_candidate()).values("id"))
    narrowed = ""
    if among is not None:
        narrowed = f"AND x.user_id IN ({', '.join(['%s'] * len(among))})" if among else "AND 1 = 0"
    sql = f"""
        WITH g AS (
            SELECT x.user_id, SUM(x.p) AS p FROM ({" UNION ALL ".join(parts)}) x
            WHERE NOT EXISTS (SELECT 1 FROM ({unlisted}) unlisted WHERE unlisted.id = x.user_id) {narrowed}
            GROUP BY x.user_id HAVING SUM(x.p) >= %s
        )
        SELECT * FROM (SELECT user_id, p, 0 AS possible, 0 AS sure FROM g ORDER BY p DESC, user_id LIMIT %s) t
        UNION ALL
        SELECT NULL, NULL, COUNT(*), COUNT(*) FILTER (WHERE p >= %s) FROM g
    """
    params = [*params, *unlisted_params, *(among or ()), least, n, sure]
    with connections[router.db_for_read(UserSkill)].cursor() as cursor:
        if cursor.db.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_hashagg = off; " + sql, params)
        else:
            cursor.execute(sql, params)
        rows = cursor.fetchall()
    *top, (_, _, possible, sure_count) = rows
    return [user_id for user_id, *_ in top], possible, sure_count, (top[-1][1] if len(top) == n else None)


def ranking_top(
    job: JobRequirements, load: Callable[[list[int]], Iterable], *, top: int, min_rate: int = 0, among=None
) -> TopRanking:
    """The first `top` listed candidates rating at least `min_rate` (and above 0), as the full ranking.

    `load(ids)` returns the scorer rows (jobs.ranking.scorer_rows) of those candidates. Two queries
    (`top_and_counts` for n = FIRST_READ * top, then the rows of those n); two more each time n must
    grow (x4), and one for the count when `min_rate` leaves candidates between `least_points` and
    `sure_points` (they are scored to be counted).
    """
    size, least = len(job.skills), max(min_rate, 1)
    matcher = JobMatcher(job.skills, job.hiring_needs)
    bounds = {"least": least_points(size, least), "sure": sure_points(size, least)}
    n = FIRST_READ * top
    while True:
        ids, possible, count, last = top_and_counts(job, among, n=n, **bounds)
        if possible > count and n == FIRST_READ * top:
            between = points_by_candidate(job, among).filter(
                points__gte=bounds["least"], points__lt=bounds["sure"]
            )
            count += sum(
                1 for candidate in matcher.rank(load(between.values("user_id"))) if candidate.rate >= least
            )
        if not ids:
            return TopRanking([], [], count)
        rows = list(load(ids))
        ranked = [candidate for candidate in matcher.rank(rows) if candidate.rate >= least]
        if last is None:  # fewer than n could reach `least`: all of them were read
            return TopRanking(ranked[:top], rows, count)
        if len(ranked) >= top and ranked[top - 1].rate > bound_of(job, last):
            return TopRanking(ranked[:top], rows, count)
        n *= 4
