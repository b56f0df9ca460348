"""Benchmark of candidate ranking: our engine against the original algorithm and a SQL floor.

    DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/python -m bench.recommend --candidates 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.recommend -n 1000

Use a throwaway database: the script migrates it, then adds synthetic developers
(seeding.synthetic, deterministic per --seed, so a larger N only adds the missing ones) and a
job with 5 skills, and on PostgreSQL runs ANALYZE (as autovacuum soon would after a bulk load).
It times, with medians over --repeat runs:

  (a) our engine in-process (job + skill rows + pure ranking + the response items) and over HTTP
      (Django's test client, JWT header, the full bare-array response),
  (b) the faithful naive original (bench/naive_recommend.py: one query per candidate per skill),
  (c) the floor: one hand-written SQL aggregate returning the same (id, rate) list,

checks that (a) and (b) give identical (id, rate) lists (and reports any difference from (c), whose
SQL sum may round differently in the last bit), and measures the peak memory that (a) adds with
tracemalloc, in separate runs so that tracing does not slow the timings.
"""

import os
import random
import statistics
import sys
import time
import tracemalloc

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from bench import synthetic_parser
from bench.naive_recommend import naive_ranking
from helpers.renderers import CollectorPause
from jobs.models import Job, JobSkill
from jobs.ranking import candidate_ranking, job_for_ranking
from seeding.synthetic import SKILL_VOCABULARY, create_synthetic_developers

BENCH_COMPANY_EMAIL = "bench-company@bench.example"
JOB_SKILLS = 5

FLOOR_SQL = """
SELECT user_id, rate FROM (
    SELECT totals.user_id, {rate} AS rate
    FROM (
        SELECT us.user_id,
               SUM(%(weight)s * (1 - ABS(us.rating - js.rating) / CAST(10 AS DOUBLE PRECISION))) AS total
        FROM profiles_userskill us
        JOIN jobs_jobskill js ON js.job_id = %(job_id)s AND js.name = us.name
        JOIN accounts_useraccount u ON u.id = us.user_id AND u.type = 'user' AND u.is_active
        GROUP BY us.user_id
    ) totals
    LEFT JOIN profiles_availability av ON av.user_id = totals.user_id
) scored
WHERE rate > 0
ORDER BY rate DESC, user_id
"""
SCALED_TOTAL = (
    "totals.total * CASE WHEN av.availability_type IS NOT NULL"
    " AND av.availability_type <> %(hiring_needs)s THEN CAST(0.8 AS DOUBLE PRECISION) ELSE 1 END"
)
TRUNCATE = {"sqlite": "CAST({} AS INTEGER)", "postgresql": "TRUNC({})::integer"}


def bench_job(seed: int) -> Job:
    """The benchmark's job: 5 skills drawn from the developers' vocabulary, the same for a seed."""
    company, _ = UserAccount.objects.get_or_create(
        email=BENCH_COMPANY_EMAIL, defaults={"name": "Bench Co", "type": UserAccount.Type.COMPANY}
    )
    title = f"Bench job, seed {seed}"
    job = Job.objects.filter(user=company, title=title).first()
    if job is None:
        rng = random.Random(f"job-{seed}")
        job = Job.objects.create(
            user=company,
            title=title,
            description="Benchmark job.",
            work_email=BENCH_COMPANY_EMAIL,
            hiring_needs="Full Time",
            current_employees="11-50",
            name="Bench Co",
        )
        JobSkill.objects.bulk_create(
            JobSkill(job=job, name=name, rating=rng.randint(1, 10))
            for name in rng.sample(SKILL_VOCABULARY, JOB_SKILLS)
        )
    return job


def engine_items(job_id: int) -> list[dict]:
    """What the endpoint computes before rendering: the ranked items with explanations and assessments."""
    with CollectorPause():
        ranking = candidate_ranking(job_for_ranking(job_id))
        return ranking.items(ranking.ranked)


def floor_ranking(job: Job) -> list[tuple[int, int]]:
    sql = FLOOR_SQL.format(rate=TRUNCATE[connection.vendor].format(SCALED_TOTAL))
    skills = JobSkill.objects.filter(job=job).count()
    params = {"weight": 100 / skills, "job_id": job.pk, "hiring_needs": job.hiring_needs}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(user_id, rate) for user_id, rate in cursor.fetchall()]


def http_ranking(client: Client, job_id: int) -> bytes:
    response = client.post(
        "/user/recommend/list", {"job": str(job_id)}, content_type="application/json;charset=utf-8"
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


CPU_TIMES: dict[str, float] = {}


def timed(label: str, function, repeat: int):
    """(median wall seconds, last result) over `repeat` calls; the median CPU time goes to CPU_TIMES.

    CPU time (this process only: SQLite's work, not PostgreSQL's) is steadier than wall time when
    other programs share the machine.
    """
    times, cpu_times, result = [], [], None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    CPU_TIMES[label] = statistics.median(cpu_times)
    return statistics.median(times), result


def peak_megabytes(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv=None):
    parser = synthetic_parser(__doc__, repeat_help="runs per measurement")
    parser.add_argument("--naive-repeat", type=int, default=1, help="runs of the naive original (default 1)")
    parser.add_argument(
        "--naive-max", type=int, default=10_000, help="skip the naive original above this many candidates"
    )
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    created = create_synthetic_developers(args.candidates, args.seed)
    print(f"seeded {created} new developers in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    job = bench_job(args.seed)
    if connection.vendor == "postgresql":
        # Autovacuum would gather statistics soon after a bulk load; without them the planner
        # expects a handful of rows and picks nested loops that take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    candidates = UserAccount.objects.listed_candidates().count()
    client = Client(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(job.user)}")
    vendor = connection.vendor

    http_ranking(client, job.pk)  # warm up: imports, URL resolver, connection
    engine_time, items = timed("engine", lambda: engine_items(job.pk), args.repeat)
    http_time, body = timed("http", lambda: http_ranking(client, job.pk), args.repeat)
    floor_time, floor = timed("floor", lambda: floor_ranking(job), args.repeat)
    engine = [(item["id"], item["rate"]) for item in items]

    if candidates <= args.naive_max:
        naive_time, naive = timed("naive", lambda: naive_ranking(job), args.naive_repeat)
        same = "yes" if naive == engine else "NO"
        if naive != engine:
            print(f"MISMATCH engine vs naive: {len(engine)} vs {len(naive)} items", file=sys.stderr)
    else:
        naive_time, same = None, f"skipped (> {args.naive_max})"
    floor_diff = sum(1 for a, c in zip(engine, floor, strict=False) if a != c) + abs(len(engine) - len(floor))

    engine_memory = peak_megabytes(lambda: engine_items(job.pk))
    http_memory = peak_megabytes(lambda: http_ranking(client, job.pk))

    def ratio(a, b):
        return f"{a / b:.4f}" if b else "-"

    print(
        f"\n{vendor} | candidates {candidates} | ranked {len(engine)} | response {len(body) / 2**20:.1f} MB"
        f" | medians of {args.repeat} (naive: {args.naive_repeat})"
    )
    rows = [
        ("(a) engine, in-process", engine_time, "engine"),
        ("(a) engine, HTTP full list", http_time, "http"),
        ("(b) naive original", naive_time, "naive"),
        ("(c) SQL floor", floor_time, "floor"),
    ]
    for label, seconds, key in rows:
        wall = "-" if seconds is None else f"{seconds:.4f} s"
        cpu = f"{CPU_TIMES[key]:.4f} s" if key in CPU_TIMES else "-"
        print(f"  {label:<28} wall {wall:<10}  cpu {cpu}")
    print(
        f"  a/b in-process {ratio(engine_time, naive_time) if naive_time else '-'}"
        f"  HTTP {ratio(http_time, naive_time) if naive_time else '-'}"
    )
    print(f"  a/c in-process {ratio(engine_time, floor_time)}  HTTP {ratio(http_time, floor_time)}")
    print(f"  (a) == (b) (id, rate) lists: {same};  items differing from (c): {floor_diff}")
    print(f"  peak traced memory: in-process {engine_memory:.1f} MB, HTTP {http_memory:.1f} MB")
    print(f"  load average while running: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        "  | DB | N | (a) in-process s | (a) HTTP s | (b) naive s | (c) SQL s | a/b | a/c (HTTP) | "
        "peak MB (HTTP) | a==b |\n"
        f"  | {vendor} | {candidates} | {engine_time:.3f} | {http_time:.3f} | "
        f"{'-' if naive_time is None else f'{naive_time:.2f}'} | {floor_time:.3f} | "
        f"{ratio(engine_time, naive_time) if naive_time else '-'} | {ratio(http_time, floor_time)} | "
        f"{http_memory:.0f} | {same} |"
    )
    return 0 if same in ("yes",) or naive_time is None else 1


if __name__ == "__main__":
    sys.exit(main())
