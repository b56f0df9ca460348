"""Two app servers behave as one service: login-failure counts and throttles live in the shared cache.

Starts two gunicorn instances on different ports, sharing a database (a temporary SQLite file here)
and the cache: Redis (TEST_REDIS_URL or REDIS_URL, under a key prefix of this test's own), or without
Redis the cache table in that database; and alternates between them.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
PASSWORD = "Two-Servers-Pass-42"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(base, path, body):
    import json

    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(params=["database", "redis"])
def two_servers(request):
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("needs Redis (TEST_REDIS_URL or REDIS_URL)")
    workdir = Path(tempfile.mkdtemp(prefix="jp_two_"))
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/tmp",
        "ENV_FILE": "/dev/null",
        "DEBUG": "False",
        "SECRET_KEY": "two-servers-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        **({"REDIS_URL": REDIS_URL} if request.param == "redis" else {}),
        "CACHE_KEY_PREFIX": f"two-servers-{os.getpid()}-{time.monotonic_ns()}",
        "LOGIN_FAILURE_LIMIT": "3",
        "AUTH_THROTTLE_RATE": "8/minute",
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "job_portal.wsgi",
                    "--config",
                    "job_portal/gunicorn.conf.py",
                ],
                cwd=ROOT,
                env=env | {"PORT": str(port)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
    yield bases
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    if request.param == "redis":
        _forget(env["CACHE_KEY_PREFIX"])
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()


def _forget(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_login_failures_and_throttles_are_counted_across_both_servers(two_servers):
    first, second = two_servers
    signup = {
        "name": "Ann",
        "email": "ann@example.com",
        "type": "user",
        "password": PASSWORD,
        "re_password": PASSWORD,
    }
    assert post(first, "/auth/users/", signup) == 201
    wrong = {"email": "ann@example.com", "password": "wrong"}

    failures = [post(base, "/auth/jwt/create/", wrong) for base in (first, second, first)]
    locked_on_second = post(second, "/auth/jwt/create/", {"email": "ann@example.com", "password": PASSWORD})

    assert failures == [401, 401, 401]
    assert locked_on_second == 429  # the second server saw the first server's failures

    # AUTH_THROTTLE_RATE 8/minute per address, over both servers together: 5 calls so far.
    statuses = [
        post(base, "/auth/users/reset_password/", {"email": "x@example.com"}) for base in (first, second) * 3
    ]
    assert statuses == [204, 204, 204, 429, 429, 429]
