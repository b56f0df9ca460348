"""Endpoint secrets are sealed at rest (webhooks.sealing) and still sign every delivery."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from webhooks.delivery import deliveries_run, signing_secrets
from webhooks.models import Endpoint
from webhooks.services import endpoint_test
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

NEW_KEY = "rotated-secret-key-for-the-sealing-tests-0123456789abcdefghijklmnop"


def stored(endpoint_id: int) -> tuple[str, str]:
    """The secret columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret, previous_secret FROM webhooks_endpoint WHERE id = %s", [endpoint_id])
        return cursor.fetchone()


def test_the_database_holds_no_secret_in_the_clear_and_both_secrets_sign_after_a_rotation(
    company_client, endpoint_for
):
    endpoint_id, first = endpoint_for("http://127.0.0.1:9/hooks")
    second = company_client.post(f"/job/webhooks/{endpoint_id}/rotate-secret").json()["secret"]

    sealed, previous = stored(endpoint_id)
    assert first.startswith("whsec_") and second.startswith("whsec_")
    for column in (sealed, previous):
        assert column.startswith("gAAAA")
        assert first not in column and second not in column
        assert first.removeprefix("whsec_") not in column and second.removeprefix("whsec_") not in column
    assert signing_secrets(Endpoint.objects.get(), timezone.now()) == [second, first]


def test_a_rotated_secret_key_reads_the_old_seals_from_its_fallbacks_until_they_are_resealed(
    endpoint_for, settings
):
    old_key = settings.SECRET_KEY
    with Receiver() as receiver:
        endpoint_id, receiver.secret = endpoint_for(receiver.url)
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
            Endpoint.objects.get()

        settings.SECRET_KEY_FALLBACKS = [old_key]
        assert Endpoint.objects.get().secret == receiver.secret
        before = stored(endpoint_id)[0]
        out = io.StringIO()
        call_command("webhooks_reseal", stdout=out)
        settings.SECRET_KEY_FALLBACKS = []

        assert "resealed the secrets of 1 endpoint(s)" in out.getvalue()
        assert stored(endpoint_id)[0] != before
        assert Endpoint.objects.get().secret == receiver.secret
        endpoint_test(endpoint=Endpoint.objects.get())
        assert deliveries_run() == 1
    [(_, _, payload)] = receiver.received  # verified with the secret the company was given
    assert payload["type"] == "webhook.test"


def test_a_secret_written_in_the_clear_reads_as_it_is_and_is_sealed_by_a_reseal(endpoint_for):
    endpoint_id, secret = endpoint_for("http://127.0.0.1:9/hooks")
    with connection.cursor() as cursor:  # as a row written before sealing existed
        cursor.execute("UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", [secret, endpoint_id])

    assert Endpoint.objects.get().secret == secret
    call_command("webhooks_reseal", stdout=io.StringIO())

    assert stored(endpoint_id)[0].startswith("gAAAA")
    assert Endpoint.objects.get().secret == secret


def test_a_dump_of_the_endpoints_holds_sealed_secrets_and_loads_back(endpoint_for, tmp_path):
    _, secret = endpoint_for("http://127.0.0.1:9/hooks")
    dump = tmp_path / "webhooks.json"
    call_command("dumpdata", "webhooks.endpoint", output=str(dump), stdout=io.StringIO())

    assert secret.removeprefix("whsec_") not in dump.read_text()
    Endpoint.objects.all().delete()
    call_command("loaddata", str(dump), stdout=io.StringIO())
    assert Endpoint.objects.get().secret == secret
