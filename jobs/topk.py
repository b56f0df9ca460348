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

NARROW_ABOVE = 8
"""A level of more than NARROW_ABOVE x FIRST_READ candidates per place of the page is narrowed by
rating distance before it is read (`within_budget`); a smaller one is read whole: at a million
candidates the second level of a five-skill job (340) reads faster as rows than as rating bitmaps."""
MAX_BUDGET = 3
"""The widest rating budget read as per rating bitmaps (2 * 3 + 1 of them per slot)."""
HOLDERS_READ_LIMIT = 4_000
"""At most this many candidates are read from the holders' bitmaps (a typical page at a million reads
about 360); a job whose page needs more (one skill: thousands rate alike) is ranked by the summed
points instead, which reads the skill rows once in the database."""

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
    n, between = FIRST_READ * top, None
    while True:
        ids, possible, count, last = top_and_counts(job, among, n=n, **bounds)
        if possible > count:  # the same every time round: those in between are scored once
            if between is None:
                unsure = points_by_candidate(job, among).filter(
                    points__gte=bounds["least"], points__lt=bounds["sure"]
                )
                between = sum(
                    1 for candidate in matcher.rank(load(unsure.values("user_id"))) if candidate.rate >= least
                )
            count += between
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

    A candidate holding h of the job's S slots, with ratings off the job's by d in all, has exactly
    P = 10h - d. The levels h = S, S-1, ... are read and scored exactly, most points first, until the
    page's last rate beats the bound floor(10P/S) of every candidate not read: they cannot reach the
    page, and ties with them cannot come first. A level of up to NARROW_ABOVE x FIRST_READ candidates
    per place of the page is read whole, several together; of a larger one, first those off by the
    least that fills the page, then those who can still reach its last rate (`within_budget`). The count is
    everyone holding a slot (each earns P >= 1, enough for `least` here). Three queries (unlisted
    holders, bitmaps, rows), then a few per large level; None (rank by points) past HOLDERS_READ_LIMIT.
    """
    bitmaps = holders.ListedHolders((name for name, _ in job.skills), using)
    by_name = bitmaps.of()
    anyone = 0
    for bitmap in by_name.values():
        anyone |= bitmap
    held = holders.held_counts(job.skills, by_name)
    reading = _Reading(load, matcher, job, top, least)
    for level in range(len(job.skills), 0, -1):
        members, points = held.exactly(level), 10 * level  # the most points an unread member has
        while members:
            if not reading.may_reach(points):
                return reading.done(anyone.bit_count())
            if members.bit_count() <= NARROW_ABOVE * FIRST_READ * top:
                reading.queue(members)
                break
            reading.flush()
            if not reading.may_reach(points):
                return reading.done(anyone.bit_count())
            budget = reading.budget_for(
                members, level, points, lambda off: within_budget(job, bitmaps, by_name, off)
            )
            chosen = members if budget is None else members & within_budget(job, bitmaps, by_name, budget)
            reading.queue(chosen)
            if reading.read > HOLDERS_READ_LIMIT:
                return None
            reading.flush()
            members &= ~chosen
            points = 10 * level - (budget if budget is not None else 10) - 1
        if reading.read > HOLDERS_READ_LIMIT:
            return None
    return reading.done(anyone.bit_count())


class _Reading:
    """The candidates read so far for a page from the bitmaps, their rows and ranking."""

    def __init__(self, load, matcher: JobMatcher, job: JobRequirements, top: int, least: int):
        self.load, self.matcher, self.job, self.top, self.least = load, matcher, job, top, least
        self.rows: list = []
        self.ranked: list[RankedCandidate] = []
        self.pending: list[int] = []
        self.read = 0

    def last(self) -> int | None:
        """The page's last rate, once the candidates read fill it."""
        return self.ranked[self.top - 1].rate if len(self.ranked) >= self.top else None

    def may_reach(self, points: int) -> bool:
        """Whether an unread candidate with `points` could still be on the page (reach `least`, and
        beat or tie its last rate)."""
        bound, last = bound_of(self.job, points), self.last()
        return bound >= self.least and (last is None or last <= bound)

    def budget_for(self, members: int, level: int, points: int, within: Callable[[int], int]) -> int | None:
        """How far off the ratings of this level's unread `members` may be to be read now: enough to
        reach the page's last rate, or, before the page is full, the least that fills it; None: all."""
        size, off = len(self.job.skills), 10 * level - points
        if (last := self.last()) is not None:  # at least `off`: those off by less are read already
            needed = max(off, 10 * level - least_points(size, last))
            return needed if needed <= MAX_BUDGET else None
        for budget in range(off, MAX_BUDGET + 1):
            if (members & within(budget)).bit_count() >= self.top - len(self.ranked):
                return budget
        return None

    def queue(self, bitmap: int) -> None:
        self.read += bitmap.bit_count()
        if self.read > HOLDERS_READ_LIMIT:
            return  # the caller ranks by points instead
        self.pending += holders.ids_of(bitmap)
        if len(self.pending) >= FIRST_READ * self.top:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.rows = sorted([*self.rows, *self.load(self.pending)], key=lambda row: row[0])
            self.ranked = [
                candidate for candidate in self.matcher.rank(self.rows) if candidate.rate >= self.least
            ]
            self.pending = []

    def done(self, count: int) -> TopRanking:
        self.flush()
        return TopRanking(self.ranked[: self.top], self.rows, count)


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
