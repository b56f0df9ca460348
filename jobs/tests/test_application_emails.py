"""The candidate hears about interview, offer, hired and rejected by real SMTP, after the change commits."""

import pytest

from accounts.tests.test_smtp import smtp_inbox  # noqa: F401  (the fixture: a local aiosmtpd server)
from helpers.testing import client_for
from jobs.tests.factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db(transaction=True)


def move(company, application, **body):
    return client_for(company).patch(f"/job/applications/{application.pk}", body, format="json")


def plain_text(message):
    part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_candidate_is_emailed_for_interview_and_offer_but_not_for_screening(smtp_inbox, company):  # noqa: F811
    application = ApplicationFactory(job=JobFactory(user=company, title="Go Engineer", name="Acme"))

    move(company, application, stage="screening")
    assert smtp_inbox.messages == []
    move(company, application, stage="interview")
    move(company, application, stage="offer")

    interview, offer = smtp_inbox.messages
    assert interview["To"] == application.candidate.email
    assert interview["Subject"] == "Interview invitation: Go Engineer at Acme"
    assert "Acme would like to interview you for Go Engineer" in plain_text(interview)
    assert offer["Subject"] == "An offer: Go Engineer at Acme"


def test_a_rejection_is_emailed_without_the_recruiters_note(smtp_inbox, company):  # noqa: F811
    application = ApplicationFactory(job=JobFactory(user=company, title="Go Engineer", name="Acme"))

    move(company, application, stage="rejected", reason="salary", note="too expensive")

    [message] = smtp_inbox.messages
    assert "not to move forward" in plain_text(message)
    assert "expensive" not in plain_text(message)


def test_a_refused_move_sends_nothing(smtp_inbox, company):  # noqa: F811
    application = ApplicationFactory(job=JobFactory(user=company), stage="hired")

    assert move(company, application, stage="rejected", reason="other").status_code == 400

    assert smtp_inbox.messages == []


def test_application_emails_can_be_switched_off(smtp_inbox, company, settings):  # noqa: F811
    settings.APPLICATION_EMAILS = False
    application = ApplicationFactory(job=JobFactory(user=company))

    assert move(company, application, stage="hired").status_code == 200

    assert smtp_inbox.messages == []
