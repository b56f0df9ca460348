"""The account-email actions: `set_email` needs the current password and tells the old address over
SMTP; `reset_email` and `reset_email_confirm` are off (a JSON 404 for known and unknown emails alike)."""

import pytest
from aiosmtpd.controller import Controller
from rest_framework.test import APIClient

from accounts.models import UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory
from accounts.tests.test_smtp import Inbox, free_port
from helpers.testing import client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback that every email of the test goes to."""
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    yield received
    controller.stop()


def text_of(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_set_email_moves_the_login_and_tells_the_old_address(inbox):
    user = CandidateFactory(email="ann@example.com")

    response = client_for(user).post(
        "/auth/users/set_email/",
        {"current_password": PASSWORD, "new_email": "Ann.Lee@NewMail.example"},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.email == "ann.lee@newmail.example"
    [message] = inbox.messages
    assert message["To"] == "ann@example.com"
    assert "ann.lee@newmail.example" in text_of(message)
    login = {"email": "ann.lee@newmail.example", "password": PASSWORD}
    assert client_for().post("/auth/jwt/create/", login, format="json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_password": "wrong", "new_email": "new@example.com"}, "current_password"),
        ({"new_email": "new@example.com"}, "current_password"),
        ({"current_password": PASSWORD, "new_email": "not-an-email"}, "new_email"),
        ({"current_password": PASSWORD, "new_email": "TAKEN@example.com"}, "new_email"),
        ({"current_password": PASSWORD, "new_email": "ann@example.com"}, "new_email"),
    ],
    ids=["wrong-password", "no-password", "invalid", "taken-in-another-case", "unchanged"],
)
def test_set_email_refuses_with_a_field_error_and_changes_nothing(inbox, body, field):
    CandidateFactory(email="taken@example.com")
    user = CandidateFactory(email="ann@example.com")

    response = client_for(user).post("/auth/users/set_email/", body, format="json")

    assert response.status_code == 400
    assert response.json()[field]
    assert UserAccount.objects.get(id=user.id).email == "ann@example.com"
    assert inbox.messages == []


def test_set_email_needs_a_login():
    assert client_for().post("/auth/users/set_email/", {}, format="json").status_code == 401


@pytest.mark.parametrize("action", ["reset_email", "reset_email_confirm"])
@pytest.mark.parametrize("email", ["ann@example.com", "nobody@example.com"], ids=["known", "unknown"])
def test_the_reset_email_actions_are_off(inbox, action, email):
    CandidateFactory(email="ann@example.com")

    browser = APIClient(enforce_csrf_checks=True)  # a real browser's POST has no CSRF token here

    response = browser.post(f"/auth/users/{action}/", {"email": email}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert inbox.messages == []
