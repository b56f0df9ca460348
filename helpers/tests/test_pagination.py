"""`OptInLimitOffsetPagination` on GET /user/list: a bare array by default, capped pages on request."""

import pytest

from accounts.models import UserAccount

pytestmark = pytest.mark.django_db

MAX_LIMIT = 100
ROWS = MAX_LIMIT + 20


@pytest.fixture
def candidates():
    return UserAccount.objects.bulk_create(
        UserAccount(email=f"dev{n}@example.com", name=f"Dev {n}", password="!") for n in range(ROWS)
    )


def test_without_limit_the_whole_list_is_a_bare_array(company_client, candidates):
    body = company_client.get("/user/list").json()

    assert isinstance(body, list)
    assert len(body) == ROWS


@pytest.mark.parametrize("limit", ["100", "101", "100000"])
def test_a_huge_limit_gives_a_page_of_at_most_max_limit(company_client, candidates, limit):
    body = company_client.get(f"/user/list?limit={limit}").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == ROWS
    assert len(body["results"]) == MAX_LIMIT
    assert body["next"] is not None


def test_a_usable_limit_gives_that_many_rows_from_the_offset(company_client, candidates):
    body = company_client.get("/user/list?limit=7&offset=110").json()

    assert body["count"] == ROWS
    assert [row["id"] for row in body["results"]] == [user.pk for user in candidates[110:117]]
