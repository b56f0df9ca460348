"""Every list endpoint of /user/ runs a fixed number of queries, whatever the number of rows.

Two queries per request: the token's user, then the list itself (one more, the count, when paginated).
The one-per-user sections hold at most one row per candidate, so they are pinned at 0 and 1 rows.
"""

import datetime

import pytest

from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for
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
    with django_assert_num_queries(AUTH_AND_LIST):
        response = client.get(path.format(id=candidate.pk))
    assert len(response.json()) == rows


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
        with django_assert_num_queries(AUTH_AND_LIST):
            assert len(recruiter.get(f"/user/{section.path}/{owner.pk}/user").json()) == rows


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("query", ["", SEARCH], ids=["all", "search"])
@pytest.mark.parametrize("paginated", [False, True], ids=["array", "page"])
def test_candidate_list_runs_constant_queries(django_assert_num_queries, rows, query, paginated):
    one_candidate_each(rows)
    client = client_for(CompanyFactory())
    with django_assert_num_queries(AUTH_AND_LIST + paginated):
        response = client.get(f"/user/list?{query}" + ("&limit=100" if paginated else ""))
    body = response.json()
    assert len(body["results"] if paginated else body) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_all_candidates_skills_run_constant_queries(django_assert_num_queries, rows):
    one_candidate_each(rows)
    client = client_for(CompanyFactory())
    with django_assert_num_queries(AUTH_AND_LIST):
        assert len(client.get("/user/user_skills/list").json()) == 2 * rows
