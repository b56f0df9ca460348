"""The COPY path of `insert_dev --synthetic` on PostgreSQL: the same developers as the INSERT path,
indexes and constraints back after a deferred load, the candidate data version bumped, idempotence."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from accounts.models import UserAccount
from jobs.models import Job
from profiles.models import CANDIDATE_DATA_TABLES, CandidateDataVersion, UserSkill
from profiles.tests.test_listed_blocks import assert_blocks_match_accounts
from profiles.tests.test_listed_blocks import stored as stored_blocks
from profiles.tests.test_skill_holders import assert_bitmaps_match_rows
from seeding.copy_load import (
    CopyTable,
    bulk_load_session,
    ids_reserve,
    in_background,
    secondary_indexes_build,
    secondary_indexes_drop,
)
from seeding.synthetic import create_synthetic_developers
from seeding.synthetic_jobs import create_synthetic_jobs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


def developers_by_email():
    """Everything a developer is, keyed by email (ids differ between runs)."""
    rows = UserAccount.objects.filter(type="user").values_list(
        "email",
        "name",
        "type",
        "is_active",
        "searchable",
        "profiles__first_name",
        "profiles__last_name",
        "profiles__country",
        "profiles__bio",
        "experiences__years_of_experience",
        "experiences__years_of_remote_experience",
        "experiences__english_proficiency",
        "availabilities__availability_type",
        "availabilities__ready_to_start_in",
        "roles__preferred_role",
        "roles__current_salary",
    )
    found = {row[0]: [row[1:], set()] for row in rows}
    for email, name, rating in UserSkill.objects.values_list("user__email", "name", "rating"):
        found[email][1].add((name, rating))
    return {email: (fields, frozenset(skills)) for email, (fields, skills) in found.items()}


def schema_of_candidate_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [list(CANDIDATE_DATA_TABLES)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(CANDIDATE_DATA_TABLES)],
        )
        return indexes, cursor.fetchall()


@pytest.mark.parametrize("defer", [False, True])
def test_copy_creates_the_same_developers_as_insert(defer):
    assert create_synthetic_developers(37, seed=9, batch_size=10, method="copy", defer_indexes=defer) == 37
    copied = developers_by_email()
    UserAccount.objects.all().delete()

    assert create_synthetic_developers(37, seed=9, batch_size=8, method="insert") == 37

    assert len(copied) == 37
    assert developers_by_email() == copied


def test_a_deferred_load_puts_back_every_index_and_constraint():
    before = schema_of_candidate_tables()

    create_synthetic_developers(20, seed=1, method="copy", defer_indexes=True)

    assert schema_of_candidate_tables() == before
    assert any("profiles_userskill_unique_name" in definition for _, definition in before[0])


def test_a_deferred_load_rebuilds_the_skill_holders_bitmaps_and_keeps_their_trigger():
    create_synthetic_developers(5, seed=6, method="insert")  # kept by the trigger, before the load
    create_synthetic_developers(40, seed=7, method="copy", defer_indexes=True)  # trigger off, rebuilt

    assert_bitmaps_match_rows()
    UserSkill.objects.filter(user__email__startswith="synth-7-").first().delete()  # the trigger is back on
    assert_bitmaps_match_rows()


def test_a_deferred_load_recounts_the_listed_candidates_blocks_and_keeps_their_trigger():
    create_synthetic_developers(5, seed=8, method="insert")  # counted by the trigger, before the load
    create_synthetic_developers(40, seed=9, method="copy", defer_indexes=True)  # trigger off, recounted

    assert sum(stored_blocks().values()) == 45
    assert_blocks_match_accounts()
    UserAccount.objects.filter(email__startswith="synth-9-").first().delete()  # the trigger is back on
    assert sum(stored_blocks().values()) == 44
    assert_blocks_match_accounts()


def test_a_deferred_load_that_breaks_a_constraint_writes_nothing():
    create_synthetic_developers(5, seed=2, method="insert")
    before = schema_of_candidate_tables()
    table = CopyTable(UserAccount, ["id", "email", "name", "type", "password"])

    with pytest.raises(IntegrityError), transaction.atomic(), bulk_load_session() as cursor:
        rebuild = secondary_indexes_drop(cursor, CANDIDATE_DATA_TABLES)
        (account_id,) = ids_reserve(cursor, UserAccount, 1)
        table.copy(cursor, table.text([(account_id, "synth-2-0@dev.example", "Twin", "user", "x")]))
        secondary_indexes_build(cursor, rebuild)

    assert UserAccount.objects.count() == 5
    assert schema_of_candidate_tables() == before


def test_copy_bumps_the_candidate_data_version():
    before = CandidateDataVersion.objects.get().version

    create_synthetic_developers(10, seed=3, method="copy", defer_indexes=True)

    assert CandidateDataVersion.objects.get().version > before


def test_rerunning_the_command_with_the_same_seed_creates_nothing():
    out = StringIO()
    call_command("insert_dev", "--synthetic", "30", "--seed", "4", stdout=out, stderr=StringIO())
    first = developers_by_email()

    call_command("insert_dev", "--synthetic", "30", "--seed", "4", stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines()[-1] == "created 0, updated 0, unchanged 30, skipped 0"
    assert developers_by_email() == first


def test_values_with_copy_special_characters_round_trip():
    table = CopyTable(UserAccount, ["id", "email", "name", "type", "password"])
    name = "tab\\there\\\\back\\nslash\r\nand\tnewline"
    with bulk_load_session() as cursor:
        (account_id,) = ids_reserve(cursor, UserAccount, 1)
        table.copy(cursor, table.text([(account_id, "odd@dev.example", name, "user", "x")]))

    account = UserAccount.objects.get(email="odd@dev.example")
    assert (account.pk, account.name, account.is_active, account.last_login) == (account_id, name, True, None)


def test_synthetic_jobs_with_developers_are_open_and_idempotent():
    out = StringIO()
    call_command(
        "insert_dev",
        "--synthetic",
        "0",
        "--synthetic-jobs",
        "25",
        "--seed",
        "5",
        stdout=out,
        stderr=StringIO(),
    )
    jobs = Job.objects.all()
    assert jobs.count() == 25
    assert {job.skills.count() for job in jobs} <= set(range(3, 7))
    assert jobs.values("user").distinct().count() == 25
    assert set(jobs.values_list("status", flat=True)) == {"open"}

    assert create_synthetic_jobs(25, seed=5) == 0
    assert create_synthetic_jobs(30, seed=5) == 5


def test_a_consumer_that_stops_early_does_not_wait_for_the_producer_forever():
    """A failed COPY stops reading batches; the builder thread must end too, even when it has built
    the last batch and is handing over the end (it once blocked there on a full queue)."""
    built_all = threading.Event()

    def batches():
        yield from (0, 1)
        built_all.set()

    def consume_one_then_fail():
        with pytest.raises(RuntimeError):
            for _ in in_background(batches(), depth=1):
                built_all.wait(10)
                raise RuntimeError("COPY failed")

    worker = threading.Thread(target=consume_one_then_fail, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
