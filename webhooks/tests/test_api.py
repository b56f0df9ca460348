"""The /job/webhooks API: who may call what (pretix style), validation, the secret, the log."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for
from webhooks import safety
from webhooks.delivery import deliveries_run
from webhooks.models import Delivery, Endpoint, Message
from webhooks.services import MAX_ENDPOINTS, endpoint_create, secret_new
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

URL = "https://hooks.example/in"
BODY = {"url": URL, "events": ["*"]}


@pytest.fixture
def world(company):
    endpoint = Endpoint.objects.create(company=company, url=URL, events=["*"], secret=secret_new())
    return {"owner": company, "endpoint": endpoint}


@pytest.fixture(autouse=True)
def _hooks_example_is_public(monkeypatch):
    """`hooks.example` resolves to a public address (nothing here ever connects to it)."""
    real = safety.resolve
    monkeypatch.setattr(
        safety,
        "resolve",
        lambda host, port: ["93.184.216.34"] if host == "hooks.example" else real(host, port),
    )


ROUTES = [
    ("get", "/job/webhooks", None, 200, 201),
    ("post", "/job/webhooks", BODY, 201, 201),
    ("get", "/job/webhooks/{pk}", None, 200, 404),
    ("patch", "/job/webhooks/{pk}", {"description": "x"}, 200, 404),
    ("delete", "/job/webhooks/{pk}", None, 204, 404),
    ("post", "/job/webhooks/{pk}/rotate-secret", None, 200, 404),
    ("post", "/job/webhooks/{pk}/test", None, 202, 404),
    ("get", "/job/webhooks/{pk}/deliveries", None, 200, 404),
    ("post", "/job/webhooks/{pk}/deliveries/{delivery}/redeliver", None, 202, 404),
]
TABLE = [
    (method, url, body, caller, expected)
    for method, url, body, owner_status, other_status in ROUTES
    for caller, expected in [
        ("owner", owner_status),
        ("other", 200 if (method, url) == ("get", "/job/webhooks") else other_status),
        ("candidate", 403),
        ("anon", 401),
    ]
]


@pytest.mark.parametrize("method,url,body,caller,expected", TABLE)
def test_who_may_call_what(world, method, url, body, caller, expected):
    endpoint = world["endpoint"]
    delivery = Delivery.objects.create(endpoint=endpoint, message=_message(endpoint), status="failed")
    user = {"owner": world["owner"], "other": CompanyFactory(), "candidate": CandidateFactory(), "anon": None}
    url = url.format(pk=endpoint.pk, delivery=delivery.pk)
    answer = getattr(client_for(user[caller]), method)(url, body, format="json")
    assert answer.status_code == expected, answer.content
    if caller == "other" and method == "get" and url == "/job/webhooks":
        assert answer.json() == []


def _message(endpoint):
    return Message.objects.create(
        webhook_id=f"msg_{endpoint.pk}", company=endpoint.company, type="job.created", body="{}"
    )


def test_the_secret_is_shown_once_in_the_201(company_client):
    created = company_client.post("/job/webhooks", BODY, format="json").json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) >= 6 + 32
    assert "secret" not in company_client.get(f"/job/webhooks/{created['id']}").json()
    assert all("secret" not in item for item in company_client.get("/job/webhooks").json())


@pytest.mark.parametrize(
    "body,field",
    [
        ({"url": URL, "events": ["job.made"]}, "events"),
        ({"url": URL, "events": []}, "events"),
        ({"url": URL, "events": "*"}, "events"),
        ({"url": "not a url", "events": ["*"]}, "url"),
        ({"url": "ftp://hooks.example/", "events": ["*"]}, "url"),
        ({"url": "https://user:pw@hooks.example/", "events": ["*"]}, "url"),
    ],
)
def test_bad_bodies_are_400s_naming_the_field(company_client, body, field):
    answer = company_client.post("/job/webhooks", body, format="json")
    assert answer.status_code == 400 and field in answer.json()


def test_http_is_refused_unless_private_receivers_are_allowed(company_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    answer = company_client.post(
        "/job/webhooks", {"url": "http://hooks.example/", "events": ["*"]}, format="json"
    )
    assert answer.status_code == 400


def test_a_company_has_at_most_twenty_endpoints(company, company_client):
    for _ in range(MAX_ENDPOINTS):
        assert company_client.post("/job/webhooks", BODY, format="json").status_code == 201
    answer = company_client.post("/job/webhooks", BODY, format="json")
    assert answer.status_code == 400
    assert Endpoint.objects.filter(company=company).count() == MAX_ENDPOINTS


@pytest.mark.django_db(transaction=True)
def test_two_parallel_creates_cannot_make_twenty_one(company):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (SQLite serialises writers anyway)")
    for _ in range(MAX_ENDPOINTS - 1):
        endpoint_create(company=company, url=URL, events=["*"])
    results = []

    def create():
        try:
            endpoint_create(company=company, url=URL, events=["*"])
            results.append("created")
        except Exception as error:  # noqa: BLE001
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ValidationError", "created"]
    assert Endpoint.objects.filter(company=company).count() == MAX_ENDPOINTS


def test_the_delivery_log_and_a_redelivery_with_the_same_webhook_id(company_client, endpoint_for, settings):
    with Receiver() as receiver:
        pk, secret = endpoint_for(receiver.url)
        receiver.secret = secret
        company_client.post(f"/job/webhooks/{pk}/test")
        deliveries_run()
        log = company_client.get(f"/job/webhooks/{pk}/deliveries").json()
        item = log["results"][0]
        assert (item["event_type"], item["status"], item["attempts"]) == ("webhook.test", "succeeded", 1)
        assert item["attempt_log"][0]["status_code"] == 204
        again = company_client.post(f"/job/webhooks/{pk}/deliveries/{item['id']}/redeliver")
        assert again.status_code == 202
        assert company_client.post(f"/job/webhooks/{pk}/deliveries/{item['id']}/redeliver").status_code == 400
        deliveries_run()
    assert [headers["webhook-id"] for headers, _, _ in receiver.received] == [item["webhook_id"]] * 2


def test_list_query_counts_are_pinned(company, company_client, django_assert_num_queries):
    endpoints = [
        Endpoint.objects.create(company=company, url=URL, events=["*"], secret=secret_new()) for _ in range(3)
    ]
    for number in range(5):
        message = Message.objects.create(
            webhook_id=f"msg_{number}", company=company, type="job.created", body="{}"
        )
        Delivery.objects.create(endpoint=endpoints[0], message=message, status="failed")
    with django_assert_num_queries(2):  # the token's user, the endpoints
        assert len(company_client.get("/job/webhooks").json()) == 3
    # the token's user, the endpoint, the count, the page with messages, the attempts
    with django_assert_num_queries(5):
        assert company_client.get(f"/job/webhooks/{endpoints[0].pk}/deliveries").json()["count"] == 5
    page = company_client.get(f"/job/webhooks/{endpoints[0].pk}/deliveries?offset=3").json()
    assert [item["id"] for item in page["results"]] == sorted(
        [item["id"] for item in page["results"]], reverse=True
    )
    assert len(page["results"]) == 2
