"""manage.py privacy_retention: expired candidates erased, warned a fortnight before, closed
applications anonymised; prints what it did, --dry-run changes nothing, a second run does nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory
from accounts.tests.test_mail import FlakyServer
from accounts.tests.test_smtp import free_port
from jobs.models import ApplicationEvent
from jobs.tests.factories import ApplicationFactory
from privacy.models import RetentionNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    handler = FlakyServer(refusals=0)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    yield handler
    controller.stop()


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def run(*args, capture=None):
    out = StringIO()
    if capture is None:
        call_command("privacy_retention", *args, stdout=out)
    else:
        with capture(execute=True):
            call_command("privacy_retention", *args, stdout=out)
    return dict(line.rsplit(": ", 1) for line in out.getvalue().splitlines())


def test_expired_candidates_are_erased_and_closed_applications_anonymised_once(
    smtp, django_capture_on_commit_callbacks
):
    gone = CandidateFactory(last_login=days_ago(731))
    RetentionNotice.objects.create(user=gone, last_seen=gone.last_login, sent_at=days_ago(15))
    never_activated = CandidateFactory(date_joined=days_ago(800), is_active=False)
    recent = CandidateFactory(last_login=days_ago(10))
    closed = ApplicationFactory(candidate=recent, stage="rejected", cover_note="Please hire me")
    ApplicationEvent.objects.create(
        application=closed, to_stage="rejected", reason="skills", note="Weak on SQL"
    )
    type(closed).objects.filter(pk=closed.pk).update(updated_at=days_ago(366))
    still_open = ApplicationFactory(candidate=recent, cover_note="Still keen")

    planned = run("--dry-run")
    assert planned == {
        "candidates would be erased": "2",
        "candidates would be warned": "0",
        "applications would be anonymised": "1",
        "access log entries would be deleted": "0",
    }
    assert UserAccount.objects.get(pk=gone.pk).erased_at is None

    done = run(capture=django_capture_on_commit_callbacks)

    assert done["candidates erased"] == "2" and done["applications anonymised"] == "1"
    assert {
        a.erased_at is not None for a in UserAccount.objects.filter(pk__in=[gone.pk, never_activated.pk])
    } == {True}
    recent.refresh_from_db()
    assert recent.erased_at is None
    closed.refresh_from_db()
    still_open.refresh_from_db()
    assert closed.cover_note == "" and still_open.cover_note == "Still keen"
    assert set(ApplicationEvent.objects.filter(application=closed).values_list("note", flat=True)) <= {
        "",
        "[removed]",
    }
    assert smtp.delivered == []
    assert set(run().values()) == {"0"}


def test_a_candidate_is_warned_once_a_fortnight_before_and_signing_in_starts_a_new_period(
    smtp, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(email="ann@example.com", last_login=days_ago(730 - 10))

    assert run(capture=django_capture_on_commit_callbacks)["candidates warned"] == "1"
    assert run(capture=django_capture_on_commit_callbacks)["candidates warned"] == "0"

    assert len(smtp.delivered) == 1
    message = smtp.delivered[0]
    assert "ann@example.com" in message and "sign in" in message and "/login" in message
    assert RetentionNotice.objects.get(user=candidate).last_seen == candidate.last_login
    candidate.refresh_from_db()
    assert candidate.erased_at is None

    candidate.last_login = days_ago(730 - 5)  # signed in since, and gone again
    candidate.save(update_fields=["last_login"])
    assert run(capture=django_capture_on_commit_callbacks)["candidates warned"] == "1"
    assert len(smtp.delivered) == 2


def test_signing_in_records_last_login(api_client):
    candidate = CandidateFactory(email="ann@example.com", last_login=None)

    api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": "Correct-Horse-42"}, format="json"
    )

    candidate.refresh_from_db()
    assert candidate.last_login is not None


def test_a_long_gone_candidate_never_warned_is_warned_first_and_erased_a_fortnight_later(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.CANDIDATE_RETENTION_DAYS = 30  # the periods come from settings
    candidate = CandidateFactory(last_login=days_ago(400))

    first = run(capture=django_capture_on_commit_callbacks)
    assert (first["candidates erased"], first["candidates warned"]) == ("0", "1")
    RetentionNotice.objects.filter(user=candidate).update(sent_at=days_ago(14))

    assert run(capture=django_capture_on_commit_callbacks)["candidates erased"] == "1"
    assert UserAccount.objects.get(pk=candidate.pk).erased_at is not None
    assert len(smtp.delivered) == 1


def test_ledger_entries_past_access_log_retention_are_deleted_and_newer_ones_kept(settings):
    from accounts.models import CandidateAccess
    from accounts.tests.factories import CompanyFactory

    company, candidate = CompanyFactory(), CandidateFactory()
    now = timezone.now()
    for age in (settings.ACCESS_LOG_RETENTION_DAYS + 1, 1):
        CandidateAccess.objects.create(
            company=company, actor=company, candidate=candidate, kind="public", route="profile",
            day=(now - timedelta(days=age)).date(), created_at=now - timedelta(days=age),
        )  # fmt: skip

    call_command("privacy_retention", "--dry-run", stdout=StringIO())
    assert CandidateAccess.objects.count() == 2
    call_command("privacy_retention", stdout=StringIO())

    assert [entry.created_at.date() for entry in CandidateAccess.objects.all()] == [
        (now - timedelta(days=1)).date()
    ]
