"""Mail is never lost (issue 12): retries with backoff, failures kept in the database, resent from the admin.

A real SMTP server (aiosmtpd) on loopback refuses the first attempts. Without CELERY_BROKER_URL the
task runs in-process after commit; one test runs a real Celery worker process against Redis.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from accounts import mail
from accounts.models import FailedEmail
from accounts.tests.factories import CandidateFactory
from accounts.tests.test_smtp import free_port
from helpers.testing import client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class FlakyServer:
    """Answers `451 try again later` to the first `refusals` messages, then accepts."""

    def __init__(self, refusals):
        self.refusals = refusals
        self.attempts = 0
        self.delivered = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.attempts += 1
        if self.attempts <= self.refusals:
            return "451 4.3.0 Try again later"
        self.delivered.append(envelope.content.decode("utf8", "replace"))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    servers = []

    def start(refusals):
        handler = FlakyServer(refusals)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
        return handler

    yield start
    for controller in servers:
        controller.stop()


def ask_for_a_reset(email):
    return client_for().post("/auth/users/reset_password/", {"email": email}, format="json")


def test_an_smtp_refusal_is_retried_until_the_message_is_delivered(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_RETRIES = 3
    server = smtp(refusals=2)
    CandidateFactory(email="ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_a_reset("ann@example.com")

    assert response.status_code == 204
    assert server.attempts == 3
    assert len(server.delivered) == 1
    assert "/password/reset/confirm/" in server.delivered[0]
    assert not FailedEmail.objects.exists()


def test_a_message_failing_every_retry_is_kept_with_its_error_and_the_client_still_gets_204(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_RETRIES = 2
    server = smtp(refusals=100)
    CandidateFactory(email="ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_a_reset("ann@example.com")

    assert response.status_code == 204
    assert server.attempts == 3
    failed = FailedEmail.objects.get()
    assert failed.to == ["ann@example.com"]
    assert failed.attempts == 3
    assert "451" in failed.error and "SMTPDataError" in failed.error
    assert "/password/reset/confirm/" in failed.body


def test_the_admin_resends_a_failed_message(smtp, settings, django_capture_on_commit_callbacks, admin_client):
    settings.EMAIL_MAX_RETRIES = 0
    smtp(refusals=100)
    CandidateFactory(email="ann@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_a_reset("ann@example.com")
    failed = FailedEmail.objects.get()
    server = smtp(refusals=0)  # the mail server is back

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/accounts/failedemail/", {"action": "resend", "_selected_action": [failed.pk]}
        )

    assert response.status_code == 302
    assert len(server.delivered) == 1
    failed.refresh_from_db()
    assert failed.resent_at is not None


def test_backoff_doubles_and_is_capped(settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 10

    assert [mail.backoff_seconds(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def _redis_url():
    return os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")


ENQUEUE = """
from accounts.mail import Message, email_enqueue
email_enqueue(Message(subject="Reset", body="Open /password/reset/confirm/MQ/abc", html="",
                      from_email="no-reply@portal.example", to=["ann@example.com"]))
"""


@pytest.mark.skipif(not _redis_url(), reason="needs Redis (TEST_REDIS_URL or REDIS_URL)")
def test_a_real_worker_delivers_through_redis_after_refusals(smtp, settings):
    """CI's end-to-end run: one process queues on Redis, a separate `celery worker` process sends."""
    server = smtp(refusals=2)
    queue = f"test-mail-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/tmp",
        "ENV_FILE": "/dev/null",
        "DEBUG": "True",
        "DATABASE_URL": "sqlite:////tmp/job_portal_worker_unused.sqlite3",
        "CELERY_BROKER_URL": _redis_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_RETRY_BACKOFF_SECONDS": "0.2",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "job_portal", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        queued = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", ENQUEUE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert queued.returncode == 0, queued.stderr
        deadline = time.monotonic() + 60
        while not server.delivered and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
        _forget_queue(queue)

    assert len(server.delivered) == 1, errors
    assert server.attempts == 3
    assert "/password/reset/confirm/" in server.delivered[0]


def _forget_queue(queue):
    import redis

    client = redis.Redis.from_url(_redis_url())
    keys = [key for pattern in (f"*{queue}*",) for key in client.scan_iter(match=pattern)]
    if keys:
        client.delete(*keys)
