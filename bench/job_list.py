"""Benchmark of GET /job/list: the whole list (what the SPA asks for) against one page of 20.

    .venv/bin/python -m bench.job_list
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.job_list --jobs 1000

The data goes into a throwaway test database that Django's test utilities create next to the one
DATABASE_URL names (`test_<name>`; in memory for SQLite) and drop at the end, so no real data is
touched. It creates --jobs open jobs with --skills skills each, spread over 50 companies, then
requests both URLs through Django's test Client as a logged-in developer (the SPA's JWT header),
and prints the median time of each over --repeat runs, their ratio and their query counts.
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
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill

COMPANIES = 50
SKILL_NAMES = ["Python", "React", "Node.js", "Go", "Java", "TypeScript", "Swift", "PHP", "Scala", "DevOps"]
URLS = {"full": "/job/list", "limit20": "/job/list?limit=20"}


def create_jobs(jobs: int, skills: int) -> UserAccount:
    """`jobs` open jobs of `skills` skills each; returns the developer who will read them."""
    companies = UserAccount.objects.bulk_create(
        UserAccount(email=f"bench{n}@company.example", name=f"Company {n}", type=UserAccount.Type.COMPANY)
        for n in range(COMPANIES)
    )
    created = Job.objects.bulk_create(
        Job(
            user=companies[n % COMPANIES],
            title=f"Engineer {n}",
            description="Build and run our APIs. " * 20,
            work_email="jobs@company.example",
            hiring_needs=HiringNeeds.values[n % len(HiringNeeds.values)],
            current_employees=CompanySize.values[n % len(CompanySize.values)],
            name=f"Company {n % COMPANIES}",
            phone="+1 555 0100",
            website="company.example",
        )
        for n in range(jobs)
    )
    JobSkill.objects.bulk_create(
        JobSkill(job=job, name=SKILL_NAMES[(n + k) % len(SKILL_NAMES)], rating=1 + (n + k) % 10)
        for n, job in enumerate(created)
        for k in range(skills)
    )
    return UserAccount.objects.create_user("bench-dev@example.com", "unused-Password-1", name="Dev")


def time_url(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    """Median seconds per request, queries of one request, and the response size in bytes."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # read now: the next request clears the connection's query log
    assert response.status_code == 200, response.content[:200]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), query_count, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        developer = create_jobs(args.jobs, args.skills)
        client = Client(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(developer)}")
        print(
            f"{connection.vendor}: {args.jobs} open jobs x {args.skills} skills, "
            f"median of {args.repeat} GETs through the test Client"
        )
        results = {name: time_url(client, url, args.repeat) for name, url in URLS.items()}
        for name, (median, queries, size) in results.items():
            print(
                f"  {URLS[name]:<22} median {median * 1000:8.2f} ms  {1 / median:8.1f} req/s  "
                f"{queries} queries  {size / 1024:8.1f} KiB"
            )
        print(f"  ratio full/limit20: {results['full'][0] / results['limit20'][0]:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
