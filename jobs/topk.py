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
from profiles import holders
from profiles.models import UserSkill

MAX_BUDGET = 3
"""The widest rating budget read as per rating bitmaps (2 * 3 + 1 of them per slot)."""
HOLDERS_READ_LIMIT = 20_000
"""At most this many candidates are read level by level from the holders' bitmaps; a job whose page
needs more (its leaders hold few of its skills) is ranked by the summed points instead."""

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
    using = router.db_for_read(UserSkill)
    if among is None and sure_points(size, least) <= 1 and holders.available(using):
        found = ranking_top_by_holders(job, load, matcher, top=top, least=least, using=using)
        if found is not None:
            return found
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


def ranking_top_by_holders(
    job: JobRequirements,
    load: Callable[[list[int]], Iterable],
    matcher: JobMatcher,
    *,
    top: int,
    least: int,
    using,
) -> TopRanking | None:
    """`ranking_top` from the holders' bitmaps (profiles.holders), when every holder surely rates `least`.

    A candidate holding h of the job's S slots has P <= 10h, so rates at most bound_of(10h). The
    levels are read from h = S down and scored exactly, until the page's last rate beats the bound
    of the next level: those left out cannot reach the page, and ties with them cannot come first.
    Levels are read together up to FIRST_READ candidates per place of the page; of a larger level,
    once the page is full, only those who can still reach its last rate (`within_budget`). The
    count is everyone holding a slot (each earns P >= 1, enough for `least` here). Three queries
    (unlisted holders, bitmaps, rows) and at most two per further level; None (rank by points) past
    HOLDERS_READ_LIMIT candidates read.
    """
    bitmaps = holders.ListedHolders((name for name, _ in job.skills), using)
    by_name = bitmaps.of()
    anyone = 0
    for bitmap in by_name.values():
        anyone |= bitmap
    held = holders.held_counts(job.skills, by_name)
    rows: list = []
    ranked: list[RankedCandidate] = []
    pending: list[int] = []  # ids of levels chosen but not read yet
    read, batch = 0, FIRST_READ * top
    for level in range(len(job.skills), 0, -1):
        members = held.exactly(level)
        large = members.bit_count() > batch
        if large and pending:  # read what is chosen: the page's last rate may spare most of this level
            rows, ranked = _read_levels(pending, rows, load, matcher, least)
            pending = []
        bound = bound_of(job, 10 * level)
        last = ranked[top - 1].rate if len(ranked) >= top else None
        if bound < least or (last is not None and last > bound):
            break
        if large and last is not None:
            members &= within_budget(job, bitmaps, by_name, 10 * level - least_points(len(job.skills), last))
        chosen = holders.ids_of(members)
        read, pending = read + len(chosen), pending + chosen
        if read > HOLDERS_READ_LIMIT:
            return None
        if len(pending) >= batch:
            rows, ranked = _read_levels(pending, rows, load, matcher, least)
            pending = []
    if pending:
        rows, ranked = _read_levels(pending, rows, load, matcher, least)
    return TopRanking(ranked[:top], rows, anyone.bit_count())


def _read_levels(ids, rows, load, matcher, least) -> tuple[list, list[RankedCandidate]]:
    """The rows read so far with those of `ids` (another level's candidates), and their ranking."""
    rows = sorted([*rows, *load(ids)], key=lambda row: row[0])
    return rows, [candidate for candidate in matcher.rank(rows) if candidate.rate >= least]


def within_budget(
    job: JobRequirements, bitmaps: holders.ListedHolders, by_name: dict[str, int], budget: int
) -> int:
    """The bitmap of candidates whose ratings are off the job's by at most `budget` in all, over the
    slots they hold (P = 10h - that sum): per rating bitmaps for ratings within `budget` of each slot's.
    Everyone (-1) when `budget` exceeds MAX_BUDGET: reading 2 * budget + 1 bitmaps per slot costs more.
    """
    if budget > MAX_BUDGET:
        return -1
    wanted = {
        (name, rating)
        for name, asked in job.skills
        for rating in range(max(1, asked - budget), min(10, asked + budget) + 1)
    }
    at = bitmaps.at(wanted)
    off_by, too_far = holders.HeldCounts(), 0
    for name, asked in job.skills:
        near = 0
        for distance in range(budget + 1):
            at_distance = at.get((name, asked - distance), 0) | at.get((name, asked + distance), 0)
            off_by.add_times(at_distance, distance)
            near |= at_distance
        too_far |= by_name[name] & ~near
    return ~too_far & off_by.at_most(budget)
