"""The rows of a whole ranking, one per candidate, aligned to the job's skills by the database.

A whole ranking (POST /user/recommend/list without `?limit=`, the admin's job page) scores every
listed candidate holding a skill the job requires: 427,000 of a million for a job of 5 skills. Read
as one row per skill (jobs.ranking.scorer_rows) that is 519,000 rows turned into Python objects and
walked one by one; here the database groups them, so Python gets one row per candidate with the
ratings of the job's skills coded in one integer (`JobMatcher.code`, read by `rank_coded`).

Written out for the database's plan, as jobs.topk's sum of points: one index-only scan per skill
name in candidate id order (jobs_ranking_holders), merged and grouped per candidate without
hashing, then merged with the listed candidates' index (accounts_listed_candidates: id and name)
and the availabilities' (profiles_availability_type_by_user: user and type), all index-only. At a
million candidates that is 0.7-0.8 s where the ORM's hash joins and sorts took 1.5 s, and three
values a row arrive without Django's per-value converters (another second for the ORM's 3.4 million).
"""

from collections.abc import Iterator

from django.db import connections, router

from accounts.models import UserAccount, listed_candidate
from helpers.recommend import CODE_BASE, JobRequirements
from helpers.renderers import CHUNK_ROWS
from profiles.models import Availability, UserSkill

# The plan the statement is written for (the planner, guessing 200 groups, would loop over index
# lookups: 3.0 s instead of 1.3 s at a million): merges everywhere, in one process (parallel workers
# would sort what the indexes already give in order), without compiling it (JIT: 10-70 ms of a read
# that never repeats).
PLAN = (
    "SET LOCAL enable_hashagg = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_nestloop = off; "
    "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; "
)


def aligned_sql(job: JobRequirements) -> tuple[str, list]:
    """The statement and its parameters: (candidate id, `JobMatcher.code` of their ratings of the job's
    skills and availability mismatch, name) per listed candidate holding one of them, by id.

    A candidate holds a skill name at most once (profiles_userskill_unique_name), so the code is the
    sum over their rows of the rating times the digit weights of the slots that name fills.
    """
    size = len(job.skills)
    weights: dict[str, int] = {}
    for slot, (name, _rating) in enumerate(job.skills):  # the matcher allows a name twice
        weights[name] = weights.get(name, 0) + CODE_BASE**slot
    skills, availabilities = UserSkill._meta.db_table, Availability._meta.db_table
    scans = " UNION ALL ".join(
        f"SELECT * FROM (SELECT user_id, rating * CAST({weight} AS BIGINT) AS c FROM {skills}"
        " WHERE name = %s ORDER BY user_id) s"
        for weight in weights.values()
    )
    listed, listed_params = (
        UserAccount.objects.filter(listed_candidate()).values("id", "name").query.sql_with_params()
    )
    sql = f"""
        SELECT g.user_id, g.c + CASE WHEN av.availability_type <> %s THEN {CODE_BASE**size} ELSE 0 END, l.name
        FROM (SELECT x.user_id, CAST(SUM(x.c) AS BIGINT) AS c FROM ({scans}) x GROUP BY x.user_id) g
        JOIN ({listed}) l ON l.id = g.user_id
        LEFT JOIN {availabilities} av ON av.user_id = g.user_id
        ORDER BY g.user_id
    """
    return sql, [job.hiring_needs, *weights, *listed_params]


def aligned_row_chunks(job: JobRequirements) -> Iterator[list[tuple]]:
    """The rows of `aligned_sql`, CHUNK_ROWS at a time (one query; none for a job without skills)."""
    if not job.skills:
        return
    sql, params = aligned_sql(job)
    with connections[router.db_for_read(UserSkill)].cursor() as cursor:
        if cursor.db.vendor == "postgresql":
            sql = PLAN + sql
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield rows
