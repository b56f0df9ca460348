"""The candidate data version: a one-row counter bumped by triggers on every table the recruiter lists read.

- PostgreSQL: one function and, per table, a statement-level trigger (INSERT, UPDATE, DELETE, TRUNCATE).
- SQLite: row-level triggers (SQLite has no statement-level ones), three per table.
The bump is an upsert, so a flushed table (tests) gets its row back on the next write. A later migration
that makes Django rebuild one of these tables on SQLite drops its triggers;
`test_every_candidate_table_has_its_version_triggers` catches that.
"""

from django.db import migrations, models

# The tables as they are at this migration (profiles.models.CANDIDATE_DATA_TABLES may grow later).
TABLES = (
    "accounts_useraccount",
    "profiles_profile",
    "profiles_experience",
    "profiles_availability",
    "profiles_rolesalary",
    "profiles_userskill",
)
BUMP = (
    "INSERT INTO profiles_candidatedataversion (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = profiles_candidatedataversion.version + 1"
)
PG_FORWARD = [
    f"""
    CREATE FUNCTION profiles_bump_candidate_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {BUMP};
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_candidate_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION profiles_bump_candidate_data_version()"
        for table in TABLES
    ),
]
PG_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_candidate_data_version ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS profiles_bump_candidate_data_version()",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_candidate_data_version_{event.lower()} AFTER {event} ON {table} "
    f"FOR EACH ROW BEGIN {BUMP}; END"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_candidate_data_version_{event.lower()}"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        # After every migration that rebuilds a watched table on SQLite (which drops its triggers).
        ("accounts", "0004_token_version"),
        ("profiles", "0006_userskill_listing_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CandidateDataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="profiles_candidatedataversion_one_row")
                ],
            },
        ),
        migrations.RunSQL("INSERT INTO profiles_candidatedataversion (id, version) VALUES (1, 0)", migrations.RunSQL.noop),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
