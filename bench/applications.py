"""Benchmark of GET /job/<id>/applications: a job's whole applicant list, scored and with assessments.

    .venv/bin/python -m bench.applications
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python -m bench.applications -n 5000

The data goes into a throwaway test database that Django's test utilities create next to the one
DATABASE_URL names (`test_<name>`; in memory for SQLite) and drop at the end. It creates N synthetic
developers (seeding.synthetic), a job with 5 of their skills, an application from every developer
and a 5-question assessment that every other developer has taken, then times through Django's
test Client with the company's JWT (medians over --repeat):

  (a) the full applicant list (bare array, what a screen asks for by default),
  (b) one page of it (?limit=20),
  (c) the baseline: POST /user/recommend/list for the same job (the engine over the same people),

and prints ratios, query counts, response sizes and whether (a) meets the 300 ms target.
"""

import argparse
import os
import statistics
import time

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from assessments.models import Answer, Question, UserAnswer
from jobs.models import Application, Job, JobSkill
from seeding.synthetic import create_synthetic_developers

TARGET_SECONDS = 0.300
JOB_SKILLS = [("Python", 7), ("React", 6), ("Node.js", 5), ("Go", 8), ("SQL", 6)]


def seed(candidates: int) -> Job:
    """N developers who all applied to one job, half of them with a taken assessment."""
    create_synthetic_developers(candidates, 1)
    company = UserAccount.objects.create(email="bench-co@bench.example", name="Bench Co", type="company")
    job = Job.objects.create(
        user=company,
        title="Bench job",
        description="Benchmark job.",
        work_email="jobs@bench.example",
        hiring_needs="Full Time",
        current_employees="11-50",
        name="Bench Co",
    )
    JobSkill.objects.bulk_create(JobSkill(job=job, name=name, rating=rating) for name, rating in JOB_SKILLS)
    developers = list(UserAccount.objects.listed_candidates().values_list("id", flat=True))
    Application.objects.bulk_create(
        (Application(candidate_id=user_id, job=job) for user_id in developers), batch_size=2000
    )
    questions = [Question.objects.create(text=f"Question {n}", position=n) for n in range(1, 6)]
    answers = [
        (
            Answer.objects.create(question=q, text="right", is_correct=True),
            Answer.objects.create(question=q, text="wrong"),
        )
        for q in questions
    ]
    UserAnswer.objects.bulk_create(
        (
            UserAnswer(user_id=user_id, question=question, answer=pair[(user_id + n) % 2])
            for user_id in developers[::2]
            for n, (question, pair) in enumerate(zip(questions, answers, strict=True))
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return job


def time_request(call, repeat: int) -> tuple[float, int, int]:
    """Median seconds, queries of one request and the response size in bytes."""
    with CaptureQueriesContext(connection) as queries:
        response = call()
    query_count = len(queries)
    assert response.status_code == 200, response.content[:200]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), query_count, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--candidates", type=int, default=5000, help="applicants (default 5000)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        job = seed(args.candidates)
        client = Client(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(job.user)}")
        calls = {
            "(a) GET applicants, full": lambda: client.get(f"/job/{job.pk}/applications"),
            "(b) GET applicants, ?limit=20": lambda: client.get(f"/job/{job.pk}/applications?limit=20"),
            "(c) POST /user/recommend/list": lambda: client.post(
                "/user/recommend/list", {"job": job.pk}, content_type="application/json"
            ),
        }
        calls["(a) GET applicants, full"]()  # warm up: imports, URL resolver, connection
        results = {name: time_request(call, args.repeat) for name, call in calls.items()}
        applicants = Application.objects.filter(job=job).count()
        print(f"{connection.vendor}: {applicants} applicants, median of {args.repeat} requests")
        for name, (median, queries, size) in results.items():
            print(f"  {name:<32} {median * 1000:8.1f} ms  {queries} queries  {size / 1024:8.1f} KiB")
        full, page, baseline = (results[name][0] for name in calls)
        print(f"  a/c (applicants vs recommendations): {full / baseline:.2f}   a/b: {full / page:.1f}x")
        verdict = "met" if full < TARGET_SECONDS else "NOT met"
        print(f"  target: full list under {TARGET_SECONDS * 1000:.0f} ms: {verdict} ({full * 1000:.0f} ms)")
        print(f"  load average while running: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
