"""Who holds a skill, as bitmaps the database keeps: the index behind a ranking page at a million candidates.

`profiles_skill_holders` (PostgreSQL only, profiles migration 0010) has one row per (skill name, block of
BLOCK_IDS candidate ids) whose `bits` has bit `user_id % BLOCK_IDS` set when that candidate holds the
name (rating ANY_RATING), and one per (name, rating, block) for those holding it at that rating. Statement
triggers on `profiles_userskill` (their transition tables) set and clear the bits in the writer's
transaction, once per (name, rating, block) a statement touches (10,000 skills inserted in 0.1 s; a
trigger per row rewrote a block's row per skill: 4 s); TRUNCATE empties it. So the bitmaps are as
current as the skill rows. The trigger first locks the candidates' data version row, which every
candidate write's statement trigger updates anyway (profiles migration 0007): writers already queue
there, and taking it first keeps them from deadlocking over bitmap rows taken in different orders.

Reading the bitmaps of a job's five skills at a million candidates is some 600 KB: a few
milliseconds, where summing the holders' 520,000 skill rows costs a quarter of a second. From them,
in Python's big integers: how many listed candidates hold any of the job's skills (a popcount), who
holds how many of them and how far their ratings are (bit-sliced counters), which bound their rates
(jobs.topk), and how many listed candidates meet a search's skill requirements (`requirement_count`).
A bulk load that switches the insert trigger (TRIGGER) off (seeding.synthetic) calls `holders_rebuild` after.
"""

import re
from collections.abc import Iterable, Sequence

from django.db import connections

from accounts.models import UserAccount, listed_candidate
from profiles.models import UserSkill

TABLE = "profiles_skill_holders"
TRIGGER = "profiles_skill_holders_rows"
BLOCK_IDS = 8192
"""Candidate ids per bitmap row: 1 KB rows (stored inline, no TOAST), 123 per skill at a million."""
BLOCK_BYTES = BLOCK_IDS // 8
ANY_RATING = 0
"""The rating of the rows telling who holds a name at any rating (the others are per rating, 1-10)."""

_NONZERO = re.compile(rb"[^\x00]")


def available(using: str) -> bool:
    """True where the database keeps the bitmaps (PostgreSQL; SQLite ranks from the skill rows)."""
    return connections[using].vendor == "postgresql"


class ListedHolders:
    """The bitmaps of the listed candidates holding some skills, read from one database.

    `of()` reads who holds each name at any rating; `at(pairs)` who holds a name at exactly a rating
    ({(name, rating): bitmap}), one query for the pairs not read before. The few unlisted accounts
    holding a name (jobs migration 0007 indexes them) are read once and cleared from every bitmap.
    """

    def __init__(self, names: Iterable[str], using: str):
        self.names, self.using = sorted(set(names)), using
        self.read: dict[tuple[str, int], int] = {}
        unlisted_sql, unlisted_params = (
            UserAccount.objects.filter(~listed_candidate()).values("id").query.sql_with_params()
        )
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT user_id FROM {UserSkill._meta.db_table} "
                f"WHERE name = ANY(%s) AND user_id IN ({unlisted_sql})",
                [self.names, *unlisted_params],
            )
            self.unlisted = bits_of(user_id for (user_id,) in cursor.fetchall())

    def of(self) -> dict[str, int]:
        found = self.at((name, ANY_RATING) for name in self.names)
        return {name: found[name, ANY_RATING] for name in self.names}

    def at(self, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
        pairs = set(pairs)
        missing = sorted(pairs - self.read.keys())
        if missing:
            with connections[self.using].cursor() as cursor:
                cursor.execute(
                    f"SELECT name, rating, block, bits FROM {TABLE} "
                    "WHERE (name, rating) IN (SELECT * FROM unnest(%s::text[], %s::smallint[]))",
                    [[name for name, _ in missing], [rating for _, rating in missing]],
                )
                rows = cursor.fetchall()
            size = (max((block for *_, block, _ in rows), default=-1) + 1) * BLOCK_BYTES
            buffers = {pair: bytearray(size) for pair in missing}
            for name, rating, block, bits in rows:
                buffers[name, rating][block * BLOCK_BYTES : (block + 1) * BLOCK_BYTES] = bits
            for pair, buffer in buffers.items():
                self.read[pair] = int.from_bytes(buffer, "little") & ~self.unlisted
        return {pair: self.read[pair] for pair in pairs}


def requirement_count(requirements: Sequence[tuple[str, int]], using: str) -> int:
    """How many listed candidates hold every (name, at least this rating) of `requirements` (the
    candidate search's `skill` filter, profiles.filters): ANDs of per-rating bitmaps, two queries."""
    reader = ListedHolders((name for name, _ in requirements), using)
    wanted = {(name, rating) for name, least in requirements for rating in _ratings_from(least)}
    bitmaps = reader.at(wanted)
    matching = -1
    for name, least in requirements:
        held = 0
        for rating in _ratings_from(least):
            held |= bitmaps[name, rating]
        matching &= held
    return matching.bit_count() if requirements else 0


def _ratings_from(least: int) -> range:
    """The bitmap ratings covering ratings >= least (any rating when that is all of them)."""
    return range(ANY_RATING, ANY_RATING + 1) if least <= 1 else range(least, 11)


def bits_of(ids: Iterable[int]) -> int:
    """The bitmap with the bits of `ids` set."""
    ids = list(ids)
    bits = bytearray(max(ids, default=-1) // 8 + 1)
    for candidate_id in ids:
        bits[candidate_id >> 3] |= 1 << (candidate_id & 7)
    return int.from_bytes(bits, "little")


def ids_of(bitmap: int) -> list[int]:
    """The ids whose bits are set, ascending (the non-zero bytes found by the regex engine, not Python)."""
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    found = []
    for match in _NONZERO.finditer(data):
        byte, base = match.group()[0], match.start() * 8
        found.extend(base + bit for bit in range(8) if byte >> bit & 1)
    return found


class HeldCounts:
    """A small count per candidate (how many of a job's slots they hold, how far their ratings are),
    as a bit-sliced counter of bitmaps.

    `add(bitmap)` counts one for every candidate in it (a few big-integer operations, whatever the
    number of candidates); `exactly(h)` is the bitmap of those counted exactly h times.
    """

    def __init__(self):
        self.planes: list[int] = []

    def add(self, bitmap: int) -> None:
        carry = bitmap
        for index, plane in enumerate(self.planes):
            self.planes[index], carry = plane ^ carry, plane & carry
            if not carry:
                return
        if carry:
            self.planes.append(carry)

    def add_times(self, bitmap: int, times: int) -> None:
        for _ in range(times):
            self.add(bitmap)

    def exactly(self, held: int) -> int:
        """The bitmap of those counted `held` times (for 0: the complement of everyone counted)."""
        if held < 0 or held >> len(self.planes):
            return 0
        selected = -1  # every bit set, complemented planes included
        for index, plane in enumerate(self.planes):
            selected &= plane if held >> index & 1 else ~plane
        return selected

    def at_most(self, value: int) -> int:
        """The bitmap of those counted at most `value` times. Like `exactly(0)` it includes every id never
        counted (a negative integer: all bits set past the planes), so AND it with a finite bitmap."""
        selected = 0
        for held in range(value + 1):
            selected |= self.exactly(held)
        return selected


def held_counts(slots: Sequence[tuple[str, int]], holders: dict[str, int]) -> HeldCounts:
    """The counter for a job's (name, rating) slots: a name asked for twice counts twice."""
    counts = HeldCounts()
    for name, _ in slots:
        counts.add(holders.get(name, 0))
    return counts


def holders_rebuild(using: str = "default") -> int:
    """Rebuild every bitmap from the skill rows (after a load with the trigger off); the rows written.

    One aggregate sends each (name, rating, block)'s positions; the bitmaps are built here, those of
    any rating as their union, and written back.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"SELECT name, rating, user_id / {BLOCK_IDS}, array_agg(user_id % {BLOCK_IDS}) "
            f"FROM {UserSkill._meta.db_table} GROUP BY 1, 2, 3"
        )
        built: dict[tuple, bytearray] = {}
        for name, rating, block, positions in cursor.fetchall():
            exact = built[name, rating, block] = bytearray(BLOCK_BYTES)
            anyone = built.setdefault((name, ANY_RATING, block), bytearray(BLOCK_BYTES))
            for position in positions:
                exact[position >> 3] |= 1 << (position & 7)
                anyone[position >> 3] |= 1 << (position & 7)
        rows = [(*key, bytes(bits)) for key, bits in built.items()]
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {TABLE} (name, rating, block, bits) VALUES "
                + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),
                [value for row in chunk for value in row],
            )
    return len(rows)
