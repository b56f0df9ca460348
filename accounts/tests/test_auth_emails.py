"""Activation and password-reset emails link to the SPA's routes under FRONTEND_URL (api-contract 1.6)."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://app\.example/(activate|password/reset/confirm)/([^/\s]+)/([^/\s]+)")


def djoser_settings(**changes):
    from django.conf import settings

    return override_settings(DJOSER=settings.DJOSER | changes)


def link_in_last_email():
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.groups()


@djoser_settings(
    SEND_ACTIVATION_EMAIL=True, EMAIL_FRONTEND_DOMAIN="app.example", EMAIL_FRONTEND_PROTOCOL="https"
)
def test_with_activation_on_a_new_account_is_inactive_until_the_emailed_link_is_used(
    api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
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
    assert not UserAccount.objects.get().is_active
    login = {"email": "ann@example.com", "password": "Blue-Kettle-93"}
    refused = api_client.post("/auth/jwt/create/", login, format="json")
    assert refused.status_code == 401 and refused.json()["detail"]

    route, uid, token = link_in_last_email()
    assert route == "activate"
    activated = api_client.post("/auth/users/activation/", {"uid": uid, "token": token}, format="json")

    assert activated.status_code == 204
    assert api_client.post("/auth/jwt/create/", login, format="json").status_code == 200


def test_activation_is_off_by_default(api_client):
    response = api_client.post(
        "/auth/users/",
        {
            "name": "A",
            "email": "a@example.com",
            "type": "user",
            "password": "Blue-Kettle-93",
            "re_password": "Blue-Kettle-93",
        },
        format="json",
    )
    assert response.status_code == 201
    assert UserAccount.objects.get().is_active
    assert mail.outbox == []


@djoser_settings(EMAIL_FRONTEND_DOMAIN="app.example", EMAIL_FRONTEND_PROTOCOL="https")
def test_password_reset_by_emailed_link(api_client, django_capture_on_commit_callbacks):
    user = CandidateFactory(email="ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        sent = api_client.post("/auth/users/reset_password/", {"email": "ANN@example.com"}, format="json")
    assert sent.status_code == 204
    route, uid, token = link_in_last_email()
    assert route == "password/reset/confirm"

    weak = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "123", "re_new_password": "123"},
        format="json",
    )
    bad_token = api_client.post(
        "/auth/users/reset_password_confirm/",
        {
            "uid": uid,
            "token": "bad-token",
            "new_password": "Green-Lamp-77",
            "re_new_password": "Green-Lamp-77",
        },
        format="json",
    )
    ok = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "Green-Lamp-77", "re_new_password": "Green-Lamp-77"},
        format="json",
    )

    assert weak.status_code == 400 and "new_password" in weak.json()
    assert bad_token.status_code == 400 and "token" in bad_token.json()
    assert ok.status_code == 204
    user.refresh_from_db()
    assert user.check_password("Green-Lamp-77")


def test_password_reset_for_an_unknown_email_is_204_and_sends_nothing(
    api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/auth/users/reset_password/", {"email": "nobody@example.com"}, format="json"
        )

    assert response.status_code == 204
    assert mail.outbox == []
