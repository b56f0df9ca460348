"""Where, how and for how much a job says (issue 23): optional fields, validated, in the database too."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from jobs.models import Job
from jobs.serializers import JobSerializer
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

TERMS = {
    "workplace": "remote",
    "city": "Berlin",
    "country": "de",
    "remote_regions": ["eu", "GB", "EU"],
    "salary_min": 60000,
    "salary_max": 80000,
    "salary_currency": "eur",
    "salary_period": "year",
    "employment_type": "full_time",
    "seniority": "senior",
    "valid_through": "2099-12-31",
}
EMPTY_TERMS = {
    "workplace": "",
    "city": "",
    "country": "",
    "remote_regions": [],
    "salary_min": None,
    "salary_max": None,
    "salary_currency": "",
    "salary_period": "",
    "employment_type": "",
    "seniority": "",
    "valid_through": None,
}


def test_the_spas_job_form_still_posts_a_job_without_any_of_the_new_fields(company_client, job_form):
    response = company_client.post("/job/", job_form, format="json")

    assert response.status_code == 201
    assert {key: response.json()[key] for key in EMPTY_TERMS} == EMPTY_TERMS


def test_a_job_states_its_terms_and_reads_them_back_normalised(company_client, job_form):
    created = company_client.post("/job/", {**job_form, **TERMS}, format="json")

    assert created.status_code == 201
    expected = {
        **TERMS,
        "country": "DE",
        "salary_currency": "EUR",
        "remote_regions": ["EU", "GB"],
    }
    assert {key: created.json()[key] for key in TERMS} == expected
    listed = company_client.get("/job/list").json()[0]
    assert {key: listed[key] for key in TERMS} == expected
    single = company_client.get(f"/job/{created.json()['id']}/single").json()[0]
    assert single == listed


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"salary_min": 90000, "salary_max": 80000, "salary_currency": "EUR"}, "salary_max"),
        ({"salary_min": 50000}, "salary_currency"),
        ({"salary_max": 50000, "salary_currency": ""}, "salary_currency"),
        ({"salary_min": -1, "salary_currency": "EUR"}, "salary_min"),
        ({"salary_min": 1, "salary_currency": "EURO"}, "salary_currency"),
        ({"salary_min": 1, "salary_currency": "XYZ"}, "salary_currency"),
        ({"country": "ZZ"}, "country"),
        ({"country": "Germany"}, "country"),
        ({"workplace": "moon"}, "workplace"),
        ({"employment_type": "gig"}, "employment_type"),
        ({"seniority": "guru"}, "seniority"),
        ({"salary_period": "week"}, "salary_period"),
        ({"workplace": "onsite", "remote_regions": ["EU"]}, "remote_regions"),
        ({"workplace": "remote", "remote_regions": ["Europe"]}, "remote_regions"),
        ({"workplace": "remote", "remote_regions": "EU"}, "remote_regions"),
        ({"valid_through": "31/12/2099"}, "valid_through"),
    ],
)
def test_terms_that_do_not_fit_are_a_400_on_the_field_at_fault(company_client, job_form, terms, field):
    response = company_client.post("/job/", {**job_form, **terms}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Job.objects.count() == 0


def test_a_partial_update_is_checked_against_what_the_job_already_says(company, company_client):
    job = JobFactory(user=company, salary_min=50000, salary_max=60000, salary_currency="EUR")

    lower_max = company_client.patch(f"/job/{job.pk}", {"salary_max": 40000}, format="json")
    drop_currency = company_client.put(f"/job/{job.pk}", {"salary_currency": ""}, format="json")
    raise_both = company_client.patch(
        f"/job/{job.pk}", {"salary_min": 70000, "salary_max": 90000}, format="json"
    )

    assert lower_max.status_code == 400
    assert "salary_max" in lower_max.json()
    assert drop_currency.status_code == 400
    assert "salary_currency" in drop_currency.json()
    assert raise_both.status_code == 200
    job.refresh_from_db()
    assert (job.salary_min, job.salary_max, job.salary_currency) == (70000, 90000, "EUR")


@pytest.mark.parametrize(
    "terms",
    [
        {"salary_min": 2, "salary_max": 1, "salary_currency": "EUR"},
        {"salary_min": 1},
        {"workplace": "moon"},
        {"employment_type": "gig"},
        {"seniority": "guru"},
        {"salary_period": "week"},
    ],
)
def test_the_database_refuses_terms_that_do_not_fit_whatever_the_code_path(terms):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobFactory(**terms)


def test_an_expired_job_leaves_the_open_lists_but_its_owner_still_sees_it(
    company, company_client, candidate_client
):
    today = datetime.datetime.now(datetime.UTC).date()
    last_day = JobFactory(user=company, title="Last day", valid_through=today)
    expired = JobFactory(user=company, title="Expired", valid_through=today - datetime.timedelta(days=1))
    reader = candidate_client

    assert [job["title"] for job in reader.get("/job/list").json()] == ["Last day"]
    assert reader.get(f"/job/{expired.pk}/single").status_code == 404
    assert reader.post(f"/job/{expired.pk}/apply", {}, format="json").status_code == 404
    assert reader.post(f"/job/{last_day.pk}/apply", {}, format="json").status_code == 201
    assert {job["title"] for job in company_client.get("/job/list").json()} == {"Last day", "Expired"}
    assert {job["title"] for job in company_client.get("/job/").json()} == {"Last day", "Expired"}
    assert company_client.get(f"/job/{expired.pk}/single").status_code == 200


def test_the_fast_whole_list_equals_the_serializer_with_every_term_set(candidate_client):
    JobFactory(
        workplace="remote",
        country="DE",
        remote_regions=["EU", "GB"],
        salary_min=1,
        salary_max=2,
        salary_currency="EUR",
        valid_through=datetime.date(2099, 1, 31),
    )
    JobFactory()

    whole = candidate_client.get("/job/list").json()

    assert whole == [JobSerializer(job).data for job in Job.objects.all()]
    assert whole[1]["valid_through"] == "2099-01-31"


def test_the_admin_form_shows_the_terms_and_applies_the_same_rules(admin_client, company):
    page = admin_client.get("/admin/jobs/job/add/").content.decode()
    form = {
        "user": company.pk,
        "title": "Data engineer",
        "description": "Pipelines.",
        "work_email": "jobs@acme.example",
        "hiring_needs": "Full Time",
        "current_employees": "11-50",
        "name": "Acme",
        "status": "open",
        "workplace": "remote",
        "country": "DE",
        "remote_regions": ["EEA", "GB"],
        "salary_currency": "EUR",
        "salary_period": "year",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }

    refused = admin_client.post("/admin/jobs/job/add/", {**form, "salary_min": "9", "salary_max": "1"})
    added = admin_client.post("/admin/jobs/job/add/", {**form, "salary_min": "1", "salary_max": "9"})

    for field in ["workplace", "country", "remote_regions", "salary_min", "salary_currency", "valid_through"]:
        assert f'name="{field}"' in page
    assert "European Economic Area" in page
    assert refused.status_code == 200
    assert "The highest salary must be at least the lowest" in refused.content.decode()
    assert added.status_code == 302
    job = Job.objects.get()
    assert (job.remote_regions, job.salary_min, job.salary_max) == (["EEA", "GB"], 1, 9)


def test_an_expired_job_is_not_recommended(candidate, candidate_client):
    from jobs.tests.factories import JobSkillFactory
    from profiles.tests.factories import UserSkillFactory

    UserSkillFactory(user=candidate, name="Python", rating=8)
    today = datetime.datetime.now(datetime.UTC).date()
    for title, valid_through in [("Open", None), ("Expired", today - datetime.timedelta(days=1))]:
        JobSkillFactory(job=JobFactory(title=title, valid_through=valid_through), name="Python", rating=8)

    assert [item["title"] for item in candidate_client.get("/job/recommended").json()] == ["Open"]
