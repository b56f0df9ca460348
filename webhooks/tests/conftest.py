import pytest

from helpers.testing import client_for


@pytest.fixture(autouse=True)
def _private_allowed(settings):
    """Receivers in tests are on loopback; the SSRF tests turn this off again."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


@pytest.fixture
def company_client(company):
    return client_for(company)


@pytest.fixture
def endpoint_for(company_client):
    """Register `url` through the API; returns (id, secret)."""

    def register(url, events=("*",)):
        answer = company_client.post("/job/webhooks", {"url": url, "events": list(events)}, format="json")
        assert answer.status_code == 201, answer.json()
        return answer.json()["id"], answer.json()["secret"]

    return register
