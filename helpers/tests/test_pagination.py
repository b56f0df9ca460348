"""`OptInLimitOffsetPagination` on GET /user/list: a bare array by default, capped pages on request."""

import re

import pytest

from accounts.models import UserAccount
from helpers.pagination import KeysetPagination, OptInLimitOffsetPagination
from jobs.tests.factories import ApplicationFactory, JobSkillFactory

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


# --- the same limit/offset rule on every paginated list ----------------------------------------
# (route as the URL configuration writes it, method, who calls); a new paginated list must be added.
PAGINATED_ROUTES = [
    ("^user/recommend/list/?$", "post", "company"),
    ("^job/recommended/?$", "get", "candidate"),
    ("user/^list/?$", "get", "company"),
    ("user/^user_skills/list/?$", "get", "company"),
    ("user/^user_skills/list/(?P<user_id>[0-9]{1,18})/?$", "get", "company"),
    ("user/^user_skills/?$", "get", "candidate"),
    ("user/^profile/?$", "get", "candidate"),
    ("user/^profile/(?P<user_id>[0-9]{1,18})/user/?$", "get", "company"),
    ("user/^experience/?$", "get", "candidate"),
    ("user/^experience/(?P<user_id>[0-9]{1,18})/user/?$", "get", "company"),
    ("user/^availability/?$", "get", "candidate"),
    ("user/^availability/(?P<user_id>[0-9]{1,18})/user/?$", "get", "company"),
    ("user/^role/?$", "get", "candidate"),
    ("user/^role/(?P<user_id>[0-9]{1,18})/user/?$", "get", "company"),
    ("user/^education/?$", "get", "candidate"),
    ("user/^education/(?P<user_id>[0-9]{1,18})/user/?$", "get", "company"),
    ("user/^company_profile/?$", "get", "company"),
    ("job/^/?$", "get", "company"),
    ("job/^list/?$", "get", "company"),
    ("job/^skills/?$", "get", "company"),
    ("job/^skills/(?P<job_id>[0-9]{1,18})/?$", "get", "company"),
    ("job/^applications/?$", "get", "candidate"),
    ("job/^applications/(?P<pk>[0-9]{1,18})/events/?$", "get", "company"),
    ("job/^(?P<pk>[0-9]{1,18})/applications/?$", "get", "company"),
    ("job/^webhooks/?$", "get", "company"),
    ("question/^all/?$", "get", "candidate"),
    ("question/^answers/?$", "get", "candidate"),
    ("question/^submit/?$", "get", "candidate"),
]


def paginated_routes(patterns=None, prefix=""):
    """Every route of the URL configuration whose view pages with OptInLimitOffsetPagination (or its
    keyset extension)."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        view = getattr(pattern.callback, "cls", None) if not isinstance(pattern, URLResolver) else None
        if isinstance(pattern, URLResolver):
            yield from paginated_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif getattr(view, "pagination_class", None) in (OptInLimitOffsetPagination, KeysetPagination):
            yield prefix + str(pattern.pattern)


def test_the_table_lists_every_paginated_route():
    assert sorted(paginated_routes()) == sorted(route for route, _, _ in PAGINATED_ROUTES)


@pytest.fixture
def call_route(candidate, company, candidate_client, company_client):
    """Call a route of the table with its ids filled in: the company's job (with a skill), the
    candidate's application to it; POSTs carry `{"job": id}` (the ranking's body)."""
    job = JobSkillFactory(job__user=company, name="Python").job
    application = ApplicationFactory(job=job, candidate=candidate)
    clients = {"candidate": candidate_client, "company": company_client}

    def call(route, method, caller, query=""):
        ids = {"user_id": candidate.pk, "job_id": job.pk}
        ids["pk"] = application.pk if "events" in route else job.pk
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(ids[m.group(1)]), route)
        path = "/" + path.replace("^", "").replace("/?$", "")
        if method == "post":
            return clients[caller].post(f"{path}?{query}", {"job": job.pk}, format="json")
        return clients[caller].get(f"{path}?{query}")

    return call


@pytest.mark.parametrize(("route", "method", "caller"), PAGINATED_ROUTES)
@pytest.mark.parametrize(
    "query", ["offset=abc", "offset=-5", "offset=", "offset=5", "limit=5&offset=abc", "limit=5&offset=-1"]
)
def test_a_bad_or_lone_offset_is_a_400_naming_offset_on_every_paginated_list(
    call_route, route, method, caller, query
):
    response = call_route(route, method, caller, query)

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["offset"]


@pytest.mark.parametrize(("route", "method", "caller"), PAGINATED_ROUTES)
def test_every_paginated_list_still_answers_a_bare_array_and_a_page(call_route, route, method, caller):
    whole = call_route(route, method, caller)
    page = call_route(route, method, caller, "limit=5&offset=0")

    assert whole.status_code == 200 and isinstance(whole.json(), list)
    assert page.status_code == 200 and set(page.json()) == {"count", "next", "previous", "results"}
