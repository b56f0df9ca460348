"""Test support: the app served by gunicorn in its own processes, as deployed (not a test module).

`gunicorn_on_sqlite` migrates a fresh SQLite file, runs a `manage.py shell` script to set the scene
(its last printed line is JSON, handed back), starts gunicorn with WEB_CONCURRENCY workers and no
Redis unless `env` names one, and waits for `/health/`. Workers in separate processes share only
what deployment shares: the database file, and Redis when given.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(base: str, path: str, token: str | None = None) -> tuple[int, dict]:
    """(status, headers) of a GET, errors included."""
    headers = {"Authorization": f"JWT {token}"} if token else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(base + path, headers=headers), timeout=30
        ) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@contextmanager
def gunicorn_on_sqlite(
    env: dict[str, str], setup: str | None = None, workers: int = 2
) -> Iterator[tuple[str, object]]:
    """(base URL, what `setup` printed as JSON, or None) while gunicorn serves a fresh SQLite file."""
    workdir = Path(tempfile.mkdtemp(prefix="jp_gunicorn_"))
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/tmp",
        "ENV_FILE": "/dev/null",
        "DEBUG": "False",
        "SECRET_KEY": "gunicorn-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "WEB_CONCURRENCY": str(workers),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        **env,
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    world = None
    if setup is not None:
        shell = subprocess.run([sys.executable, "manage.py", "shell", "-c", setup], **run)
        world = json.loads(shell.stdout.splitlines()[-1])  # after the shell's own greeting
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "job_portal.wsgi", "--config", "job_portal/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, world
    finally:
        server.terminate()
        server.wait(timeout=30)
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
