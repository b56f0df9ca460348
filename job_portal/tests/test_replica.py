"""A ranking is served by a real streaming replica; a recruiter's reads right after their own write are not.

`scripts/replica` (run by `.ci/run`) starts a second PostgreSQL cluster streaming from the first. This
test makes a database of its own on the primary (the replica receives it by streaming replication),
serves it with gunicorn configured with DATABASE_URL and DATABASE_REPLICA_URL, and pauses the
replica's replay so that the two visibly differ: a candidate who is hidden on the primary is still
ranked by the paused replica, until the recruiter writes something and is pinned to the primary.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Only in the suite's PostgreSQL run (scripts/test), against the same server.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
PRIMARY_URL = DATABASE_URL if DATABASE_URL.startswith("postgres") else ""
REPLICA_URL = os.environ.get("TEST_REPLICA_URL", "")
DEMO_PASSWORD = "devpass-2024"

pytestmark = pytest.mark.skipif(
    not (PRIMARY_URL and REPLICA_URL),
    reason="needs DATABASE_URL on PostgreSQL and TEST_REPLICA_URL (bash scripts/replica starts one)",
)


def _server_url(url: str) -> str:
    return url.rsplit("/", 1)[0]


def _sql(url: str, statement: str, *params):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def _replica_caught_up(primary: str, replica: str, timeout: float = 30) -> None:
    (target,) = _sql(primary, "SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ((done,),) = _sql(replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target)
        if done:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up with the primary")


def _call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"JWT {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def portal_with_replica():
    name = f"jp_replica_{os.getpid()}_{secrets.token_hex(3)}"
    primary_server, replica_server = _server_url(PRIMARY_URL), _server_url(REPLICA_URL)
    primary, replica = f"{primary_server}/{name}", f"{replica_server}/{name}"
    _sql(f"{primary_server}/postgres", f'CREATE DATABASE "{name}"')
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/tmp",
        "ENV_FILE": "/dev/null",
        "DEBUG": "False",
        "SECRET_KEY": "replica-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": replica,
        "REPLICA_PIN_SECONDS": "3",
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    server = None
    try:
        for command in (["migrate", "--noinput"], ["insert_dev"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True)  # fmt: skip
        _replica_caught_up(primary, replica)
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
        yield base, primary, replica
    finally:
        _sql(replica, "SELECT pg_wal_replay_resume()")
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _sql(f"{primary_server}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_ranking_is_served_by_the_replica_and_a_recruiters_own_write_pins_them_to_the_primary(
    portal_with_replica,
):
    base, primary, replica = portal_with_replica
    status, tokens = _call(
        base, "POST", "/auth/jwt/create/", {"email": "northwind@company.example", "password": DEMO_PASSWORD}
    )
    assert status == 200
    token = tokens["access"]
    status, jobs = _call(base, "GET", "/job/", token=token)
    job_id = jobs[0]["id"]

    def ranked_ids():
        status, ranked = _call(base, "POST", "/user/recommend/list", {"job": str(job_id)}, token=token)
        assert status == 200
        return [item["id"] for item in ranked]

    top = ranked_ids()[0]
    assert _sql(replica, "SELECT pg_is_in_recovery()") == [(True,)]
    _sql(replica, "SELECT pg_wal_replay_pause()")
    _sql(primary, "UPDATE accounts_useraccount SET searchable = false WHERE id = %s", top)

    assert top in ranked_ids()  # the paused replica has not seen the candidate hide: it served this

    status, _ = _call(base, "PATCH", f"/job/{job_id}", {"description": "Now remote-friendly."}, token=token)
    assert status == 200
    assert top not in ranked_ids()  # right after their own write the recruiter reads the primary

    _sql(replica, "SELECT pg_wal_replay_resume()")
    _replica_caught_up(primary, replica)
    time.sleep(3.2)  # REPLICA_PIN_SECONDS: back to the replica, which has caught up
    assert top not in ranked_ids()
