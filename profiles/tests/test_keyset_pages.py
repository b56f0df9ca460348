"""`?limit=&cursor=` on the big recruiter lists (GET /user/list, GET /user/user_skills/list):
following `next` links walks the whole list in its order, and a cursor cannot be forged; the whole
skills list is streamed with the same bytes."""

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core import signing

from accounts.tests.factories import CandidateFactory
from profiles.models import UserSkill
from profiles.tests.factories import ExperienceFactory, UserSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates():
    # Repeated names, so an ordering by name needs its id tiebreak to page without gaps.
    people = [CandidateFactory(name=f"Dev {n % 4}") for n in range(23)]
    for person in people:
        UserSkillFactory(user=person, name="Python", rating=5)
        UserSkillFactory(user=person, name="Go", rating=7)
    return people


def walk(client, url):
    """Every page's rows by following `next`, and the pages' bodies."""
    pages, rows = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        rows += pages[-1]["results"]
        url = pages[-1]["next"]
    return rows, pages


@pytest.mark.parametrize("ordering", ["", "&ordering=name", "&ordering=-name", "&ordering=-date_joined"])
def test_next_links_walk_the_whole_list_in_order(company_client, candidates, ordering):
    whole = company_client.get(f"/user/list?{ordering.lstrip('&')}").json()

    rows, pages = walk(company_client, f"/user/list?limit=5{ordering}")

    assert rows == whole and len(rows) == 23
    assert set(pages[0]) == {"count", "next", "previous", "results"} and pages[0]["count"] == 23
    assert all(set(page) == {"next", "results"} for page in pages[1:])
    assert "cursor=" in pages[0]["next"] and "offset=" not in pages[0]["next"]
    assert pages[-1]["next"] is None


def test_every_candidates_skills_page_by_cursor(company_client, candidates):
    whole = company_client.get("/user/user_skills/list").json()

    rows, pages = walk(company_client, "/user/user_skills/list?limit=7")

    assert rows == whole and len(rows) == 46
    assert len(pages) == 7


def test_a_list_that_fits_one_page_has_no_next(company_client, candidates):
    body = company_client.get("/user/list?limit=23").json()

    assert body["next"] is None and len(body["results"]) == 23


def test_offset_pages_are_unchanged(company_client, candidates):
    body = company_client.get("/user/list?limit=5&offset=5").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert "offset=10" in body["next"] and "cursor" not in body["next"]
    assert [row["id"] for row in body["results"]] == [c.pk for c in candidates[5:10]]


def test_an_ordering_through_a_join_pages_by_offset(company_client, candidates):
    for years, person in enumerate(candidates):
        ExperienceFactory(user=person, years_of_experience=years % 5, years_of_remote_experience=0)

    body = company_client.get("/user/list?limit=5&ordering=years_of_experience").json()

    assert "offset=5" in body["next"] and "cursor" not in body["next"]


def next_cursor(client, url="/user/list?limit=5"):
    return parse_qs(urlsplit(client.get(url).json()["next"]).query)["cursor"][0]


@pytest.mark.parametrize(
    "query",
    [
        "limit=5&cursor=not-a-cursor",
        "limit=5&cursor=",
        "limit=5&cursor={tampered}",
        "limit=5&cursor={forged}",
        "limit=5&ordering=name&cursor={good}",  # made for the id ordering
        "cursor={good}",
        "limit=5&offset=5&cursor={good}",
    ],
)
def test_a_bad_cursor_is_a_400_on_cursor(company_client, candidates, query):
    good = next_cursor(company_client)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    forged = signing.dumps({"k": ["id"], "v": [1]}, salt="another salt")

    cursors = {
        name: quote(value) for name, value in [("good", good), ("tampered", tampered), ("forged", forged)]
    }
    response = company_client.get("/user/list?" + query.format(**cursors))

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_cursor_page_counts_new_rows_after_it_and_the_first_page_recounts(company_client, candidates):
    first = company_client.get("/user/list?limit=20").json()
    newcomer = CandidateFactory(name="Late")

    rows, _ = walk(company_client, first["next"])

    assert rows[-1]["id"] == newcomer.pk
    assert company_client.get("/user/list?limit=20").json()["count"] == 24


def test_user_skill_rows_keep_their_shape_in_pages(company_client, candidates):
    page = company_client.get("/user/user_skills/list?limit=2").json()

    skill = UserSkill.objects.order_by("user_id", "id").first()
    assert page["results"][0] == {
        "id": skill.pk,
        "user": skill.user_id,
        "name": skill.name,
        "rating": skill.rating,
    }


def test_every_candidates_skills_are_streamed_with_the_pages_bytes(company_client, candidates):
    whole = company_client.get("/user/user_skills/list")
    page = company_client.get("/user/user_skills/list?limit=100")

    assert whole.streamed and not page.streamed
    assert whole["Content-Type"] == "application/json" and whole.has_header("ETag")
    assert whole.content == json.dumps(page.json()["results"], separators=(",", ":")).encode()


def test_an_empty_list_streams_an_empty_array(company_client):
    response = company_client.get("/user/user_skills/list")

    assert response.streamed and response.content == b"[]"


def test_an_offset_past_the_end_is_an_empty_page(company_client, candidates):
    body = company_client.get("/user/list?limit=5&offset=40").json()

    assert body["results"] == [] and body["count"] == 23 and body["next"] is None
