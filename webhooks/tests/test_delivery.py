"""Deliveries end to end: a real receiver on loopback verifies each one with `standardwebhooks`; the
worker function is driven with a clock (`now`) instead of sleeping through the retry schedule."""

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import CandidateFactory
from jobs import services as job_services
from jobs.models import Source, Stage
from jobs.tests.conftest import SPA_JOB_FORM
from jobs.tests.factories import ApplicationFactory, JobFactory
from profiles.tests.factories import ProfileFactory
from webhooks import safety
from webhooks.delivery import DISABLE_AFTER, deliveries_run
from webhooks.models import Delivery, Endpoint, Message
from webhooks.services import event_record
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


def test_a_posted_job_is_delivered_signed_with_the_api_read_of_the_job(company, company_client, endpoint_for):
    with Receiver() as receiver:
        receiver.secret = endpoint_for(receiver.url)[1]
        job = company_client.post("/job/", SPA_JOB_FORM, format="json").json()
        assert receiver.received == []  # nothing is sent from the request
        assert deliveries_run() == 1
    headers, body, payload = receiver.received[0]
    assert payload["type"] == "job.created"
    assert payload["data"] == {"job": company_client.get(f"/job/{job['id']}").json()}
    assert headers["webhook-id"].startswith("msg_")
    assert headers["Content-Type"] == "application/json"
    assert "Webhooks" in headers["User-Agent"]
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_a_receiver_failing_twice_gets_the_same_webhook_id_three_times_and_the_event_once_delivered(
    company, company_client, endpoint_for
):
    now = timezone.now() + timedelta(seconds=1)  # the clock the worker is driven with
    with Receiver(statuses=[500, 503]) as receiver:
        receiver.secret = endpoint_for(receiver.url)[1]
        company_client.post("/job/", SPA_JOB_FORM, format="json")
        assert deliveries_run(now=now) == 1
        assert deliveries_run(now=now + timedelta(seconds=1)) == 0  # not due before its backoff
        assert deliveries_run(now=now + timedelta(seconds=6)) == 1
        assert deliveries_run(now=now + timedelta(minutes=7)) == 1
        assert deliveries_run(now=now + timedelta(days=2)) == 0
    assert len({headers["webhook-id"] for headers, _, _ in receiver.received}) == 1
    assert len(receiver.received) == 3
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("succeeded", 3, None)
    assert [a.status_code for a in delivery.attempt_log.order_by("id")] == [500, 503, 204]


def test_a_rolled_back_change_sends_nothing(company, endpoint_for):
    job = JobFactory(user=company)
    with Receiver() as receiver:
        endpoint_for(receiver.url)
        with pytest.raises(RuntimeError), transaction.atomic():
            job_services.application_apply(candidate=CandidateFactory(), job=job)
            raise RuntimeError("the change fails after the event was recorded")
        assert Message.objects.count() == 0
        assert deliveries_run() == 0
    assert receiver.received == []


def test_a_hanging_receiver_does_not_slow_the_api_call_and_the_attempt_times_out(
    company, company_client, endpoint_for
):
    with Receiver(hang=3) as receiver:
        endpoint_for(receiver.url)
        started = timezone.now()
        assert company_client.post("/job/", SPA_JOB_FORM, format="json").status_code == 201
        assert (timezone.now() - started).total_seconds() < 1  # the receiver is not even called yet
        deliveries_run()
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.error.startswith("Timed out")
    assert attempt.duration_ms < 2500
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_an_endpoints_messages_keep_their_order_while_the_first_is_retried(company, endpoint_for):
    job = JobFactory(user=company)
    now = timezone.now() + timedelta(seconds=1)  # the clock the worker is driven with
    with Receiver(statuses=[500]) as receiver:
        endpoint_for(receiver.url, events=["application.created"])
        job_services.application_apply(candidate=CandidateFactory(), job=job)
        job_services.application_apply(candidate=CandidateFactory(), job=job)
        assert deliveries_run(now=now) == 1  # the first failed; the second waits behind it
        assert deliveries_run(now=now + timedelta(seconds=2)) == 0
        assert deliveries_run(now=now + timedelta(seconds=10)) == 2
    ids = [json.loads(body)["data"]["application"]["id"] for _, body, _ in receiver.received]
    assert ids == sorted(ids) and ids[0] == ids[1]


def test_a_rotated_secret_and_the_previous_one_both_verify(company, company_client, endpoint_for):
    with Receiver() as receiver:
        pk, old = endpoint_for(receiver.url)
        new = company_client.post(f"/job/webhooks/{pk}/rotate-secret").json()["secret"]
        assert new != old and new.startswith("whsec_")
        company_client.post(f"/job/webhooks/{pk}/test")
        receiver.secret = new
        deliveries_run()
        receiver.secret = old
        company_client.post(f"/job/webhooks/{pk}/test")
        deliveries_run()
    assert [payload["type"] for _, _, payload in receiver.received] == ["webhook.test", "webhook.test"]
    assert len(receiver.received[0][0]["webhook-signature"].split(" ")) == 2


def test_stage_changes_send_the_applicant_list_item_with_contact_details_only_where_the_candidate_applied(
    company, company_client, endpoint_for
):
    job = JobFactory(user=company)
    applied = ApplicationFactory(job=job, stage=Stage.SCREENING)
    sourced = ApplicationFactory(job=job, stage=Stage.SCREENING, source=Source.SOURCED)
    for application in (applied, sourced):
        ProfileFactory(user=application.candidate, phone="+1 555 0199")
    with Receiver() as receiver:
        receiver.secret = endpoint_for(
            receiver.url, events=["application.stage_changed", "application.rejected"]
        )[1]
        for application in (applied, sourced):
            body = {"stage": "rejected", "reason": "skills"}
            assert (
                company_client.patch(f"/job/applications/{application.pk}", body, format="json").status_code
                == 200
            )
        assert deliveries_run() == 4
    listed = {item["id"]: item for item in company_client.get(f"/job/{job.pk}/applications").json()}
    payloads = [payload for _, _, payload in receiver.received]
    assert [p["type"] for p in payloads] == ["application.stage_changed", "application.rejected"] * 2
    first = payloads[0]["data"]
    assert (first["from"], first["to"], first["reason"]) == ("screening", "rejected", "skills")
    assert first["application"]["candidate"] == listed[applied.pk]["candidate"]
    assert first["application"]["candidate"]["email"] == applied.candidate.email
    assert payloads[2]["data"]["application"]["candidate"]["email"] is None
    assert payloads[2]["data"]["application"]["candidate"]["phone"] is None


def test_410_gone_disables_the_endpoint_at_once_and_emails_the_company(
    company, company_client, endpoint_for, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[410]) as receiver:
        pk, _ = endpoint_for(receiver.url)
        company_client.post(f"/job/webhooks/{pk}/test")
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_run()
    endpoint = Endpoint.objects.get(pk=pk)
    assert not endpoint.active and "410" in endpoint.disabled_reason
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    assert mail.outbox[-1].to == [company.email] and "disabled" in mail.outbox[-1].subject


def test_an_endpoint_failing_for_five_days_is_disabled(
    company, company_client, endpoint_for, django_capture_on_commit_callbacks
):
    now = timezone.now() + timedelta(seconds=1)  # the clock the worker is driven with
    with Receiver(statuses=[500] * 20) as receiver:
        pk, _ = endpoint_for(receiver.url)
        company_client.post(f"/job/webhooks/{pk}/test")
        deliveries_run(now=now)
        Endpoint.objects.filter(pk=pk).update(failing_since=now - DISABLE_AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_run(now=now + timedelta(minutes=1))
    assert not Endpoint.objects.get(pk=pk).active
    assert mail.outbox[-1].to == [company.email]


def test_retries_end_after_about_a_day_and_a_half_and_the_delivery_fails(
    company, company_client, endpoint_for
):
    now = timezone.now() + timedelta(seconds=1)  # the clock the worker is driven with
    with Receiver(statuses=[500] * 20) as receiver:
        pk, _ = endpoint_for(receiver.url)
        company_client.post(f"/job/webhooks/{pk}/test")
        for hours in range(0, 40):
            deliveries_run(now=now + timedelta(hours=hours))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 8, None)


# --- Safety: with WEBHOOK_ALLOW_PRIVATE off -------------------------------------------------------

PUBLIC = "93.184.216.34"


@pytest.fixture
def names(monkeypatch, settings):
    """Resolve names from this table (the module's resolver), never the network; private refused."""
    settings.WEBHOOK_ALLOW_PRIVATE = False
    table = {
        "hooks.example": [PUBLIC],
        "loopback.example": ["127.0.0.1"],
        "mixed.example": [PUBLIC, "10.0.0.5"],
    }
    monkeypatch.setattr(safety, "resolve", lambda host, port: table.get(host, [host]))
    return table


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://10.1.2.3/hooks",
        "https://172.16.0.1/hooks",
        "https://192.168.1.1/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[fe80::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://224.0.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://loopback.example/hooks",
        "https://mixed.example/hooks",
        "http://hooks.example/hooks",
    ],
)
def test_private_addresses_and_plain_http_are_refused_at_registration(names, company_client, url):
    answer = company_client.post("/job/webhooks", {"url": url, "events": ["*"]}, format="json")
    assert answer.status_code == 400
    assert "url" in answer.json()


def test_a_name_that_resolves_to_loopback_at_delivery_is_refused_without_connecting(
    names, company, company_client
):
    answer = company_client.post(
        "/job/webhooks", {"url": "https://hooks.example/x", "events": ["*"]}, format="json"
    )
    assert answer.status_code == 201
    with Receiver() as receiver:
        names["hooks.example"] = ["127.0.0.1"]  # DNS now answers with loopback
        company_client.post(f"/job/webhooks/{answer.json()['id']}/test")
        deliveries_run()
    assert receiver.received == []
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.error.startswith("Refused") and "127.0.0.1" in attempt.error


def test_redirects_are_not_followed(company, company_client, endpoint_for):
    with Receiver() as target, Receiver(statuses=[302]) as redirecting:
        redirecting.location = target.url
        endpoint_for(redirecting.url)
        company_client.post("/job/", SPA_JOB_FORM, format="json")
        deliveries_run()
    assert target.received == [] and len(redirecting.received) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempt_log.get().status_code == 302


def test_the_worker_command_sends_due_deliveries(company, company_client, endpoint_for):
    with Receiver() as receiver:
        receiver.secret = endpoint_for(receiver.url)[1]
        company_client.post("/job/", SPA_JOB_FORM, format="json")
        call_command("webhooks_worker", "--once", stdout=io.StringIO())
    assert [payload["type"] for _, _, payload in receiver.received] == ["job.created"]


def test_a_company_without_subscribed_endpoints_pays_one_query_per_event(company, django_assert_num_queries):
    def data():
        raise AssertionError("data is not built when nobody subscribes")

    with django_assert_num_queries(3):  # the endpoints, inside a savepoint (SAVEPOINT, RELEASE)
        assert event_record(company_id=company.pk, event_type="job.created", data=data) is None
    assert Message.objects.count() == 0
