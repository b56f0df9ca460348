"""What companies read about candidates (api-contract 2.3, 4) and the recruiter search on /user/list."""

import pytest

from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for
from profiles.tests.cases import CANDIDATE_READ_SECTIONS
from profiles.tests.factories import (
    AvailabilityFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = pytest.mark.django_db

ONE_CANDIDATE_PATHS = [f"/user/{section.path}/{{id}}/user" for section in CANDIDATE_READ_SECTIONS] + [
    "/user/user_skills/list/{id}",
    "/user/list/{id}",
]
ALL_CANDIDATE_PATHS = ["/user/user_skills/list", "/user/list"]


def caller_of(kind, candidate):
    return {
        "company": CompanyFactory,
        "staff": StaffFactory,
        "another candidate": CandidateFactory,
        "the candidate": lambda: candidate,
    }[kind]()


@pytest.mark.parametrize("path", ONE_CANDIDATE_PATHS)
@pytest.mark.parametrize(
    ("caller", "status"),
    [("company", 200), ("staff", 200), ("the candidate", 200), ("another candidate", 403)],
)
def test_who_reads_one_candidates_data(path, caller, status):
    candidate = CandidateFactory()
    response = client_for(caller_of(caller, candidate)).get(path.format(id=candidate.pk))
    assert response.status_code == status


@pytest.mark.parametrize("path", ALL_CANDIDATE_PATHS)
@pytest.mark.parametrize(("caller", "status"), [("company", 200), ("staff", 200), ("the candidate", 403)])
def test_who_reads_all_candidates(path, caller, status):
    candidate = CandidateFactory()
    response = client_for(caller_of(caller, candidate)).get(path)
    assert response.status_code == status


@pytest.mark.parametrize("path", ONE_CANDIDATE_PATHS + ALL_CANDIDATE_PATHS)
def test_anonymous_callers_read_nothing(api_client, path):
    assert api_client.get(path.format(id=CandidateFactory().pk)).status_code == 401


@pytest.mark.parametrize("section", CANDIDATE_READ_SECTIONS, ids=str)
def test_a_candidates_section_is_an_array_of_their_rows_only(company_client, section):
    row = section.factory()
    section.factory()
    response = company_client.get(f"/user/{section.path}/{row.user_id}/user")
    assert response.status_code == 200
    assert [(item["id"], item["user"]) for item in response.json()] == [(row.pk, row.user_id)]


@pytest.mark.parametrize("section", CANDIDATE_READ_SECTIONS, ids=str)
def test_a_candidate_without_the_section_reads_as_an_empty_array(company_client, section):
    assert company_client.get(f"/user/{section.path}/{CandidateFactory().pk}/user").json() == []


def test_a_candidate_profile_carries_what_the_candidate_page_reads(company_client):
    profile = ProfileFactory(bio="Backend developer.")
    body = company_client.get(f"/user/profile/{profile.user_id}/user").json()[0]
    assert {key: body[key] for key in ["id", "first_name", "last_name", "bio"]} == {
        "id": profile.pk,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "bio": "Backend developer.",
    }


def test_one_candidate_is_shown_with_public_fields_only(company_client):
    candidate = CandidateFactory(name="Grace Hopper")
    response = company_client.get(f"/user/list/{candidate.pk}")
    assert response.json() == {
        "id": candidate.pk,
        "name": "Grace Hopper",
        "email": candidate.email,
        "type": "user",
    }


@pytest.mark.parametrize("account", [CompanyFactory, lambda: CandidateFactory(is_active=False)])
def test_only_active_candidates_are_listed(company_client, account):
    user = account()
    assert company_client.get(f"/user/list/{user.pk}").status_code == 404
    assert company_client.get("/user/list").json() == []


# --- Recruiter search --------------------------------------------------------------------------


@pytest.fixture
def people():
    """Four candidates with a known answer for each filter, and a company that must never be listed."""

    def candidate(name, bio, skills, availability, role, english, years):
        user = CandidateFactory(name=name)
        ProfileFactory(user=user, first_name=name.split()[0], last_name=name.split()[1], bio=bio)
        for skill, rating in skills.items():
            UserSkillFactory(user=user, name=skill, rating=rating)
        if availability:
            AvailabilityFactory(user=user, availability_type=availability)
            RoleSalaryFactory(user=user, preferred_role=role)
            ExperienceFactory(
                user=user,
                english_proficiency=english,
                years_of_experience=years,
                years_of_remote_experience=0,
            )
        return user

    CompanyFactory(name="Acme Python Recruiting")
    return {
        "alice": candidate(
            "Alice Smith", "Django expert", {"Python": 9, "React": 6}, "Full Time", "Web Backend", "Great", 6
        ),
        "bob": candidate(
            "Bob Jones",
            "Frontend lover",
            {"Python": 6, "React": 8},
            "Part Time",
            "Web Frontend",
            "Average",
            3,
        ),
        "carol": candidate(
            "Carol White",
            "Go and Python",
            {"React": 9, "Go": 7},
            "Full Time",
            "Fullstack (BE Heavy)",
            "Great",
            10,
        ),
        "dave": candidate("Dave Brown", "", {}, None, None, None, None),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["alice", "bob", "carol", "dave"]),
        ("skill=Python", ["alice", "bob"]),
        ("skill=Python:7", ["alice"]),
        ("skill=python:7", ["alice"]),
        ("skill=Python&skill=React:7", ["bob"]),
        ("skill=ReactJS:6&skill=golang", ["carol"]),
        ("skill=Rust", []),
        ("skill=", ["alice", "bob", "carol", "dave"]),
        ("availability_type=Full Time", ["alice", "carol"]),
        ("preferred_role=Web Frontend", ["bob"]),
        ("english_proficiency=Great", ["alice", "carol"]),
        ("min_years=5", ["alice", "carol"]),
        ("min_years=0", ["alice", "bob", "carol"]),
        ("min_years=6", ["alice", "carol"]),
        ("min_years=10", ["carol"]),
        ("search=django", ["alice"]),
        ("search=PYTHON", ["carol"]),
        ("search=bob jones", ["bob"]),
        ("search=smith lover", []),
        ("availability_type=Full Time&english_proficiency=Great&skill=Go", ["carol"]),
        ("min_years=0&ordering=-years_of_experience", ["carol", "alice", "bob"]),
        ("ordering=-name", ["dave", "carol", "bob", "alice"]),
    ],
)
def test_recruiter_search_finds_the_known_candidates(company_client, people, query, expected):
    response = company_client.get(f"/user/list?{query}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [people[name].pk for name in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("skill=Python:11", "skill"),
        ("skill=Python:0", "skill"),
        ("skill=Python:abc", "skill"),
        ("skill=:5", "skill"),
        ("availability_type=Part time", "availability_type"),
        ("preferred_role=Boss", "preferred_role"),
        ("english_proficiency=great", "english_proficiency"),
        ("min_years=abc", "min_years"),
        ("ordering=password", "ordering"),
        ("search=" + "x" * 201, "search"),
    ],
)
def test_bad_search_parameters_are_a_400_naming_the_parameter(company_client, query, field):
    response = company_client.get(f"/user/list?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_recruiter_search_paginates_on_request(company_client, people):
    response = company_client.get("/user/list?limit=2&offset=2&ordering=name")
    body = response.json()
    assert body["count"] == 4
    assert [row["id"] for row in body["results"]] == [people["carol"].pk, people["dave"].pk]
    assert body["next"] is None


@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_pages_of_equal_names_list_every_candidate_once_by_id(company_client, ordering):
    same = [CandidateFactory(name="Sam Lee") for _ in range(5)]

    pages = [
        company_client.get(f"/user/list?ordering={ordering}&limit=2&offset={offset}").json()
        for offset in (0, 2, 4)
    ]

    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [row["id"] for page in pages for row in page["results"]] == sorted(user.pk for user in same)


def test_the_list_shows_public_fields_only(company_client, people):
    assert {tuple(sorted(row)) for row in company_client.get("/user/list").json()} == {
        ("email", "id", "name", "type")
    }


def test_an_inactive_candidates_rows_are_hidden_from_recruiters(company_client):
    skill = UserSkillFactory(user=CandidateFactory(is_active=False))
    ProfileFactory(user=skill.user)
    assert company_client.get(f"/user/profile/{skill.user_id}/user").json() == []
    assert company_client.get(f"/user/user_skills/list/{skill.user_id}").json() == []
    assert company_client.get("/user/user_skills/list").json() == []
