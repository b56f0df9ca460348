"""The listed candidates' block counts (profiles.listed) follow every kind of account write and equal a
rebuild from `listed_candidate()`; `/user/list` offset pages found from them are the whole list's
slices at every depth, its count is their sum, and a deep page skips less than a block."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import UserAccount
from helpers.testing import client_for
from profiles import listed

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the block counts are kept on PostgreSQL only (SQLite counts and skips index entries)",
)


def stored() -> dict[int, int]:
    """Every block's count, leaving out blocks counted down to zero."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT block, listed FROM {listed.TABLE} WHERE listed > 0")
        return dict(cursor.fetchall())


def assert_blocks_match_accounts():
    kept = stored()
    listed.listed_rebuild()
    assert stored() == kept


def ids_moved(user: UserAccount, to: int) -> UserAccount:
    UserAccount.objects.filter(pk=user.pk).update(id=to)
    user.pk = to
    return user


FLAGS = {
    "hide": {"searchable": False},
    "show": {"searchable": True},
    "deactivate": {"is_active": False},
    "activate": {"is_active": True},
    "make staff": {"is_staff": True},
    "make superuser": {"is_superuser": True},
    "make company": {"type": UserAccount.Type.COMPANY},
    "make developer": {"type": UserAccount.Type.USER},
    "log in": {"name": "Logged in"},  # an update that changes no count
}
operation = st.one_of(
    st.tuples(st.sampled_from(sorted(FLAGS)), st.integers(0, 7)),
    st.tuples(st.just("switch all"), st.sampled_from(["hide", "show", "deactivate", "activate"])),
    st.tuples(st.just("move"), st.integers(0, 7)),  # to the next block
    st.tuples(st.just("delete"), st.integers(0, 7)),
    st.tuples(st.just("delete half"), st.just(0)),
)


@postgresql_only
@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(st.booleans(), min_size=1, max_size=8),
    operations=st.lists(operation, max_size=12),
    limit=st.integers(1, 4),
)
def test_offset_pages_from_the_block_counts_are_the_whole_lists_slices(company, people, operations, limit):
    with transaction.atomic():
        accounts = []
        for index, searchable in enumerate(people):
            user = UserAccount.objects.create(
                email=f"listed-{index}@example.com", name="Listed", password="!", searchable=searchable
            )
            if index % 3 == 1:  # spread over three blocks, some ids at a block's edges
                user = ids_moved(user, (user.pk // listed.BLOCK_IDS + 1) * listed.BLOCK_IDS + index)
            elif index % 3 == 2:
                user = ids_moved(user, (user.pk // listed.BLOCK_IDS + 3) * listed.BLOCK_IDS - 1 - index)
            accounts.append(user)
        for kind, argument in operations:
            if kind == "switch all":
                UserAccount.objects.filter(email__startswith="listed-").update(**FLAGS[argument])
            elif kind == "delete half":
                UserAccount.objects.filter(pk__in=[user.pk for user in accounts[::2]]).delete()
            else:
                user = accounts[argument % len(accounts)]
                if kind == "move":
                    ids_moved(user, user.pk + listed.BLOCK_IDS)
                elif kind == "delete":
                    UserAccount.objects.filter(pk=user.pk).delete()
                else:
                    UserAccount.objects.filter(pk=user.pk).update(**FLAGS[kind])

        client = client_for(company)
        whole = [row["id"] for row in client.get("/user/list").json()]
        for offset in range(len(whole) + 1):
            body = client.get(f"/user/list?limit={limit}&offset={offset}").json()
            assert body["count"] == len(whole)
            assert [row["id"] for row in body["results"]] == whole[offset : offset + limit], offset
        assert client.get(f"/user/list?limit={limit}").json()["count"] == len(whole)
        assert_blocks_match_accounts()
        transaction.set_rollback(True)


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("change", sorted(FLAGS))
def test_each_switch_of_who_is_listed_is_counted_as_listed_candidate_says(company, change):
    people = [
        UserAccount.objects.create(email=f"s{index}@example.com", name="S", password="!", searchable=shown)
        for index, shown in enumerate([True, False])
    ]
    UserAccount.objects.filter(pk__in=[user.pk for user in people]).update(**FLAGS[change])

    client = client_for(company)
    assert client.get("/user/list?limit=1").json()["count"] == len(client.get("/user/list").json())
    assert_blocks_match_accounts()


@postgresql_only
@pytest.mark.django_db
def test_a_deep_offset_page_skips_less_than_a_block_and_counts_no_rows(company):
    people = [
        UserAccount.objects.create(email=f"deep-{index}@example.com", name="Deep", password="!")
        for index in range(6)
    ]
    for index, user in enumerate(people):  # two accounts per block, three blocks
        ids_moved(user, (index // 2 + 10) * listed.BLOCK_IDS + index)
    client = client_for(company)

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/user/list?limit=2&offset=5").json()

    assert body["count"] == 6 and [row["id"] for row in body["results"]] == [people[5].pk]
    skipped = [int(n) for query in queries for n in re.findall(r"OFFSET (\d+)", query["sql"])]
    assert skipped and max(skipped) < 2  # one listed account before it in its block, not five
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_truncating_the_accounts_empties_the_block_counts():
    UserAccount.objects.create(email="t@example.com", name="T", password="!")
    assert stored()

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {UserAccount._meta.db_table} CASCADE")

    assert stored() == {}
