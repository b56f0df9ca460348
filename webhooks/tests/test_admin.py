"""The webhooks admin: recruiters see and manage only their company's endpoints and deliveries."""

import pytest

from accounts.tests.factories import CompanyFactory
from jobs.tests.conftest import acme, recruiter, recruiter_client  # noqa: F401 - fixtures
from webhooks.models import Delivery, Endpoint, Message
from webhooks.services import secret_new

pytestmark = pytest.mark.django_db


def _endpoint(company, url):
    return Endpoint.objects.create(company=company, url=url, events=["*"], secret=secret_new())


def _delivery(endpoint):
    message = Message.objects.create(
        webhook_id=f"msg_{endpoint.pk}", company=endpoint.company, type="job.created", body="{}"
    )
    return Delivery.objects.create(endpoint=endpoint, message=message, status="failed")


def test_a_recruiter_sees_only_their_companys_endpoints_and_deliveries(acme, recruiter_client):  # noqa: F811
    own = _endpoint(acme, "https://acme.example/hooks")
    other = _endpoint(CompanyFactory(), "https://rival.example/hooks")
    own_delivery, other_delivery = _delivery(own), _delivery(other)
    listing = recruiter_client.get("/admin/webhooks/endpoint/").content.decode()
    assert "acme.example" in listing and "rival.example" not in listing
    assert recruiter_client.get(f"/admin/webhooks/endpoint/{own.pk}/change/").status_code == 200
    assert recruiter_client.get(f"/admin/webhooks/endpoint/{other.pk}/change/").status_code == 404
    assert recruiter_client.get(f"/admin/webhooks/delivery/{own_delivery.pk}/change/").status_code == 200
    assert recruiter_client.get(f"/admin/webhooks/delivery/{other_delivery.pk}/change/").status_code == 404


def test_a_recruiter_adds_an_endpoint_for_their_company_and_sees_the_secret_once(
    acme,  # noqa: F811
    recruiter_client,  # noqa: F811
    settings,
):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    form = {"url": "http://127.0.0.1:9/hooks", "events": '["job.created"]', "description": "", "active": "on"}
    answer = recruiter_client.post("/admin/webhooks/endpoint/add/", form, follow=True)
    endpoint = Endpoint.objects.get()
    assert endpoint.company == acme
    assert endpoint.secret in answer.content.decode()
    bad = recruiter_client.post("/admin/webhooks/endpoint/add/", {**form, "events": '["nope"]'})
    assert "Unknown event types" in bad.content.decode() and Endpoint.objects.count() == 1


def test_replay_queues_a_delivery_again(acme, recruiter_client):  # noqa: F811
    delivery = _delivery(_endpoint(acme, "https://acme.example/hooks"))
    body = {"action": "replay", "_selected_action": [delivery.pk]}
    recruiter_client.post("/admin/webhooks/delivery/", body, follow=True)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at is not None
