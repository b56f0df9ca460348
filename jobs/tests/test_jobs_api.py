"""Jobs through the SPA's real URLs: creation flow, own jobs, last, single, update, close, delete."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpers.testing import client_for
from jobs.models import Job, JobSkill
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db


def test_spa_job_creation_flow_end_to_end(company, company_client, candidate_client, job_form):
    created = company_client.post("/job/", job_form, format="json")
    assert created.status_code == 201

    last = company_client.get("/job/last")
    assert last.status_code == 200
    job_id = last.json()["id"]
    assert job_id == created.json()["id"]

    # One request per ticked skill; the SPA sends the id it got from /job/last and the input's values.
    for name, rating in [("React", 8), ("nodejs", "6"), ("Python", 9)]:
        response = company_client.post(
            "/job/skills", {"job": job_id, "name": name, "rating": rating}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["job"] == job_id

    single = candidate_client.get(f"/job/{job_id}/single")
    assert single.status_code == 200
    [job] = single.json()
    assert job["id"] == job_id
    assert job["title"] == job_form["title"]
    assert job["hiring_needs"] == "Part Time"
    assert job["current_employees"] == "11-50"

    skills = candidate_client.get("/job/skills").json()
    assert sorted((s["job"], s["name"], s["rating"]) for s in skills) == [
        (job_id, "Node.js", 6),
        (job_id, "Python", 9),
        (job_id, "React", 8),
    ]


def test_create_job_ignores_user_in_body_and_returns_owner_id(company, company_client, candidate, job_form):
    job_form["user"] = candidate.pk
    response = company_client.post("/job/", job_form, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["user"] == company.pk
    assert isinstance(body["id"], int)
    assert body["status"] == "open"
    assert Job.objects.get(pk=body["id"]).user == company


@pytest.mark.parametrize("spelling", ["Part time", "Part Time", "part time", " PART TIME "])
def test_part_time_is_stored_as_part_time_whatever_the_case(company_client, job_form, spelling):
    job_form["hiring_needs"] = spelling
    response = company_client.post("/job/", job_form, format="json")

    assert response.status_code == 201
    assert response.json()["hiring_needs"] == "Part Time"
    assert Job.objects.get().hiring_needs == "Part Time"


@pytest.mark.parametrize(
    "field", ["title", "description", "work_email", "hiring_needs", "current_employees", "name"]
)
def test_blank_required_job_field_is_a_400_naming_it(company_client, job_form, field):
    job_form[field] = ""
    response = company_client.post("/job/", job_form, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Job.objects.exists()


@pytest.mark.parametrize("field", ["phone", "website"])
def test_optional_job_fields_may_be_blank(company_client, job_form, field):
    job_form[field] = ""
    assert company_client.post("/job/", job_form, format="json").status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("work_email", "not-an-email"),
        ("hiring_needs", "Sometimes"),
        ("current_employees", "2-5"),
        ("status", "archived"),
        ("title", "x" * 1_000_000),
        ("description", "x" * 1_000_000),
        ("website", "x" * 1_000_000),
        ("title", None),
        ("hiring_needs", ["Full Time"]),
    ],
)
def test_invalid_job_field_is_a_400_naming_it(company_client, job_form, field, value):
    job_form[field] = value
    response = company_client.post("/job/", job_form, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_missing_required_fields_are_all_named(company_client):
    response = company_client.post("/job/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {
        "title",
        "description",
        "work_email",
        "hiring_needs",
        "current_employees",
        "name",
    }


def test_own_jobs_are_newest_first_and_exclude_other_companies(company, company_client):
    older = JobFactory(user=company, status=Job.Status.CLOSED)
    newer = JobFactory(user=company)
    JobFactory()
    Job.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))

    response = company_client.get("/job/")

    assert response.status_code == 200
    assert [job["id"] for job in response.json()] == [newer.pk, older.pk]


def test_own_jobs_filter_on_status(company, company_client):
    JobFactory(user=company)
    closed = JobFactory(user=company, closed=True)

    response = company_client.get("/job/?status=closed")

    assert [job["id"] for job in response.json()] == [closed.pk]


def test_last_job_is_the_most_recently_created_not_the_highest_id(company, company_client):
    newest = JobFactory(user=company)
    JobFactory(user=company)
    Job.objects.exclude(pk=newest.pk).update(created_at=timezone.now() - timedelta(hours=1))
    JobFactory()  # another company's job, created later

    response = company_client.get("/job/last")

    assert response.status_code == 200
    assert response.json()["id"] == newest.pk
    assert response.json()["user"] == company.pk


def test_last_job_breaks_creation_time_ties_by_id(company, company_client):
    first, second = JobFactory(user=company), JobFactory(user=company)
    Job.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=timezone.now())

    assert company_client.get("/job/last").json()["id"] == second.pk


def test_last_job_is_404_when_the_company_has_none(company_client):
    JobFactory()

    response = company_client.get("/job/last")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_put_is_a_partial_update_and_keeps_the_owner(company, company_client, candidate):
    job = JobFactory(user=company, title="Old", description="Keep me")

    response = company_client.put(f"/job/{job.pk}", {"title": "New", "user": candidate.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["description"] == "Keep me"
    assert response.json()["user"] == company.pk
    job.refresh_from_db()
    assert (job.title, job.description, job.user_id) == ("New", "Keep me", company.pk)


def test_patch_accepts_part_time_spelling(company, company_client):
    job = JobFactory(user=company)

    response = company_client.patch(f"/job/{job.pk}", {"hiring_needs": "Part time"}, format="json")

    assert response.status_code == 200
    assert response.json()["hiring_needs"] == "Part Time"


def test_closing_a_job_is_a_patch_of_status(company, company_client):
    job = JobFactory(user=company)

    response = company_client.patch(f"/job/{job.pk}", {"status": "closed"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED


def test_update_with_blank_title_is_a_400(company, company_client):
    job = JobFactory(user=company, title="Keep")

    response = company_client.patch(f"/job/{job.pk}", {"title": ""}, format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    job.refresh_from_db()
    assert job.title == "Keep"


def test_deleting_a_job_deletes_its_skills(company, company_client):
    job = JobFactory(user=company)
    JobSkillFactory(job=job, name="Python")
    JobSkillFactory(job=job, name="Go")
    kept = JobSkillFactory(name="Python")

    response = company_client.delete(f"/job/{job.pk}")

    assert response.status_code == 204
    assert not Job.objects.filter(pk=job.pk).exists()
    assert list(JobSkill.objects.values_list("pk", flat=True)) == [kept.pk]


def test_company_cannot_touch_another_companys_job(company_client):
    job = JobFactory(title="Theirs")

    assert company_client.get(f"/job/{job.pk}").status_code == 404
    assert company_client.put(f"/job/{job.pk}", {"title": "Mine"}, format="json").status_code == 404
    assert company_client.patch(f"/job/{job.pk}", {"status": "closed"}, format="json").status_code == 404
    assert company_client.delete(f"/job/{job.pk}").status_code == 404
    job.refresh_from_db()
    assert (job.title, job.status) == ("Theirs", Job.Status.OPEN)


def test_candidate_cannot_post_a_job(candidate_client, job_form):
    response = candidate_client.post("/job/", job_form, format="json")

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_single_job_is_a_one_element_array_for_any_logged_in_account(candidate_client):
    job = JobFactory()

    response = candidate_client.get(f"/job/{job.pk}/single")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [job.pk]


def test_single_job_is_404_for_an_unknown_id(candidate_client):
    assert candidate_client.get("/job/987654/single").status_code == 404
    assert candidate_client.get("/job/99999999999999999999999/single").status_code == 404


def test_closed_single_job_is_404_for_others_but_visible_to_its_owner(
    company, company_client, candidate_client
):
    job = JobFactory(user=company, closed=True)

    assert candidate_client.get(f"/job/{job.pk}/single").status_code == 404
    assert client_for(JobFactory().user).get(f"/job/{job.pk}/single").status_code == 404
    owner_view = company_client.get(f"/job/{job.pk}/single")
    assert owner_view.status_code == 200
    assert owner_view.json()[0]["status"] == "closed"


def test_job_list_shows_open_jobs_of_every_company_newest_first(candidate_client):
    older, newer = JobFactory(), JobFactory()
    JobFactory(closed=True)
    Job.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))

    response = candidate_client.get("/job/list")

    assert response.status_code == 200
    assert [job["id"] for job in response.json()] == [newer.pk, older.pk]


def test_closed_job_disappears_from_job_list_and_job_skills_for_others(
    company, company_client, candidate_client
):
    job = JobFactory(user=company)
    JobSkillFactory(job=job, name="Python")
    other_company = client_for(JobFactory().user)
    assert [j["id"] for j in candidate_client.get("/job/list").json()].count(job.pk) == 1

    assert company_client.patch(f"/job/{job.pk}", {"status": "closed"}, format="json").status_code == 200

    for client in (candidate_client, other_company):
        assert job.pk not in [j["id"] for j in client.get("/job/list").json()]
        assert job.pk not in [s["job"] for s in client.get("/job/skills").json()]
        assert client.get(f"/job/skills/{job.pk}").json() == []
    # The owner still reads its closed job's skills (its job detail page uses /job/skills).
    assert [s["job"] for s in company_client.get("/job/skills").json()] == [job.pk]


def test_job_responses_hold_no_account_secrets(company, company_client):
    JobFactory(user=company)

    body = company_client.get("/job/list").content.decode()

    for secret in ("password", "is_staff", "is_superuser", "pbkdf2"):
        assert secret not in body


@pytest.mark.parametrize("path", ["/job/list", "/job/list/", "/job/last", "/job/last/", "/job/skills/"])
def test_job_paths_answer_with_and_without_trailing_slash_never_redirecting(company, company_client, path):
    JobFactory(user=company)

    assert company_client.get(path).status_code == 200


def test_job_collection_answers_on_the_spa_path_with_a_slash(company, company_client):
    JobFactory(user=company)

    assert company_client.get("/job/").status_code == 200
