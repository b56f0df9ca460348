"""The activation email really leaves over SMTP, after the sign-up transaction commits."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from accounts.models import UserAccount

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.DEFAULT_FROM_EMAIL = "Job Portal <no-reply@portal.example>"
    yield inbox
    controller.stop()


def test_activation_email_is_delivered_over_smtp_with_a_working_spa_link(api_client, smtp_inbox, settings):
    settings.DJOSER = settings.DJOSER | {
        "SEND_ACTIVATION_EMAIL": True,
        "EMAIL_FRONTEND_DOMAIN": "app.example",
        "EMAIL_FRONTEND_PROTOCOL": "https",
    }

    response = api_client.post(
        "/auth/users/",
        {
            "name": "Ann",
            "email": "ann@example.com",
            "type": "user",
            "password": "Blue-Kettle-93",
            "re_password": "Blue-Kettle-93",
        },
        format="json",
    )

    assert response.status_code == 201
    [message] = smtp_inbox.messages
    assert message["To"] == "ann@example.com"
    assert "no-reply@portal.example" in message["From"]
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_payload(
        decode=True
    )
    link = next(word for word in body.decode().split() if word.startswith("https://app.example/activate/"))
    uid, token = link.removeprefix("https://app.example/activate/").split("/")[:2]

    activated = api_client.post("/auth/users/activation/", {"uid": uid, "token": token}, format="json")

    assert activated.status_code == 204
    assert UserAccount.objects.get(email="ann@example.com").is_active
