"""The daily read cap holds under parallel requests and across processes (accounts/access.py).

Many reads at once on PostgreSQL (threads, each with its own connection), and two gunicorn workers
without Redis sharing a SQLite file: the database is the one count, so exactly
CANDIDATE_READS_PER_DAY distinct candidates are answered, never more.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections

from accounts.models import CandidateAccess, CandidateReadCount
from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for

ROOT = Path(__file__).resolve().parents[2]


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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"JWT {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


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
    workdir = Path(tempfile.mkdtemp(prefix="jp_cap_"))
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/tmp",
        "ENV_FILE": "/dev/null",
        "DEBUG": "False",
        "SECRET_KEY": "read-cap-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "CANDIDATE_READS_PER_DAY": "6",
        "WEB_CONCURRENCY": "2",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    shell = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run)
    world = json.loads(shell.stdout.splitlines()[-1])  # after the shell's own greeting
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "job_portal.wsgi", "--config", "job_portal/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/health/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, world
    server.terminate()
    server.wait(timeout=30)
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()


def test_two_workers_without_redis_share_one_cap(two_workers_without_redis):
    base, world = two_workers_without_redis
    token, candidates = world["token"], world["candidates"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda pk: get(base, f"/user/list/{pk}", token)[0], candidates))
    again = [get(base, f"/user/list/{pk}", token) for pk in candidates]

    assert sorted(answers) == [200] * 6 + [429] * 2
    assert [status for status, _ in again] == answers  # every worker agrees, request after request
    refused = next(headers for status, headers in again if status == 429)
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
