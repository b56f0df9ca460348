"""The listed candidates counted per block of account ids (profiles.listed), kept by statement triggers
on the accounts table: PostgreSQL only.

Each trigger first locks the candidates' data version row (as the skill holders' do), then adds the
listed rows its statement brought into a block and takes away those it took out: an insert, a delete,
and an update of any column (a privacy switch, a deactivation, a type or id change). A login's update
changes no count and writes nothing. Built here from the accounts already there.
"""

from django.db import migrations

from profiles.listed import BLOCK_IDS, TABLE, TRIGGER, listed_rebuild
from profiles.models import CANDIDATE_DATA_VERSION_LOCK as LOCK

ACCOUNTS = "accounts_useraccount"
LISTED = "type = 'user' AND is_active AND NOT is_staff AND NOT is_superuser AND searchable"
"""accounts.models.listed_candidate(), written out for the transition tables (a test compares them)."""


def _changes(rows: str, sign: int) -> str:
    return f"SELECT id / {BLOCK_IDS} AS block, {sign} AS change FROM {rows} WHERE {LISTED}"


def _apply(changes: str) -> str:
    """Net changes per block: gains upserted, losses subtracted (a block losing rows has its row), in
    block order so two statements lock blocks in the same order."""
    return f"""
        INSERT INTO {TABLE} (block, listed)
        SELECT block, sum(change) FROM ({changes}) changes GROUP BY block HAVING sum(change) > 0
        ORDER BY block
        ON CONFLICT (block) DO UPDATE SET listed = {TABLE}.listed + excluded.listed;
        UPDATE {TABLE} SET listed = {TABLE}.listed + lost.change
        FROM (SELECT block, sum(change) AS change FROM ({changes}) changes GROUP BY block
              HAVING sum(change) < 0) lost
        WHERE {TABLE}.block = lost.block;"""


CREATE = f"""
CREATE TABLE {TABLE} (
    block integer PRIMARY KEY,
    listed integer NOT NULL CHECK (listed BETWEEN 0 AND {BLOCK_IDS})
);
CREATE FUNCTION profiles_listed_blocks_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {TABLE};
        RETURN NULL;
    END IF;
    {LOCK}
    IF TG_OP = 'INSERT' THEN
        {_apply(_changes("new_rows", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(_changes("old_rows", -1))}
    ELSE
        {_apply(f"{_changes('new_rows', 1)} UNION ALL {_changes('old_rows', -1)}")}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {TRIGGER} AFTER INSERT ON {ACCOUNTS} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_listed_blocks_sync();
CREATE TRIGGER profiles_listed_blocks_deleted AFTER DELETE ON {ACCOUNTS} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_listed_blocks_sync();
CREATE TRIGGER profiles_listed_blocks_updated AFTER UPDATE ON {ACCOUNTS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_listed_blocks_sync();
CREATE TRIGGER profiles_listed_blocks_truncate AFTER TRUNCATE ON {ACCOUNTS}
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_listed_blocks_sync();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON {ACCOUNTS};
DROP TRIGGER IF EXISTS profiles_listed_blocks_deleted ON {ACCOUNTS};
DROP TRIGGER IF EXISTS profiles_listed_blocks_updated ON {ACCOUNTS};
DROP TRIGGER IF EXISTS profiles_listed_blocks_truncate ON {ACCOUNTS};
DROP FUNCTION IF EXISTS profiles_listed_blocks_sync();
DROP TABLE IF EXISTS {TABLE};
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    listed_rebuild(schema_editor.connection.alias)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_listed_candidates_index"),
        ("profiles", "0010_skill_holders"),
    ]

    operations = [migrations.RunPython(create, drop)]
