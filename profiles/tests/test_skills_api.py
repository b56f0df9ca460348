"""Candidate skills: canonical names, no duplicates in another spelling, and the recruiter lists."""

import pytest

from helpers.testing import client_for
from profiles.models import UserSkill
from profiles.tests.factories import UserSkillFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (" React Native", "React Native"),
        ("react   native", "React Native"),
        ("nodejs", "Node.js"),
        ("NODE.JS", "Node.js"),
        ("node js", "Node.js"),
        ("Golang", "Go"),
        ("csharp", "C#"),
        ("ReactJS", "React"),
        ("  Elm  ", "Elm"),
    ],
)
def test_skill_names_are_stored_in_their_canonical_spelling(candidate_client, candidate, sent, stored):
    response = candidate_client.post("/user/user_skills", {"name": sent, "rating": 5}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == stored
    assert UserSkill.objects.get(user=candidate).name == stored


@pytest.mark.parametrize("sent", ["nodejs", "NODE.JS", "Node.js", " node js "])
def test_a_skill_already_owned_in_another_spelling_is_refused(candidate_client, candidate, sent):
    UserSkillFactory(user=candidate, name="Node.js")
    response = candidate_client.post("/user/user_skills", {"name": sent, "rating": 5}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert UserSkill.objects.filter(user=candidate).count() == 1


def test_another_candidate_may_own_the_same_skill(candidate_client):
    UserSkillFactory(name="Node.js")
    response = candidate_client.post("/user/user_skills", {"name": "nodejs", "rating": 5}, format="json")
    assert response.status_code == 201


def test_renaming_a_skill_onto_one_already_owned_is_refused(candidate_client, candidate):
    UserSkillFactory(user=candidate, name="Go")
    python = UserSkillFactory(user=candidate, name="Python")
    response = candidate_client.put(f"/user/user_skills/{python.pk}", {"name": "golang"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    python.refresh_from_db()
    assert python.name == "Python"


def test_a_skill_may_be_saved_again_under_its_own_name(candidate_client, candidate):
    skill = UserSkillFactory(user=candidate, name="Python", rating=3)
    response = candidate_client.put(
        f"/user/user_skills/{skill.pk}", {"name": "python", "rating": 4}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": skill.pk, "user": candidate.pk, "name": "Python", "rating": 4}


def test_a_skill_name_is_canonical_when_renamed(candidate_client, candidate):
    skill = UserSkillFactory(user=candidate, name="Python")
    response = candidate_client.patch(f"/user/user_skills/{skill.pk}", {"name": "vuejs"}, format="json")
    assert response.json()["name"] == "Vue.js"


@pytest.mark.parametrize("caller", ["company", "staff"])
def test_recruiters_read_every_candidates_skills(caller, company, staff):
    first = UserSkillFactory(name="Python")
    second = UserSkillFactory(name="Go")
    response = client_for({"company": company, "staff": staff}[caller]).get("/user/user_skills/list")
    assert response.status_code == 200
    assert sorted((row["id"], row["user"], row["name"]) for row in response.json()) == sorted(
        [(first.pk, first.user_id, "Python"), (second.pk, second.user_id, "Go")]
    )


def test_a_candidate_may_not_read_every_candidates_skills(candidate_client):
    UserSkillFactory()
    assert candidate_client.get("/user/user_skills/list").status_code == 403


def test_the_skills_of_one_candidate_are_only_theirs(company_client):
    mine = UserSkillFactory(name="Python")
    UserSkillFactory(name="Go")
    response = company_client.get(f"/user/user_skills/list/{mine.user_id}")
    assert response.status_code == 200
    assert response.json() == [{"id": mine.pk, "user": mine.user_id, "name": "Python", "rating": mine.rating}]


def test_the_skill_lists_paginate_on_request(company_client):
    skills = UserSkillFactory.create_batch(3)
    response = company_client.get("/user/user_skills/list?limit=2&offset=1")
    body = response.json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [skill.pk for skill in skills[1:]]
    assert body["previous"] is not None
    assert body["next"] is None
