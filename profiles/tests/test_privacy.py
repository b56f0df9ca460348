"""Candidate privacy on the /user/ reads: a candidate's choice to be found, contact details kept from
companies, and the daily limit on reading candidates one by one (README, Privacy)."""

import logging
from datetime import UTC, datetime

import pytest

from accounts import access
from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for
from profiles.tests.factories import ProfileFactory, UserSkillFactory

pytestmark = pytest.mark.django_db


# --- Being found --------------------------------------------------------------------------------


def test_a_candidate_turns_searchable_off_and_sees_it_on_their_account(candidate_client):
    assert candidate_client.get("/auth/users/me/").json()["searchable"] is True

    response = candidate_client.patch("/auth/users/me/", {"searchable": False}, format="json")

    assert response.status_code == 200
    assert response.json()["searchable"] is False
    assert candidate_client.get("/auth/users/me/").json()["searchable"] is False


def test_a_company_cannot_set_searchable(company_client):
    response = company_client.patch("/auth/users/me/", {"searchable": False}, format="json")

    assert response.status_code == 400
    assert "searchable" in response.json()


@pytest.fixture
def hidden():
    """A candidate who chose not to be found, with a profile and a skill."""
    candidate = CandidateFactory(searchable=False)
    ProfileFactory(user=candidate)
    UserSkillFactory(user=candidate, name="Python", rating=9)
    return candidate


def test_a_candidate_who_is_not_searchable_is_in_no_listing(company_client, hidden):
    found = CandidateFactory()
    UserSkillFactory(user=found, name="Python", rating=9)

    assert [row["id"] for row in company_client.get("/user/list").json()] == [found.pk]
    assert {row["user"] for row in company_client.get("/user/user_skills/list").json()} == {found.pk}


@pytest.mark.parametrize(
    "path",
    [
        "/user/list/{id}",
        "/user/profile/{id}/user",
        "/user/user_skills/list/{id}",
        "/question/result/{id}",
    ],
)
def test_a_company_cannot_read_a_hidden_candidate_by_id_but_staff_and_the_candidate_can(
    company_client, staff_client, hidden, path
):
    url = path.format(id=hidden.pk)
    company_answer = company_client.get(url)
    assert company_answer.status_code == 404 or company_answer.json() == []
    for client in (staff_client, client_for(hidden)):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.json() != []


# --- Contact details ----------------------------------------------------------------------------


def test_a_company_reads_a_candidates_profile_without_the_phone(company_client, staff_client):
    candidate = CandidateFactory()
    ProfileFactory(user=candidate, phone="+44 20 7946 0000", first_name="Ada")

    seen_by_company = company_client.get(f"/user/profile/{candidate.pk}/user").json()
    seen_by_staff = staff_client.get(f"/user/profile/{candidate.pk}/user").json()
    seen_by_self = client_for(candidate).get(f"/user/profile/{candidate.pk}/user").json()

    assert seen_by_company[0]["first_name"] == "Ada" and "phone" not in seen_by_company[0]
    assert seen_by_staff[0]["phone"] == seen_by_self[0]["phone"] == "+44 20 7946 0000"
    assert client_for(candidate).get("/user/profile").json()[0]["phone"] == "+44 20 7946 0000"


# --- No bulk harvesting -------------------------------------------------------------------------


@pytest.fixture
def limit_of_two(settings):
    settings.CANDIDATE_READS_PER_DAY = 2


def test_a_company_reads_at_most_the_daily_number_of_distinct_candidates(limit_of_two, caplog):
    company = client_for(CompanyFactory())
    first, second, third = CandidateFactory(), CandidateFactory(), CandidateFactory()

    assert company.get(f"/user/list/{first.pk}").status_code == 200
    assert company.get(f"/user/profile/{second.pk}/user").status_code == 200
    assert company.get(f"/question/result/{first.pk}").status_code == 200  # the same candidate again
    with caplog.at_level(logging.WARNING, logger="job_portal.privacy"):
        refused = company.get(f"/user/list/{third.pk}")
        company.get(f"/user/experience/{third.pk}/user")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert "daily limit" in refused.json()["detail"]
    assert len([r for r in caplog.records if "CANDIDATE_READS_PER_DAY" in r.getMessage()]) == 1
    assert company.get(f"/user/list/{second.pk}").status_code == 200  # already read today


def test_the_limit_is_per_company_and_per_day_and_spares_staff(limit_of_two, staff_client, monkeypatch):
    candidates = [CandidateFactory() for _ in range(3)]
    company = client_for(CompanyFactory())
    for candidate in candidates[:2]:
        company.get(f"/user/list/{candidate.pk}")
    assert company.get(f"/user/list/{candidates[2].pk}").status_code == 429

    assert client_for(CompanyFactory()).get(f"/user/list/{candidates[2].pk}").status_code == 200
    assert all(staff_client.get(f"/user/list/{c.pk}").status_code == 200 for c in candidates)
    monkeypatch.setattr(access, "_now", lambda: datetime(2099, 1, 2, 12, 0, tzinfo=UTC))
    assert company.get(f"/user/list/{candidates[2].pk}").status_code == 200


def test_whole_table_reads_are_not_counted(limit_of_two, company_client):
    for _ in range(3):
        UserSkillFactory(user=CandidateFactory())

    for _ in range(3):
        assert company_client.get("/user/user_skills/list").status_code == 200
        assert company_client.get("/user/list").status_code == 200


def test_turning_searchable_off_changes_the_recruiter_lists_tags(company_client):
    candidate = CandidateFactory()
    UserSkillFactory(user=candidate)
    tags = {path: company_client.get(path)["ETag"] for path in ("/user/list", "/user/user_skills/list")}

    client_for(candidate).patch("/auth/users/me/", {"searchable": False}, format="json")

    for path, tag in tags.items():
        answer = company_client.get(path, HTTP_IF_NONE_MATCH=tag)
        assert answer.status_code == 200 and answer.json() == []
