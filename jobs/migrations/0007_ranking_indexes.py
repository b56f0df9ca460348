"""Indexes that serve the ranking's bound (jobs.topk), on tables of rooms below jobs.

- Who holds a skill, in candidate id order, with the rating: `(name, user_id)` covering `rating`, so the
  per-skill reads are index-only scans that PostgreSQL merges by candidate (no hash of every holder).
- The accounts that are not listed (`accounts.models.listed_candidate`): a partial index, small since
  almost every account is, so leaving them out of a ranking costs one tiny anti-join.

They are created here, by the room whose reads need them, with plain SQL (`IF NOT EXISTS`, so a
database that has them already keeps them); the models of profiles and accounts do not declare them.
"""

from django.db import migrations

UNLISTED = (
    "NOT (is_active AND NOT is_staff AND NOT is_superuser AND type = 'user' AND searchable)"
)


def create(apps, schema_editor):
    covering = "INCLUDE (rating)" if schema_editor.connection.vendor == "postgresql" else ""
    columns = "(name, user_id)" if covering else "(name, user_id, rating)"
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS jobs_ranking_holders ON profiles_userskill {columns} {covering}"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS accounts_unlisted ON accounts_useraccount (id) WHERE {UNLISTED}"
    )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS jobs_ranking_holders")
    schema_editor.execute("DROP INDEX IF EXISTS accounts_unlisted")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0006_job_search"),
        ("profiles", "0007_candidate_data_version"),
        ("accounts", "0007_useraccount_erased_at"),
    ]

    operations = [migrations.RunPython(create, drop)]
