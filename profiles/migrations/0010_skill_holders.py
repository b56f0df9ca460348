"""The skill holders' bitmaps (profiles.holders), kept by statement triggers on profiles' skill rows: PostgreSQL only.

Per (name, block) for any rating (rating 0) and per (name, rating, block). Before touching a bitmap
the trigger locks the candidates' data version row (profiles migration 0007), which the statement
triggers of every candidate write update anyway: bitmap rows are then only written under that one
lock, so writers taking names in different orders cannot deadlock over them.

Built here from the rows already there. On SQLite nothing is created: rankings read the skill rows.
"""

from django.db import migrations

from profiles.holders import BLOCK_BYTES, BLOCK_IDS, TABLE, TRIGGER, holders_rebuild
from profiles.models import CANDIDATE_DATA_VERSION_LOCK as LOCK

CREATE = f"""
CREATE TABLE {TABLE} (
    name text NOT NULL,
    rating smallint NOT NULL,
    block integer NOT NULL,
    bits bytea NOT NULL CHECK (length(bits) = {BLOCK_BYTES}),
    PRIMARY KEY (name, rating, block)
);
CREATE FUNCTION profiles_skill_holders_put(skill text, stars integer, part integer, positions integer[], flag integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    bitmap bytea;
    position integer;
BEGIN
    SELECT bits INTO bitmap FROM {TABLE} WHERE name = skill AND rating = stars AND block = part;
    IF bitmap IS NULL THEN
        IF flag = 0 THEN
            RETURN;
        END IF;
        bitmap := decode(repeat('00', {BLOCK_BYTES}), 'hex');
    END IF;
    FOREACH position IN ARRAY positions LOOP
        bitmap := set_bit(bitmap, position, flag);
    END LOOP;
    IF bitmap = decode(repeat('00', {BLOCK_BYTES}), 'hex') THEN
        -- a block nobody holds any more goes: a name typed by one person must not outlive them
        DELETE FROM {TABLE} WHERE name = skill AND rating = stars AND block = part;
    ELSE
        INSERT INTO {TABLE} (name, rating, block, bits) VALUES (skill, stars, part, bitmap)
        ON CONFLICT (name, rating, block) DO UPDATE SET bits = excluded.bits;
    END IF;
END $$;
CREATE FUNCTION profiles_skill_holders_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {TABLE};
        RETURN NULL;
    END IF;
    {LOCK}
    IF TG_OP <> 'INSERT' THEN
        FOR change IN
            SELECT name::text, rating::int, (user_id / {BLOCK_IDS})::int AS part,
                array_agg((user_id % {BLOCK_IDS})::int) AS positions
            FROM (SELECT name, rating, user_id FROM old_rows UNION ALL SELECT name, 0, user_id FROM old_rows) gone
            GROUP BY 1, 2, 3
        LOOP
            PERFORM profiles_skill_holders_put(change.name, change.rating, change.part, change.positions, 0);
        END LOOP;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        FOR change IN
            SELECT name::text, rating::int, (user_id / {BLOCK_IDS})::int AS part,
                array_agg((user_id % {BLOCK_IDS})::int) AS positions
            FROM (SELECT name, rating, user_id FROM new_rows UNION ALL SELECT name, 0, user_id FROM new_rows) came
            GROUP BY 1, 2, 3
        LOOP
            PERFORM profiles_skill_holders_put(change.name, change.rating, change.part, change.positions, 1);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {TRIGGER} AFTER INSERT ON profiles_userskill REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_skill_holders_sync();
CREATE TRIGGER profiles_skill_holders_deleted AFTER DELETE ON profiles_userskill REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_skill_holders_sync();
CREATE TRIGGER profiles_skill_holders_updated AFTER UPDATE ON profiles_userskill
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_skill_holders_sync();
CREATE TRIGGER profiles_skill_holders_truncate AFTER TRUNCATE ON profiles_userskill
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_skill_holders_sync();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON profiles_userskill;
DROP TRIGGER IF EXISTS profiles_skill_holders_deleted ON profiles_userskill;
DROP TRIGGER IF EXISTS profiles_skill_holders_updated ON profiles_userskill;
DROP TRIGGER IF EXISTS profiles_skill_holders_truncate ON profiles_userskill;
DROP FUNCTION IF EXISTS profiles_skill_holders_sync();
DROP FUNCTION IF EXISTS profiles_skill_holders_put(text, integer, integer, integer[], integer);
DROP TABLE IF EXISTS {TABLE};
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    holders_rebuild(schema_editor.connection.alias)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0009_company_contact_public")]

    operations = [migrations.RunPython(create, drop)]
