"""How many listed candidates each block of account ids holds: the index behind `/user/list`'s deep
offsets and its count at a million candidates.

`profiles_listed_blocks` (PostgreSQL only, profiles migration 0011) has one row per block of BLOCK_IDS
account ids with the number of listed candidates (`accounts.models.listed_candidate`) in it. Statement
triggers on the accounts table (their transition tables) keep it in the writer's transaction, after
locking the candidates' data version row as the skill holders' triggers do (profiles.holders), so
writers cannot deadlock over block rows; TRUNCATE empties it. The COPY seeder's deferred load switches
the insert trigger (TRIGGER) off and calls `listed_rebuild` after.

So `?limit=20&offset=999980` reads 123 small rows to find the block holding the 999,980th listed
candidate and skips at most BLOCK_IDS entries of the listed candidates' index from there, instead of
999,980 of them (0.13 s at a million); the count of the whole list is their sum, exact and uncached.
"""

from django.db import connections

from accounts.models import UserAccount, listed_candidate

TABLE = "profiles_listed_blocks"
TRIGGER = "profiles_listed_blocks_inserted"
"""The insert trigger: a bulk load switches it off (seeding.synthetic), then calls `listed_rebuild`."""
BLOCK_IDS = 8192
"""Account ids per counted block: 123 rows at a million; a page skips fewer than this many entries."""


def available(using: str) -> bool:
    """True where the database keeps the block counts (PostgreSQL)."""
    return connections[using].vendor == "postgresql"


def listed_count(using: str) -> int:
    """How many listed candidates there are (the sum of the blocks' counts)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(listed), 0) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def listed_seek(offset: int, using: str) -> tuple[int, int] | None:
    """Where the listed candidate at `offset` (0-based, in id order) is: (the first id of its block,
    how many listed candidates of that block come before it); None past the last one."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT block, %s - before FROM ("
            f"  SELECT block, listed, sum(listed) OVER (ORDER BY block) - listed AS before FROM {TABLE}"
            f") counted WHERE before <= %s AND %s < before + listed ORDER BY block LIMIT 1",
            [offset, offset, offset],
        )
        found = cursor.fetchone()
    return None if found is None else (found[0] * BLOCK_IDS, int(found[1]))


def listed_rebuild(using: str = "default") -> None:
    """Count every block again from the accounts (after a load with the triggers off, or to check them)."""
    listed_sql, params = UserAccount.objects.filter(listed_candidate()).values("id").query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (block, listed) "
            f"SELECT id / {BLOCK_IDS}, count(*) FROM ({listed_sql}) listed GROUP BY 1",
            params,
        )
