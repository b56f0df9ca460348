"""The skill holders' bitmaps (profiles.holders), kept by a trigger on profiles' skill rows: PostgreSQL only.

Per (name, block) for any rating (rating 0) and per (name, rating, block). Before touching a bitmap
the trigger locks the candidates' data version row (profiles migration 0007), which the statement
triggers of every candidate write update anyway: bitmap rows are then only written under that one
lock, so writers taking names in different orders cannot deadlock over them.

Built here from the rows already there. On SQLite nothing is created: rankings read the skill rows.
"""

from django.db import migrations

from profiles.holders import BLOCK_BYTES, BLOCK_IDS, TABLE, TRIGGER, holders_rebuild

VERSION = "profiles_candidatedataversion"
LOCK = f"""PERFORM 1 FROM {VERSION} WHERE id = 1 FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO {VERSION} (id, version) VALUES (1, 0)
            ON CONFLICT (id) DO UPDATE SET version = {VERSION}.version;
        END IF;"""

CREATE = f"""
CREATE TABLE {TABLE} (
    name text NOT NULL,
    rating smallint NOT NULL,
    block integer NOT NULL,
    bits bytea NOT NULL CHECK (length(bits) = {BLOCK_BYTES}),
    PRIMARY KEY (name, rating, block)
);
CREATE FUNCTION profiles_skill_holders_set(skill text, stars integer, holder bigint, flag integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO {TABLE} AS h (name, rating, block, bits)
    VALUES (
        skill, stars, holder / {BLOCK_IDS},
        set_bit(decode(repeat('00', {BLOCK_BYTES}), 'hex'), (holder % {BLOCK_IDS})::int, flag)
    )
    ON CONFLICT (name, rating, block) DO UPDATE SET bits = set_bit(h.bits, (holder % {BLOCK_IDS})::int, flag);
    -- a block nobody holds any more goes: the name (perhaps typed by one person) must not outlive them
    DELETE FROM {TABLE}
    WHERE flag = 0 AND name = skill AND rating = stars AND block = holder / {BLOCK_IDS}
        AND bits = decode(repeat('00', {BLOCK_BYTES}), 'hex');
$$;
CREATE FUNCTION profiles_skill_holders_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {TABLE};
        RETURN NULL;
    END IF;
    {LOCK}
    IF TG_OP <> 'INSERT' THEN
        PERFORM profiles_skill_holders_set(OLD.name, 0, OLD.user_id, 0);
        PERFORM profiles_skill_holders_set(OLD.name, OLD.rating, OLD.user_id, 0);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM profiles_skill_holders_set(NEW.name, 0, NEW.user_id, 1);
        PERFORM profiles_skill_holders_set(NEW.name, NEW.rating, NEW.user_id, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF name, rating, user_id ON profiles_userskill
    FOR EACH ROW EXECUTE FUNCTION profiles_skill_holders_sync();
CREATE TRIGGER profiles_skill_holders_truncate AFTER TRUNCATE ON profiles_userskill
    FOR EACH STATEMENT EXECUTE FUNCTION profiles_skill_holders_sync();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON profiles_userskill;
DROP TRIGGER IF EXISTS profiles_skill_holders_truncate ON profiles_userskill;
DROP FUNCTION IF EXISTS profiles_skill_holders_sync();
DROP FUNCTION IF EXISTS profiles_skill_holders_set(text, integer, bigint, integer);
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
