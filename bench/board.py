"""Benchmark of the public job board, warm: its first page, a filtered page, a careers page, a job's
HTML page and a 304 revalidation, against the logged-in `GET /job/list?limit=20` in the same run.

    .venv/bin/python -m bench.board --jobs 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.board

The data goes into a throwaway test database (`test_<name>`; in memory for SQLite) dropped at the
end: --jobs open jobs from seeding.synthetic_jobs (200 companies, a public profile each), then
ANALYZE. Each URL is requested once to warm up, then --rounds times; the throttle is set out of
reach. Prints p50/p95, queries per request, the ratio to the baseline and the query plans (EXPLAIN)
of the board page's queries. Target (issue 23): the public board page under 20 ms warm.
"""

import argparse
import statistics
import time

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from jobs.models import Job
from profiles.models import Company
from seeding.synthetic_jobs import create_synthetic_jobs


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_url(client: Client, url: str, rounds: int, status: int = 200, **headers) -> tuple[float, float, int]:
    """(p50 s, p95 s, queries of one request) of `rounds` warm requests of `url`."""
    assert client.get(url, headers=headers).status_code == status  # warm-up
    queries = []
    # Counted by a wrapper: each request's start resets the query log CaptureQueriesContext reads.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(url, headers=headers)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append(time.perf_counter() - start)
        assert response.status_code == status, response.content[:200]
    return statistics.median(timings), percentile(timings, 0.95), len(queries)


def plans(client: Client, url: str) -> str:
    """EXPLAIN of the count and the page's job query (the first two of the board page)."""
    queries = []

    def record(execute, sql, params, *rest):
        queries.append((sql, params))
        return execute(sql, params, *rest)

    with connection.execute_wrapper(record):
        client.get(url)
    prefix = "EXPLAIN (ANALYZE, BUFFERS OFF)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    lines = []
    for sql, params in queries[:2]:
        with connection.cursor() as cursor:
            cursor.execute(f"{prefix} {sql}", params)
            lines += ["    " + " | ".join(str(part) for part in row) for row in cursor.fetchall()]
        lines.append("    --")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    framework = settings.REST_FRAMEWORK  # the board's throttle off: one client asks thousands of times
    rates = {**framework["DEFAULT_THROTTLE_RATES"], "board": "1000000/minute"}
    override_settings(REST_FRAMEWORK={**framework, "DEFAULT_THROTTLE_RATES": rates}).enable()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        create_synthetic_jobs(args.jobs, seed=1)
        companies = UserAccount.objects.filter(type=UserAccount.Type.COMPANY)
        Company.objects.bulk_create(
            Company(user=account, name=account.name, about="We build software.") for account in companies
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seeded = time.perf_counter() - start
        developer = UserAccount.objects.create_user("bench-dev@example.com", "unused-Password-1", name="Dev")
        logged_in = Client(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(developer)}")
        anonymous = Client()
        company_id = companies.order_by("id").values_list("id", flat=True).first()
        job_id = Job.objects.order_by("-created_at", "-id").values_list("id", flat=True).first()
        etag = anonymous.get("/board/jobs")["ETag"]
        print(f"{connection.vendor}: {args.jobs} open jobs (seeded in {seeded:.0f} s), {args.rounds} rounds")

        cases = {
            "baseline /job/list?limit=20 (logged in)": (logged_in, "/job/list?limit=20", 200, {}),
            "/board/jobs (first page of 20)": (anonymous, "/board/jobs", 200, {}),
            "/board/jobs?country=DE&workplace=remote": (
                anonymous,
                "/board/jobs?country=DE&workplace=remote",
                200,
                {},
            ),
            "/board/<company>/ (careers page)": (anonymous, f"/board/{company_id}/", 200, {}),
            "/jobs/<id>/ (HTML, JSON-LD)": (anonymous, f"/jobs/{job_id}/", 200, {}),
            "/board/jobs If-None-Match (304)": (anonymous, "/board/jobs", 304, {"If-None-Match": etag}),
        }
        results = {
            name: time_url(client, url, args.rounds, status, **headers)
            for name, (client, url, status, headers) in cases.items()
        }
        baseline = next(iter(results.values()))[0]
        for name, (p50, p95, queries) in results.items():
            print(
                f"  {name:<42} p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  {queries} queries  "
                f"p50 / baseline {p50 / baseline:5.2f}"
            )
        print("  plans of /board/jobs (count, page):")
        print(plans(anonymous, "/board/jobs"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
