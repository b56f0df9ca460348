"""Every input rule answers 400 naming the field, never 500 (api-contract 2.1, 2.6, 5)."""

import pytest

from helpers.testing import client_for
from profiles import models
from profiles.tests.cases import (
    AVAILABILITY,
    COMPANY_PROFILE,
    EDUCATION,
    EXPERIENCE,
    PROFILE,
    ROLE,
    SECTIONS,
    USER_SKILLS,
)
from profiles.tests.factories import EducationFactory, ExperienceFactory

pytestmark = pytest.mark.django_db

ONE_MEGABYTE = "x" * 1_000_000

INVALID = [
    # (section, changes to its create body, field the error names)
    (PROFILE, {"first_name": ""}, "first_name"),
    (PROFILE, {"last_name": None}, "last_name"),
    (EXPERIENCE, {"years_of_experience": "abc"}, "years_of_experience"),
    (EXPERIENCE, {"years_of_experience": "-1"}, "years_of_experience"),
    (EXPERIENCE, {"years_of_experience": 61, "years_of_remote_experience": 0}, "years_of_experience"),
    (EXPERIENCE, {"years_of_experience": "2.5"}, "years_of_experience"),
    (EXPERIENCE, {"years_of_experience": None}, "years_of_experience"),
    (EXPERIENCE, {"years_of_experience": ""}, "years_of_experience"),
    (EXPERIENCE, {"years_of_remote_experience": "-3"}, "years_of_remote_experience"),
    (
        EXPERIENCE,
        {"years_of_experience": "3", "years_of_remote_experience": "4"},
        "years_of_remote_experience",
    ),
    (EXPERIENCE, {"english_proficiency": ""}, "english_proficiency"),
    (EXPERIENCE, {"english_proficiency": "great"}, "english_proficiency"),
    (AVAILABILITY, {"availability_type": ""}, "availability_type"),
    (AVAILABILITY, {"availability_type": "Part time"}, "availability_type"),
    (AVAILABILITY, {"ready_to_start_in": ""}, "ready_to_start_in"),
    (AVAILABILITY, {"ready_to_start_in": "tomorrow"}, "ready_to_start_in"),
    (ROLE, {"preferred_role": ""}, "preferred_role"),
    (ROLE, {"preferred_role": "Fullstack"}, "preferred_role"),
    (EDUCATION, {"start_date": "01/09/2020"}, "start_date"),
    (EDUCATION, {"start_date": ""}, "start_date"),
    (EDUCATION, {"end_date": "2020-02-30"}, "end_date"),
    (EDUCATION, {"start_date": "2020-09-01", "end_date": "2020-08-31"}, "end_date"),
    (EDUCATION, {"degree": ""}, "degree"),
    (USER_SKILLS, {"rating": 0}, "rating"),
    (USER_SKILLS, {"rating": 11}, "rating"),
    (USER_SKILLS, {"rating": None}, "rating"),
    (USER_SKILLS, {"rating": "abc"}, "rating"),
    (USER_SKILLS, {"rating": 7.5}, "rating"),
    (USER_SKILLS, {"rating": True}, "rating"),
    (USER_SKILLS, {"name": ""}, "name"),
    (USER_SKILLS, {"name": "   "}, "name"),
    (COMPANY_PROFILE, {"name": ""}, "name"),
]


def post(section, changes):
    owner = section.owner_factory()
    return client_for(owner).post(f"/user/{section.path}", {**section.create_body, **changes}, format="json")


@pytest.mark.parametrize(
    ("section", "changes", "field"), INVALID, ids=[f"{s.path}-{f}-{c[f]!r}" for s, c, f in INVALID]
)
def test_invalid_input_is_a_400_naming_the_field(section, changes, field):
    response = post(section, changes)
    assert response.status_code == 400
    assert field in response.json()
    assert section.model.objects.count() == 0


@pytest.mark.parametrize(
    ("section", "field"),
    [(section, field) for section in SECTIONS for field in section.text_fields],
    ids=lambda value: value if isinstance(value, str) else value.path,
)
def test_a_one_megabyte_string_is_a_400_naming_the_field(section, field):
    response = post(section, {field: ONE_MEGABYTE})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("section", "field"),
    [
        (section, field)
        for section in SECTIONS
        for field in section.create_body
        if field not in section.text_fields
    ],
    ids=lambda value: value if isinstance(value, str) else value.path,
)
def test_a_one_megabyte_string_in_a_non_text_field_is_a_400_too(section, field):
    response = post(section, {field: ONE_MEGABYTE})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("section", "field"),
    [(PROFILE, "bio"), (PROFILE, "github_link"), (PROFILE, "linkedin_link"), (PROFILE, "country")]
    + [(COMPANY_PROFILE, field) for field in ["about", "website", "linkedin_link", "twitter_link"]]
    + [(ROLE, "current_salary")],
    ids=lambda value: value if isinstance(value, str) else value.path,
)
def test_optional_text_may_be_blank(section, field):
    response = post(section, {field: ""})
    assert response.status_code == 201, response.json()
    assert response.json()[field] == ""


@pytest.mark.parametrize(
    "value", ["octocat", "https://github.com/octocat", "not a url at all"], ids=["username", "url", "text"]
)
def test_link_fields_are_free_text(value):
    response = post(PROFILE, {"github_link": value, "linkedin_link": value})
    assert response.status_code == 201
    assert response.json()["github_link"] == response.json()["linkedin_link"] == value


def test_years_sent_as_strings_are_stored_as_integers():
    response = post(EXPERIENCE, {"years_of_experience": "60", "years_of_remote_experience": "60"})
    assert response.status_code == 201
    assert (response.json()["years_of_experience"], response.json()["years_of_remote_experience"]) == (60, 60)


def test_ratings_sent_as_strings_are_stored_as_integers():
    response = post(USER_SKILLS, {"rating": "10"})
    assert response.status_code == 201
    assert response.json()["rating"] == 10


ENUMERATIONS = [
    (EXPERIENCE, "english_proficiency", models.EnglishProficiency),
    (AVAILABILITY, "availability_type", models.AvailabilityType),
    (AVAILABILITY, "ready_to_start_in", models.ReadyToStart),
    (ROLE, "preferred_role", models.PreferredRole),
]


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [(section, field, value) for section, field, choices in ENUMERATIONS for value in choices.values],
    ids=lambda value: value if isinstance(value, str) else value.path,
)
def test_every_enumeration_value_of_the_contract_is_accepted(section, field, value):
    response = post(section, {field: value})
    assert response.status_code == 201, response.json()
    assert response.json()[field] == value


def test_contract_enumerations_are_exactly_the_stored_values():
    assert models.EnglishProficiency.values == ["Great", "Average", "Basic"]
    assert models.AvailabilityType.values == ["Not Available", "Part Time", "Full Time", "Pre FullTime"]
    assert models.ReadyToStart.values == ["now", "in 1 week", "in 2 weeks", "in 1 month", "more than 1 month"]
    assert models.PreferredRole.values == [
        "Web Frontend",
        "Web Backend",
        "Fullstack (BE Heavy)",
        "Fullstack (FE Heavy)",
        "Mobile",
        "Machine Learning",
        "DevOps",
        "Other",
    ]


def test_a_partial_update_is_checked_against_the_stored_values():
    """Remote years above the stored total are refused even when the total is not in the body."""
    row = ExperienceFactory(years_of_experience=3, years_of_remote_experience=1)
    response = client_for(row.user).put(
        f"/user/experience/{row.pk}", {"years_of_remote_experience": "5"}, format="json"
    )
    assert response.status_code == 400
    assert "years_of_remote_experience" in response.json()
    row.refresh_from_db()
    assert row.years_of_remote_experience == 1


def test_an_education_end_date_before_the_stored_start_is_refused():
    row = EducationFactory()
    response = client_for(row.user).put(
        f"/user/education/{row.pk}", {"end_date": "2001-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()


def test_dates_come_back_as_sent():
    response = post(EDUCATION, {"start_date": "2019-01-07", "end_date": "2021-12-31"})
    assert (response.json()["start_date"], response.json()["end_date"]) == ("2019-01-07", "2021-12-31")


def test_a_body_that_is_not_an_object_is_a_400(candidate_client):
    response = candidate_client.post("/user/profile", ["first_name"], format="json")
    assert response.status_code == 400


def test_malformed_json_is_a_400(candidate_client):
    response = candidate_client.post("/user/profile", "{not json", content_type="application/json")
    assert response.status_code == 400
