"""The skill holders' bitmaps (profiles.holders) stay equal to the skill rows through every kind of
write, a rebuild gives the same bitmaps, writers of one block do not deadlock, the bit-sliced counter
counts as plain integers do, and a candidate search by skills is counted from them exactly."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import UserAccount
from helpers.testing import client_for
from profiles import holders
from profiles.models import UserSkill

NAMES = ["Python", "Go", "SQL"]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bitmaps are kept on PostgreSQL only (SQLite ranks from rows)",
)


def stored() -> dict[tuple, bytes]:
    """Every bitmap row, as {(name, rating, block): bits} (no row is ever left empty)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, rating, block, bits FROM {holders.TABLE}")
        return {(name, rating, block): bytes(bits) for name, rating, block, bits in cursor.fetchall()}


def expected() -> dict[tuple, set[int]]:
    """Who holds each (name, rating) and each name at any rating, from the skill rows."""
    found: dict[tuple, set[int]] = {}
    for user_id, name, rating in UserSkill.objects.values_list("user_id", "name", "rating"):
        found.setdefault((name, rating), set()).add(user_id)
        found.setdefault((name, holders.ANY_RATING), set()).add(user_id)
    return found


def assert_bitmaps_match_rows():
    """Every name's bitmaps (any rating and each rating) hold exactly the ids of the skill rows."""
    names = sorted({*NAMES, *UserSkill.objects.values_list("name", flat=True)})
    reader = holders.ListedHolders(names, "default")
    wanted = expected()
    pairs = [(name, rating) for name in names for rating in range(11)]
    read = reader.at(pairs)
    for pair in pairs:
        assert holders.ids_of(read[pair]) == sorted(wanted.get(pair, ())), pair


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 5), st.sampled_from(NAMES), st.integers(1, 10)),
    st.tuples(st.just("rate"), st.integers(0, 5), st.sampled_from(NAMES), st.integers(1, 10)),
    st.tuples(st.just("rename"), st.integers(0, 5), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("remove"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(
        st.just("replace"), st.integers(0, 5), st.dictionaries(st.sampled_from(NAMES), st.integers(1, 10))
    ),
    st.tuples(st.just("delete account"), st.integers(0, 5)),
)


@postgresql_only
@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=25), spread=st.sampled_from([1, holders.BLOCK_IDS - 2]))
def test_the_bitmaps_follow_every_write_and_a_rebuild_gives_the_same(operations, spread):
    with transaction.atomic():
        people = []
        for index in range(6):
            # Ids in one block, or across two (spread puts every other account in the next block).
            user = UserAccount.objects.create(
                email=f"holder-{index}@example.com", name="Holder", password="!"
            )
            if spread > 1 and index % 2:
                UserAccount.objects.filter(pk=user.pk).update(id=user.pk + spread)
                user.pk = user.pk + spread
            people.append(user)
        for kind, who, *args in operations:
            skills = UserSkill.objects.filter(user_id=people[who].pk)
            if kind == "add" and not skills.filter(name=args[0]).exists():
                UserSkill.objects.create(user_id=people[who].pk, name=args[0], rating=args[1])
            elif kind == "rate":
                skills.filter(name=args[0]).update(rating=args[1])
            elif kind == "rename" and not skills.filter(name=args[1]).exists():
                skills.filter(name=args[0]).update(name=args[1])
            elif kind == "remove":
                skills.filter(name=args[0]).delete()
            elif kind == "replace":
                skills.delete()
                UserSkill.objects.bulk_create(
                    UserSkill(user_id=people[who].pk, name=name, rating=rating)
                    for name, rating in args[0].items()
                )
            elif kind == "delete account":
                UserAccount.objects.filter(pk=people[who].pk).delete()

        assert_bitmaps_match_rows()
        kept = stored()
        holders.holders_rebuild()
        assert stored() == kept
        transaction.set_rollback(True)


@postgresql_only
@pytest.mark.django_db
def test_unlisted_candidates_are_left_out_of_the_bitmaps_read():
    shown = UserAccount.objects.create(email="shown@example.com", name="Shown", password="!")
    hidden = UserAccount.objects.create(
        email="hidden@example.com", name="Hidden", password="!", searchable=False
    )
    for user in (shown, hidden):
        UserSkill.objects.create(user=user, name="Python", rating=7)

    read = holders.ListedHolders(["Python"], "default")

    assert holders.ids_of(read.of()["Python"]) == [shown.pk]
    assert holders.ids_of(read.at([("Python", 7)])["Python", 7]) == [shown.pk]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_truncating_the_skills_empties_the_bitmaps():
    user = UserAccount.objects.create(email="t@example.com", name="T", password="!")
    UserSkill.objects.create(user=user, name="Go", rating=3)
    assert stored()

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {UserSkill._meta.db_table}")

    assert stored() == {}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_writers_of_one_block_taking_names_in_opposite_orders_both_commit():
    first, second = (
        UserAccount.objects.create(email=f"w{index}@example.com", name="W", password="!")
        for index in range(2)
    )
    first_wrote, second_wrote = threading.Event(), threading.Event()
    errors = []

    def write(user, names, wrote, after):
        try:
            with transaction.atomic():
                if after is not None:
                    after.wait(10)
                UserSkill.objects.create(user=user, name=names[0], rating=5)
                wrote.set()
                if after is None:
                    # Give the other writer time to take its first name (without the block's lock, each
                    # would then wait for the other's bitmap row: a deadlock).
                    second_wrote.wait(1)
                UserSkill.objects.create(user=user, name=names[1], rating=5)
        except Exception as error:  # noqa: BLE001 - the test reports any failure below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(first, ["Python", "Go"], first_wrote, None)),
        threading.Thread(target=write, args=(second, ["Go", "Python"], second_wrote, first_wrote)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert UserSkill.objects.count() == 4
    assert_bitmaps_match_rows()


@given(counts=st.lists(st.lists(st.booleans(), min_size=6, max_size=6), max_size=12))
def test_the_bit_sliced_counter_counts_like_integers(counts):
    counter = holders.HeldCounts()
    for marks in counts:
        counter.add(holders.bits_of(index for index, marked in enumerate(marks) if marked))
    totals = [sum(marks[index] for marks in counts) for index in range(6)]

    for value in range(len(counts) + 2):
        everyone = holders.bits_of(range(6))
        assert holders.ids_of(counter.exactly(value) & everyone) == [
            i for i in range(6) if totals[i] == value
        ]
        assert holders.ids_of(counter.at_most(value) & everyone) == [
            i for i in range(6) if totals[i] <= value
        ]


requirement = st.tuples(st.sampled_from(NAMES), st.sampled_from([None, 1, 2, 5, 9, 10]))


@postgresql_only
@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(st.dictionaries(st.sampled_from(NAMES), st.integers(1, 10)), st.booleans() | st.just(True)),
        max_size=12,
    ),
    asked=st.lists(requirement, min_size=1, max_size=3),
)
def test_a_search_by_skills_counts_from_the_bitmaps_what_the_rows_count(company, people, asked):
    with transaction.atomic():
        for index, (held, searchable) in enumerate(people):
            user = UserAccount.objects.create(
                email=f"search-{index}@example.com", name="Search", password="!", searchable=searchable
            )
            UserSkill.objects.bulk_create(
                UserSkill(user=user, name=name, rating=r) for name, r in held.items()
            )
        query = "&".join(f"skill={name}" + (f":{least}" if least else "") for name, least in asked)
        client = client_for(company)

        page = client.get(f"/user/list?{query}&limit=5").json()
        whole = client.get(f"/user/list?{query}").json()
        matching = [
            index
            for index, (held, searchable) in enumerate(people)
            if searchable and all(held.get(name, 0) >= (least or 1) for name, least in asked)
        ]

        assert page["count"] == len(whole) == len(matching)
        transaction.set_rollback(True)


@postgresql_only
@pytest.mark.django_db
def test_a_search_by_skills_is_counted_without_counting_rows(company, django_assert_num_queries):
    for index in range(3):
        user = UserAccount.objects.create(email=f"c{index}@example.com", name="C", password="!")
        UserSkill.objects.create(user=user, name="Python", rating=7)
    client = client_for(company)

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/user/list?skill=Python:7&limit=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]
    with CaptureQueriesContext(connection) as queries:  # another filter: the rows are counted
        assert client.get("/user/list?skill=Python:7&min_years=0&limit=2").json()["count"] == 0
    assert [query for query in queries if "COUNT(" in query["sql"].upper()]
