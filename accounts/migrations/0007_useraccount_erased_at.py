"""Erased candidates (privacy/): `erased_at`, and the rule that a tombstone is never an active account.

Adding a check constraint makes Django rebuild the table on SQLite, which drops the candidate data
version triggers on it (profiles migration 0007); they are created again here, on SQLite only.
"""

import importlib

from django.db import migrations, models

TABLE = "accounts_useraccount"


def _sqlite_triggers(forward):
    version = importlib.import_module("profiles.migrations.0007_candidate_data_version")
    chosen = version.SQLITE_FORWARD if forward else version.SQLITE_BACKWARD

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in chosen:
                if f" {TABLE}_" in statement or f" ON {TABLE} " in statement:
                    schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_candidate_access"),
        ("profiles", "0007_candidate_data_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="useraccount",
            name="erased_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Set when the person was erased (privacy/): this row is then an anonymous "
                "tombstone that keeps companies' hiring records, never an account.",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="useraccount",
            constraint=models.CheckConstraint(
                condition=models.Q(("erased_at__isnull", True), ("is_active", False), _connector="OR"),
                name="accounts_erased_is_inactive",
            ),
        ),
        migrations.RunPython(_sqlite_triggers(forward=True), migrations.RunPython.noop),
    ]
