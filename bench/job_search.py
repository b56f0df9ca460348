"""Benchmark of job search: `?q=` (two words) with a country filter, first page of 20, and the
facets, against the old `?search=` substring match with the same filter, in the same run.

    .venv/bin/python -m bench.job_search --jobs 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.job_search

The data goes into a throwaway test database (`test_<name>`; in memory for SQLite) dropped at the
end. It seeds --jobs open jobs with seeding.synthetic_jobs (the generator of `insert_dev
--synthetic-jobs`), runs (VACUUM) ANALYZE, then requests each URL through Django's test Client as a
logged-in developer, rotating over several word pairs and countries, and prints p50/p95, the query
counts, the ratios to the baseline and the query plan (EXPLAIN) of the page's query.
Targets (issue 23): search p50 < 30 ms and p95 < 100 ms; facets < 150 ms.
"""

import argparse
import statistics
import time

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from seeding.synthetic_jobs import create_synthetic_jobs

PAIRS = ["python developer", "senior engineer", "react typescript", "data pipelines", "kubernetes terraform"]
COUNTRIES = ["DE", "GB", "US"]
CASES = {
    "q (relevance)": "/job/list?q={words}&country={country}&limit=20",
    "facets": "/job/facets?q={words}&country={country}",
    "baseline search=": "/job/list?search={words}&country={country}&limit=20",
}


def urls(template: str) -> list[str]:
    return [template.format(words=w.replace(" ", "+"), country=c) for w in PAIRS for c in COUNTRIES]


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_case(client: Client, template: str, rounds: int) -> tuple[float, float, int]:
    """(p50 s, p95 s, queries of one request) over `rounds` passes of every URL of the case."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(urls(template)[0]).status_code == 200
    count = len(queries)
    timings = []
    for _ in range(rounds):
        for url in urls(template):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:200]
    return statistics.median(timings), percentile(timings, 0.95), count


def explain(client: Client, url: str) -> str:
    """The plan of the request's slowest-looking query: the one reading the page (the last)."""
    connection.force_debug_cursor = True
    try:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    finally:
        connection.force_debug_cursor = False
    sql = queries.captured_queries[-1]["sql"]
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    return "\n".join("    " + " | ".join(str(part) for part in row) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=4, help="passes over the 15 URLs of each case")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        create_synthetic_jobs(args.jobs, seed=1)
        with connection.cursor() as cursor:
            # PostgreSQL: the skills' statement trigger rewrote every job row once (the search
            # vector); VACUUM clears those dead versions as autovacuum would on a live server.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        seeded = time.perf_counter() - start
        developer = UserAccount.objects.create_user("bench-dev@example.com", "unused-Password-1", name="Dev")
        client = Client(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(developer)}")
        print(f"{connection.vendor}: {args.jobs} open jobs (seeded in {seeded:.0f} s), {len(urls(''))} URLs")
        results = {name: time_case(client, template, args.rounds) for name, template in CASES.items()}
        baseline = results["baseline search="][0]
        for name, (p50, p95, queries) in results.items():
            print(
                f"  {name:<18} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  {queries} queries  "
                f"p50 / baseline {p50 / baseline:5.2f}"
            )
        for name in ("q (relevance)", "baseline search="):
            print(f"  plan of {name}: {urls(CASES[name])[0]}")
            print(explain(client, urls(CASES[name])[0]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
