"""Benchmark of ranking pages (`?limit=20`, jobs.topk) and the whole streamed ranking, next to SQL floors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.topk -n 100000
    DATABASE_STATEMENT_TIMEOUT=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/copy_of_1m \
        .venv/bin/python -m bench.topk --skip-seed

(At a million candidates, building the ranking's indexes (jobs migration 0007) takes longer than the
default 10 s statement timeout: as `manage.py migrate` in deployment, run it with the timeout off.)

Use a throwaway database: the script migrates it, adds synthetic developers (seeding.synthetic; with
--skip-seed it takes the developers already there), --jobs random jobs of 5 skills from the developers'
vocabulary (the same for a seed), VACUUM ANALYZE, then serves the app with gunicorn (one worker, as
bench/lists.py) and times, as the jobs' company over HTTP:

  - `POST /user/recommend/list?limit=20` once per job (after one warm-up): p50 and p95, next to the
    floor of the same question asked of the database alone (one hand-written aggregate scoring every
    candidate in SQL, ORDER BY rate LIMIT 20, in this process), and checks on the first --check jobs
    that the page and `count` equal the whole ranking's first 20 and length;
  - the whole list (no limit, streamed) of the first job: median of --repeat reads, the worker's peak
    resident memory while answering (VmHWM, reset before), next to the floor of reading the rows it
    needs (a raw cursor fetch of the listed candidates' skill rows for the job's skills, with their
    availability and name, in this process), and next to the raw fetch of the coded rows it reads
    (jobs.aligned: the same facts grouped by the database, one row per candidate).
"""

import json
import random
import statistics
import sys
import time

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.core.management import call_command
from django.db import connection, transaction
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount, listed_candidate
from bench import synthetic_parser
from bench.lists import Server
from bench.recommend import FLOOR_SQL, SCALED_TOTAL, TRUNCATE
from jobs.aligned import PLAN, aligned_sql
from jobs.models import HiringNeeds, Job, JobSkill
from jobs.ranking import job_for_ranking, scorer_rows
from seeding.synthetic import SKILL_VOCABULARY, create_synthetic_developers

COMPANY_EMAIL = "topk-bench@bench.example"
JOB_SKILLS = 5
LIMIT = 20


def bench_jobs(count: int, seed: int) -> list[Job]:
    """`count` jobs of 5 random skills (ratings 1-10) and random hiring needs, the same for a seed."""
    company, _ = UserAccount.objects.get_or_create(
        email=COMPANY_EMAIL, defaults={"name": "Topk Bench", "type": UserAccount.Type.COMPANY}
    )
    rng = random.Random(f"topk-{seed}")
    jobs = []
    for index in range(count):
        skills = [(name, rng.randint(1, 10)) for name in rng.sample(SKILL_VOCABULARY, JOB_SKILLS)]
        hiring_needs = rng.choice(HiringNeeds.values)
        title = f"Top-k bench job {index}, seed {seed}"
        job = Job.objects.filter(user=company, title=title).first()
        if job is None:
            job = Job.objects.create(
                user=company,
                title=title,
                description="Benchmark job.",
                work_email=COMPANY_EMAIL,
                hiring_needs=hiring_needs,
                current_employees="11-50",
                name="Topk Bench",
            )
            JobSkill.objects.bulk_create(
                JobSkill(job=job, name=name, rating=rating) for name, rating in skills
            )
        jobs.append(job)
    return jobs


def floor_top(job: Job) -> float:
    """Seconds for the database alone to answer the page: every candidate scored in SQL, LIMIT 20."""
    sql = FLOOR_SQL.format(rate=TRUNCATE[connection.vendor].format(SCALED_TOTAL)) + f" LIMIT {LIMIT}"
    params = {"weight": 100 / JOB_SKILLS, "job_id": job.pk, "hiring_needs": job.hiring_needs}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return time.perf_counter() - started


def floor_rows(job: Job) -> tuple[float, int]:
    """(seconds, rows) of a raw cursor fetch of the rows the whole ranking reads."""
    names = set(JobSkill.objects.filter(job=job).values_list("name", flat=True))
    sql, params = scorer_rows(listed_candidate(), names=names).query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def floor_coded_rows(job: Job) -> tuple[float, int]:
    """(seconds, rows) of a raw cursor fetch of the coded rows the whole ranking now reads (jobs.aligned):
    the database's own share, one row per candidate."""
    sql, params = aligned_sql(job_for_ranking(job.pk))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PLAN)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv=None):
    parser = synthetic_parser(__doc__, repeat_help="reads of the whole list")
    parser.add_argument("--jobs", type=int, default=50, help="random jobs for ?limit=20 (default 50)")
    parser.add_argument(
        "--check", type=int, default=5, help="jobs whose page is checked against the whole list"
    )
    parser.add_argument("--skip-seed", action="store_true", help="use the developers already in the database")
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    if not args.skip_seed:
        started = time.perf_counter()
        created = create_synthetic_developers(args.candidates, args.seed)
        print(f"seeded {created} new developers in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    jobs = bench_jobs(args.jobs, args.seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    candidates = UserAccount.objects.listed_candidates().count()
    headers = {
        "Authorization": f"JWT {AccessToken.for_user(jobs[0].user)}",
        "Content-Type": "application/json",
    }

    def ask(job, query=""):
        body = json.dumps({"job": job.pk})
        status, _, content, seconds = server.request("POST", f"/user/recommend/list{query}", headers, body)
        assert status == 200, content[:300]
        return content, seconds

    server = Server()
    try:
        ask(jobs[0], f"?limit={LIMIT}")  # warm up: imports, URL resolver, connection
        page_times, floor_times, counts = [], [], []
        for job in jobs:
            content, seconds = ask(job, f"?limit={LIMIT}")
            page_times.append(seconds)
            counts.append(json.loads(content)["count"])
            floor_times.append(floor_top(job))
        checked = 0
        for job in jobs[: args.check]:
            page = json.loads(ask(job, f"?limit={LIMIT}")[0])
            whole = json.loads(ask(job)[0])
            if page["count"] != len(whole) or page["results"] != whole[:LIMIT]:
                print(f"MISMATCH job {job.pk}: page is not the whole list's first {LIMIT}", file=sys.stderr)
                return 1
            checked += 1

        full_times = []
        for _ in range(args.repeat):
            server.reset_peak_memory()
            before = server.memory_megabytes("VmRSS")
            content, seconds = ask(jobs[0])
            full_times.append(seconds)
            peak = server.memory_megabytes("VmHWM")
        size, ranked = len(content), counts[0]
        del content
    finally:
        server.stop()
    rows_times = [floor_rows(jobs[0]) for _ in range(args.repeat)]
    rows_time, rows = statistics.median(t for t, _ in rows_times), rows_times[0][1]
    coded_times = [floor_coded_rows(jobs[0]) for _ in range(args.repeat)]
    coded_time, coded = statistics.median(t for t, _ in coded_times), coded_times[0][1]

    p50, p95 = statistics.median(page_times), percentile(page_times, 0.95)
    f50, f95 = statistics.median(floor_times), percentile(floor_times, 0.95)
    full = statistics.median(full_times)
    print(
        f"\n{connection.vendor} | candidates {candidates} | {len(jobs)} jobs of {JOB_SKILLS} skills"
        f" | matches per job median {statistics.median(counts):.0f}"
    )
    print(
        f"  ?limit={LIMIT}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms | SQL floor (all scored in SQL, "
        f"LIMIT {LIMIT}): p50 {f50 * 1000:.1f} ms, p95 {f95 * 1000:.1f} ms | ratio p50 {p50 / f50:.3f}"
    )
    print(f"  pages equal to the whole list's first {LIMIT} (and count): {checked} of {checked} jobs checked")
    print(
        f"  whole list of job 1 ({ranked} ranked, {size / 2**20:.1f} MB, streamed): {full:.3f} s | "
        f"floor (raw fetch of its {rows} rows): {rows_time:.3f} s | ratio {full / rows_time:.3f}"
    )
    print(
        f"  coded rows the whole list reads (jobs.aligned, {coded} rows, raw fetch): {coded_time:.3f} s"
        f" | ratio {full / coded_time:.3f}"
    )
    print(f"  worker resident memory: {before:.0f} MB before, peak {peak:.0f} MB while answering")
    print(
        "  | DB | N | limit=20 p50 ms | p95 ms | floor p50 ms | p50/floor | whole list s | rows floor s |"
        " whole/floor | coded rows s | whole/coded | worker peak MB |\n"
        f"  | {connection.vendor} | {candidates} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | {f50 * 1000:.1f} | "
        f"{p50 / f50:.3f} | {full:.3f} | {rows_time:.3f} | {full / rows_time:.3f} | {coded_time:.3f} | "
        f"{full / coded_time:.3f} | {peak:.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
