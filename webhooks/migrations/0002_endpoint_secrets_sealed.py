"""Endpoint secrets sealed at rest (webhooks.sealing): the columns become text (a sealed secret is
longer than 100 characters), then every secret written in the clear is sealed with SECRET_KEY."""

from django.db import migrations

import webhooks.sealing


def seal_secrets_in_the_clear(apps, schema_editor):
    Endpoint = apps.get_model("webhooks", "Endpoint")
    for endpoint in Endpoint.objects.using(schema_editor.connection.alias).order_by("id"):
        endpoint.save(update_fields=["secret", "previous_secret"])  # read as is, written sealed


def unseal_secrets(apps, schema_editor):
    """Back to secrets in the clear, which 0001's code signs with (before the columns shrink)."""
    Endpoint = apps.get_model("webhooks", "Endpoint")
    for endpoint_id, secret, previous in (
        Endpoint.objects.using(schema_editor.connection.alias)
        .order_by("id")
        .values_list("id", "secret", "previous_secret")
    ):
        schema_editor.execute(
            "UPDATE webhooks_endpoint SET secret = %s, previous_secret = %s WHERE id = %s",
            [secret, previous, endpoint_id],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="endpoint",
            name="previous_secret",
            field=webhooks.sealing.SealedSecretField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name="endpoint",
            name="secret",
            field=webhooks.sealing.SealedSecretField(editable=False),
        ),
        migrations.RunPython(seal_secrets_in_the_clear, unseal_secrets),
    ]
