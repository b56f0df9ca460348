"""The daily read cap holds under parallel requests and across processes (accounts/access.py).

Many reads at once on PostgreSQL (threads, each with its own connection), and two gunicorn workers
without Redis sharing a SQLite file: the database is the one count, so exactly
CANDIDATE_READS_PER_DAY distinct candidates are answered, never more.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from accounts.models import CandidateAccess, CandidateReadCount
from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for
from job_portal.tests.servers import gunicorn_on_sqlite, http_get


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("requests", "candidates"), [(40, 40), (40, 15)], ids=["distinct", "repeated"])
def test_parallel_reads_on_postgresql_answer_exactly_the_cap(settings, requests, candidates):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite's writers queue, see the gunicorn test")
    settings.CANDIDATE_READS_PER_DAY = 10
    company = CompanyFactory()
    people = [CandidateFactory() for _ in range(candidates)]
    start = threading.Barrier(requests)

    def read(i):
        client = client_for(company)
        try:
            start.wait()
            return people[i % candidates].pk, client.get(
                f"/user/list/{people[i % candidates].pk}"
            ).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(requests) as pool:
        answers = list(pool.map(read, range(requests)))

    admitted = {candidate for candidate, status in answers if status == 200}
    assert len(admitted) == 10
    assert all(status == (200 if candidate in admitted else 429) for candidate, status in answers)
    assert set(CandidateAccess.objects.values_list("candidate_id", flat=True)) == admitted
    assert CandidateReadCount.objects.get(company=company).candidates == 10


SETUP = """
from accounts.tests.factories import CandidateFactory, CompanyFactory
from rest_framework_simplejwt.tokens import AccessToken
import json
company = CompanyFactory()
people = [CandidateFactory().pk for _ in range(8)]
print(json.dumps({"token": str(AccessToken.for_user(company)), "candidates": people}))
"""


@pytest.fixture
def two_workers_without_redis():
    with gunicorn_on_sqlite({"CANDIDATE_READS_PER_DAY": "6"}, SETUP) as served:
        yield served


def test_two_workers_without_redis_share_one_cap(two_workers_without_redis):
    base, world = two_workers_without_redis
    token, candidates = world["token"], world["candidates"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda pk: http_get(base, f"/user/list/{pk}", token)[0], candidates))
    again = [http_get(base, f"/user/list/{pk}", token) for pk in candidates]

    assert sorted(answers) == [200] * 6 + [429] * 2
    assert [status for status, _ in again] == answers  # every worker agrees, request after request
    refused = next(headers for status, headers in again if status == 429)
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
