"""Every list endpoint of /user/ runs a fixed number of queries, whatever the number of rows.

Two queries per request: the token's user, then the list itself (one more, the count, when paginated).
The recruiter lists that carry an ETag (GET /user/list, GET /user/user_skills/list) read the candidate
data version first, one query more; answering 304 takes the token's user and the version only.
The one-per-user sections hold at most one row per candidate, so they are pinned at 0 and 1 rows.
A company's read of one candidate adds the access ledger (accounts/access.py): whether the candidate
is readable, today's reads of them, the INSERT; a new candidate of the day adds the counter's
transaction (savepoint, lock, create on the day's first, re-read, update, release).
"""

import datetime

import pytest
from django.db import connection

from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import cache_queries, client_for
from profiles.tests.cases import ONE_PER_USER
from profiles.tests.factories import (
    AvailabilityFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = pytest.mark.django_db

AUTH_AND_LIST = 2
AUTH_VERSION = 2
AUTH_VERSION_AND_LIST = 3
READ_AGAIN = 3
FIRST_READ_OF_THE_DAY = READ_AGAIN + 7
# The streamed whole skills list reads through a server-side cursor on PostgreSQL, in a transaction
# of its own (here a savepoint and its release); SQLite reads it with an ordinary cursor.
STREAM_TRANSACTION = 2 if connection.vendor == "postgresql" else 0
# The whole candidate list is counted from the listed candidates' block counts on PostgreSQL (one
# query, never cached: profiles.listed), and its offset pages seek from them (one more); elsewhere its
# count is cached per data version like any other list's.
BLOCK_COUNTS = connection.vendor == "postgresql"


def whole_list_count(path: str, cached: bool) -> int:
    """The queries counting a first or offset page of `path` with no filter."""
    if BLOCK_COUNTS and path == "/user/list":
        return 1
    return cache_queries(1) if cached else 1 + cache_queries(2)


def educations(user, rows):
    for i in range(rows):
        EducationFactory(user=user, start_date=datetime.date(2000 + i % 20, 1, 1 + i // 20), end_date=None)


def skills(user, rows):
    for i in range(rows):
        UserSkillFactory(user=user, name=f"Skill {i}")


def full_candidate(i):
    user = CandidateFactory()
    ProfileFactory(user=user, bio=f"candidate {i}")
    ExperienceFactory(user=user, years_of_experience=5, years_of_remote_experience=1)
    AvailabilityFactory(user=user)
    RoleSalaryFactory(user=user)
    UserSkillFactory(user=user, name="Python", rating=8)
    UserSkillFactory(user=user, name="React", rating=5)
    return user


def one_candidate_each(rows):
    for i in range(rows):
        full_candidate(i)


SEARCH = (
    "skill=Python:5&skill=React&availability_type=Full Time&preferred_role=Web Backend"
    "&english_proficiency=Great&min_years=1&search=candidate&ordering=-years_of_experience"
)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("paginated", [False, True], ids=["array", "page"])
@pytest.mark.parametrize(
    ("path", "fill"),
    [
        ("/user/education", educations),
        ("/user/user_skills", skills),
    ],
)
def test_own_lists_run_constant_queries(django_assert_num_queries, path, fill, rows, paginated):
    owner = CandidateFactory()
    fill(owner, rows)
    client = client_for(owner)
    with django_assert_num_queries(AUTH_AND_LIST + paginated):
        response = client.get(path + ("?limit=100" if paginated else ""))
    body = response.json()
    assert len(body["results"] if paginated else body) == rows


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("path", "fill"),
    [
        ("/user/education/{id}/user", educations),
        ("/user/user_skills/list/{id}", skills),
    ],
)
def test_one_candidates_lists_run_constant_queries(django_assert_num_queries, path, fill, rows):
    candidate = CandidateFactory()
    fill(candidate, rows)
    client = client_for(CompanyFactory())
    with django_assert_num_queries(AUTH_AND_LIST + FIRST_READ_OF_THE_DAY):
        response = client.get(path.format(id=candidate.pk))
    with django_assert_num_queries(AUTH_AND_LIST + READ_AGAIN):
        again = client.get(path.format(id=candidate.pk))
    assert len(response.json()) == len(again.json()) == rows


@pytest.mark.parametrize("rows", [0, 1])
@pytest.mark.parametrize("section", ONE_PER_USER, ids=str)
def test_one_per_user_lists_run_constant_queries(django_assert_num_queries, section, rows):
    owner = section.owner_factory()
    if rows:
        section.factory(user=owner)
    client = client_for(owner)
    with django_assert_num_queries(AUTH_AND_LIST):
        assert len(client.get(f"/user/{section.path}").json()) == rows
    if section.path != "company_profile":
        recruiter = client_for(CompanyFactory())
        with django_assert_num_queries(AUTH_AND_LIST + FIRST_READ_OF_THE_DAY):
            assert len(recruiter.get(f"/user/{section.path}/{owner.pk}/user").json()) == rows


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("query", ["", SEARCH], ids=["all", "search"])
@pytest.mark.parametrize("paginated", [False, True], ids=["array", "page"])
def test_candidate_list_runs_constant_queries(django_assert_num_queries, rows, query, paginated):
    one_candidate_each(rows)
    client = client_for(CompanyFactory())
    path = f"/user/list?{query}" + ("&limit=100" if paginated else "")
    # A page's count is cached per data version: looked up, then stored (a ranked search pages by
    # offset, its count cached the same way); the whole list counts its blocks on PostgreSQL.
    counted = 0
    if paginated:
        counted = whole_list_count("/user/list", cached=False) - 1 if not query else cache_queries(2)
    with django_assert_num_queries(AUTH_VERSION_AND_LIST + paginated + counted):
        response = client.get(path)
    body = response.json()
    assert len(body["results"] if paginated else body) == rows
    with django_assert_num_queries(AUTH_VERSION):
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("rows", [1, 50])
def test_all_candidates_skills_run_constant_queries(django_assert_num_queries, rows):
    one_candidate_each(rows)
    client = client_for(CompanyFactory())
    with django_assert_num_queries(AUTH_VERSION_AND_LIST + STREAM_TRANSACTION):
        response = client.get("/user/user_skills/list")
    assert len(response.json()) == 2 * rows
    with django_assert_num_queries(AUTH_VERSION):
        assert client.get("/user/user_skills/list", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("rows", [3, 60])
@pytest.mark.parametrize("path", ["/user/list", "/user/user_skills/list"])
def test_keyset_pages_run_constant_queries(django_assert_num_queries, rows, path):
    one_candidate_each(rows)
    client = client_for(CompanyFactory())
    # + the count, and the cache's lookup and store of it (or the blocks' sum)
    with django_assert_num_queries(AUTH_VERSION_AND_LIST + whole_list_count(path, cached=False)):
        first = client.get(f"{path}?limit=2").json()
    # the count comes from the cache (or the blocks again)
    with django_assert_num_queries(AUTH_VERSION_AND_LIST + whole_list_count(path, cached=True)):
        assert client.get(f"{path}?limit=2").json() == first
    with django_assert_num_queries(AUTH_VERSION_AND_LIST):  # a cursor page never counts
        page = client.get(first["next"]).json()
    # the page's ids (after the blocks' seek), then its rows; the count
    seek = 1 if BLOCK_COUNTS and path == "/user/list" else 0
    with django_assert_num_queries(AUTH_VERSION_AND_LIST + 1 + seek + whole_list_count(path, cached=True)):
        assert client.get(f"{path}?limit=2&offset=1").json()["results"]
    assert page["results"] and page["results"][0] not in first["results"]
