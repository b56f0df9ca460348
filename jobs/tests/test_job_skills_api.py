"""Job skills: POST /job/skills on one's own job, reads for everyone, corrections by the owner."""

import pytest

from helpers.testing import client_for
from jobs.models import JobSkill
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(company):
    return JobFactory(user=company)


def post_skill(client, job_id, name="Python", rating=7):
    return client.post("/job/skills", {"job": job_id, "name": name, "rating": rating}, format="json")


def test_posted_skill_is_returned_with_integer_job_id(company_client, job):
    response = post_skill(company_client, str(job.pk), "Python", "8")

    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "job": job.pk, "name": "Python", "rating": 8}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("nodejs", "Node.js"), ("  react   native ", "React Native"), ("golang", "Go"), ("Elm", "Elm")],
)
def test_skill_name_is_stored_canonically(company_client, job, sent, stored):
    response = post_skill(company_client, job.pk, sent)

    assert response.status_code == 201
    assert response.json()["name"] == stored
    assert JobSkill.objects.get().name == stored


@pytest.mark.parametrize("spelling", ["Node.js", "nodejs", "NODE JS", "node"])
def test_duplicate_skill_in_another_spelling_is_a_400(company_client, job, spelling):
    JobSkillFactory(job=job, name="Node.js")

    response = post_skill(company_client, job.pk, spelling)

    assert response.status_code == 400
    assert "name" in response.json()
    assert JobSkill.objects.count() == 1


def test_same_skill_on_two_jobs_is_fine(company, company_client, job):
    other_job = JobFactory(user=company)
    JobSkillFactory(job=job, name="Python")

    assert post_skill(company_client, other_job.pk, "python").status_code == 201


@pytest.mark.parametrize("rating", [0, 11, -1, None, "", "abc", 7.5])
def test_rating_outside_one_to_ten_is_a_400(company_client, job, rating):
    response = post_skill(company_client, job.pk, rating=rating)

    assert response.status_code == 400
    assert list(response.json()) == ["rating"]
    assert not JobSkill.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "x" * 1_000_000, None])
def test_invalid_skill_name_is_a_400(company_client, job, name):
    response = post_skill(company_client, job.pk, name=name)

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


@pytest.mark.parametrize("job_id", ["abc", None, "", [1]])
def test_malformed_job_id_is_a_400(company_client, job_id):
    response = post_skill(company_client, job_id)

    assert response.status_code == 400
    assert "job" in response.json()


def test_company_cannot_add_skill_to_another_companys_job(company_client):
    theirs = JobFactory()

    response = post_skill(company_client, theirs.pk)

    assert response.status_code == 404
    assert not JobSkill.objects.exists()


@pytest.mark.parametrize("job_id", [987654, 99999999999999999999999, 0, -1])
def test_skill_on_a_job_that_does_not_exist_is_a_404(company_client, job_id):
    assert post_skill(company_client, job_id).status_code == 404


@pytest.mark.parametrize("query", ["job=abc", "job=99999999999999999999999"])
def test_invalid_job_filter_on_skills_is_a_400(candidate_client, query):
    response = candidate_client.get(f"/job/skills?{query}")

    assert response.status_code == 400
    assert "job" in response.json()


def test_unknown_job_gives_the_same_404_as_another_companys_job(company_client):
    theirs = JobFactory()

    unknown = post_skill(company_client, 987654)
    foreign = post_skill(company_client, theirs.pk)

    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json() == foreign.json()


def test_candidate_cannot_post_a_job_skill(candidate_client, job):
    response = post_skill(candidate_client, job.pk)

    assert response.status_code == 403
    assert not JobSkill.objects.exists()


def test_company_can_add_skills_to_its_closed_job(company, company_client):
    closed = JobFactory(user=company, closed=True)

    assert post_skill(company_client, closed.pk).status_code == 201


def test_all_skills_list_has_open_jobs_skills_for_any_account(candidate_client):
    first, second = JobSkillFactory(name="Python"), JobSkillFactory(name="Go")
    JobSkillFactory(job=JobFactory(closed=True), name="Java")

    response = candidate_client.get("/job/skills")

    assert response.status_code == 200
    assert sorted((s["id"], s["job"], s["name"]) for s in response.json()) == [
        (first.pk, first.job_id, "Python"),
        (second.pk, second.job_id, "Go"),
    ]


def test_skills_filter_on_job(candidate_client):
    wanted = JobSkillFactory(name="Python")
    JobSkillFactory(job=wanted.job, name="Go")
    JobSkillFactory(name="Python")

    response = candidate_client.get(f"/job/skills?job={wanted.job_id}")

    assert sorted(s["name"] for s in response.json()) == ["Go", "Python"]
    assert {s["job"] for s in response.json()} == {wanted.job_id}


def test_skills_of_one_job_by_path(candidate_client):
    wanted = JobSkillFactory(name="React")
    JobSkillFactory(name="React")

    response = candidate_client.get(f"/job/skills/{wanted.job_id}")

    assert response.status_code == 200
    assert [(s["id"], s["job"], s["name"]) for s in response.json()] == [(wanted.pk, wanted.job_id, "React")]


def test_skills_of_an_unknown_job_is_an_empty_array(candidate_client):
    response = candidate_client.get("/job/skills/987654")

    assert response.status_code == 200
    assert response.json() == []


def test_owner_corrects_a_skill_with_put_keeping_the_other_fields(company_client, job):
    skill = JobSkillFactory(job=job, name="Python", rating=3)

    response = company_client.put(f"/job/skills/item/{skill.pk}", {"rating": 9}, format="json")

    assert response.status_code == 200
    assert response.json() == {"id": skill.pk, "job": job.pk, "name": "Python", "rating": 9}


def test_owner_renames_a_skill_canonically(company_client, job):
    skill = JobSkillFactory(job=job, name="Python")

    response = company_client.patch(f"/job/skills/item/{skill.pk}", {"name": "golang"}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == "Go"


def test_renaming_a_skill_onto_another_of_the_same_job_is_a_400(company_client, job):
    JobSkillFactory(job=job, name="Go")
    skill = JobSkillFactory(job=job, name="Python")

    response = company_client.patch(f"/job/skills/item/{skill.pk}", {"name": "GO"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_renaming_a_skill_to_its_own_name_is_fine(company_client, job):
    skill = JobSkillFactory(job=job, name="Python")

    assert (
        company_client.put(f"/job/skills/item/{skill.pk}", {"name": "python"}, format="json").status_code
        == 200
    )


def test_a_skill_never_moves_to_another_job(company, company_client, job):
    skill = JobSkillFactory(job=job, name="Python")
    other = JobFactory(user=company)

    response = company_client.patch(f"/job/skills/item/{skill.pk}", {"job": other.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["job"] == job.pk
    skill.refresh_from_db()
    assert skill.job_id == job.pk


def test_owner_deletes_a_skill(company_client, job):
    skill = JobSkillFactory(job=job)

    assert company_client.delete(f"/job/skills/item/{skill.pk}").status_code == 204
    assert not JobSkill.objects.exists()


def test_company_cannot_change_another_companys_skill(company_client):
    skill = JobSkillFactory(name="Python", rating=5)

    assert (
        company_client.patch(f"/job/skills/item/{skill.pk}", {"rating": 1}, format="json").status_code == 404
    )
    assert company_client.delete(f"/job/skills/item/{skill.pk}").status_code == 404
    skill.refresh_from_db()
    assert skill.rating == 5


def test_posted_skills_are_visible_to_other_accounts_right_away(company_client, job, candidate):
    post_skill(company_client, job.pk, "Swift")

    names = [s["name"] for s in client_for(candidate).get(f"/job/skills?job={job.pk}").json()]

    assert names == ["Swift"]
