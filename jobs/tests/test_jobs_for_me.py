"""GET /job/recommended with the list filters and the candidate's job preferences (issue 23)."""

import pytest

from jobs.preferences import PREFERENCE_FACTOR
from jobs.tests.factories import JobFactory, JobSkillFactory
from profiles.models import RoleSalary
from profiles.tests.factories import UserSkillFactory

pytestmark = pytest.mark.django_db


def python_job(**terms):
    job = JobFactory(**terms)
    JobSkillFactory(job=job, name="Python", rating=8)
    return job


@pytest.fixture
def jobs(candidate):
    UserSkillFactory(user=candidate, name="Python", rating=8)
    return {
        "remote_eu": python_job(title="Remote EU", workplace="remote", remote_regions=["EU"], country="NL"),
        "onsite_gb": python_job(
            title="Onsite London", workplace="onsite", country="GB", salary_max=40000, salary_currency="GBP"
        ),
        "hybrid_de": python_job(
            title="Hybrid Berlin", workplace="hybrid", country="DE", salary_max=50000, salary_currency="EUR"
        ),
    }


def ranked(client, query=""):
    response = client.get(f"/job/recommended{query}")
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()}


def test_without_preferences_the_engines_ranking_is_unchanged(jobs, candidate_client):
    items = ranked(candidate_client)

    assert {item["rate"] for item in items.values()} == {100}
    assert all("preferences" not in item["explanation"] for item in items.values())


def test_the_list_filters_narrow_the_recommendations(jobs, candidate_client):
    assert set(ranked(candidate_client, "?workplace=remote")) == {"Remote EU"}
    assert set(ranked(candidate_client, "?remote_from=FR")) == {"Remote EU"}
    assert set(ranked(candidate_client, "?country=GB")) == {"Onsite London"}
    assert set(ranked(candidate_client, "?q=london")) == {"Onsite London"}
    assert candidate_client.get("/job/recommended?country=ZZ").status_code == 400


def test_jobs_outside_the_preferences_rank_lower_and_say_why(candidate, jobs, candidate_client):
    created = candidate_client.post(
        "/user/role",
        {
            "user": candidate.pk,
            "preferred_role": "Web Backend",
            "current_salary": "100",
            "preferred_workplace": "remote",
            "preferred_countries": ["de", "FR"],
            "min_salary": 45000,
            "min_salary_currency": "eur",
        },
        format="json",
    )
    items = ranked(candidate_client)

    assert created.status_code == 201
    assert created.json()["preferred_countries"] == ["DE", "FR"]
    assert list(items) == ["Remote EU", "Hybrid Berlin", "Onsite London"]
    assert items["Remote EU"]["rate"] == 100
    assert items["Remote EU"]["explanation"]["preferences"] == {"factor": 1.0, "unmet": []}
    hybrid = items["Hybrid Berlin"]
    assert hybrid["rate"] == round(100 * PREFERENCE_FACTOR)
    assert [miss["preference"] for miss in hybrid["explanation"]["preferences"]["unmet"]] == ["workplace"]
    london = items["Onsite London"]["explanation"]["preferences"]["unmet"]
    # the salary is in GBP: never compared with a minimum in EUR
    assert [miss["preference"] for miss in london] == ["workplace", "countries"]
    assert items["Onsite London"]["rate"] == round(100 * PREFERENCE_FACTOR**2)
    assert items["Remote EU"]["explanation"]["skills"] == hybrid["explanation"]["skills"]


def test_a_salary_below_the_minimum_in_the_same_currency_is_a_miss(candidate, jobs, candidate_client):
    RoleSalary.objects.create(
        user=candidate, preferred_role="Web Backend", min_salary=60000, min_salary_currency="EUR"
    )

    unmet = ranked(candidate_client)["Hybrid Berlin"]["explanation"]["preferences"]["unmet"]

    assert unmet == [{"preference": "min_salary", "wanted": "60000 EUR", "job": "up to 50000 EUR"}]


def test_min_rate_applies_to_the_adjusted_rate(candidate, jobs, candidate_client):
    RoleSalary.objects.create(user=candidate, preferred_role="Web Backend", preferred_workplace="remote")

    assert set(ranked(candidate_client, "?min_rate=90")) == {"Remote EU"}


def test_the_spas_role_form_still_works_and_bad_preferences_are_400s(candidate, candidate_client):
    spa = {"user": candidate.pk, "preferred_role": "Web Backend", "current_salary": "100"}

    bad_country = candidate_client.post("/user/role", {**spa, "preferred_countries": ["ZZ"]}, format="json")
    assert bad_country.status_code == 400
    no_currency = candidate_client.post("/user/role", {**spa, "min_salary": 1}, format="json")
    bad_workplace = candidate_client.post("/user/role", {**spa, "preferred_workplace": "moon"}, format="json")
    created = candidate_client.post("/user/role", spa, format="json")

    assert "min_salary_currency" in no_currency.json()
    assert "preferred_workplace" in bad_workplace.json()
    assert created.status_code == 201
    assert created.json()["preferred_countries"] == []
    assert created.json()["min_salary"] is None


def test_query_counts_are_fixed(candidate, jobs, candidate_client, django_assert_num_queries):
    with django_assert_num_queries(4):  # the token's user, preferences, candidate's skills, job rows
        candidate_client.get("/job/recommended?workplace=remote")
    RoleSalary.objects.create(user=candidate, preferred_role="Web Backend", preferred_workplace="remote")
    for _ in range(5):
        python_job(workplace="onsite")
    with django_assert_num_queries(5):  # and the terms of the ranked jobs
        assert len(candidate_client.get("/job/recommended").json()) == 8
