"""Rate throttles admit exactly their rate across processes and parallel requests (helpers/throttling.py).

Two gunicorn workers without Redis on a SQLite file: the throttle counts in the database cache, so
the `board` rate holds for both workers together. Many requests at once on PostgreSQL (threads, each
with its own connection), on the database cache and on Redis: increment, then compare, so exactly
the rate's number are admitted, never one more.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection, connections

from helpers.testing import cache_clear_own, client_for, throttle_rates
from job_portal.tests.servers import gunicorn_on_sqlite, http_get

RATE = 6
REQUESTS = 20
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")


def test_two_workers_without_redis_share_one_board_throttle():
    with gunicorn_on_sqlite({"BOARD_THROTTLE_RATE": f"{RATE}/minute"}) as (base, _):
        with ThreadPoolExecutor(REQUESTS) as pool:
            answers = list(pool.map(lambda _: http_get(base, "/board/jobs"), range(REQUESTS)))
        after = http_get(base, "/board/jobs")

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * RATE + [429] * (REQUESTS - RATE)
    assert after[0] == 429  # whichever worker answers, the count is the same
    for status, headers in [*answers, after]:
        if status == 429:
            assert 0 < int(headers["Retry-After"]) <= 60


def use_cache(settings, backend):
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if backend == "database":
        settings.CACHES = {
            "default": {"BACKEND": "helpers.dbcache.SharedDatabaseCache", "KEY_PREFIX": prefix}
        }
    elif REDIS_URL:
        settings.CACHES = {
            "default": {
                "BACKEND": "helpers.cache.FailOpenRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
    else:
        pytest.skip("needs Redis (TEST_REDIS_URL or REDIS_URL)")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_parallel_requests_on_postgresql_admit_exactly_the_rate(settings, backend):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite's writers queue, see the gunicorn test")
    use_cache(settings, backend)
    throttle_rates(settings, board=f"{RATE}/minute")
    start = threading.Barrier(REQUESTS)

    def read(_):
        client = client_for()
        try:
            start.wait()
            response = client.get("/board/jobs", REMOTE_ADDR="198.51.100.9")
            return response.status_code, response.get("Retry-After")
        finally:
            connections.close_all()

    try:
        with ThreadPoolExecutor(REQUESTS) as pool:
            answers = list(pool.map(read, range(REQUESTS)))
    finally:
        cache_clear_own(cache)  # Redis keeps what a transactional test's flush does not reach

    assert sorted(status for status, _ in answers) == [200] * RATE + [429] * (REQUESTS - RATE)
    assert all(0 < int(wait) <= 60 for status, wait in answers if status == 429)
