"""A page of GET /job/recommended (`?limit=&offset=`, jobs.topk_jobs: only the jobs that could reach it
are scored) is exactly the same slice of the whole list, with the whole list's `count`: random jobs,
many equal scores, the availability factor, `min_rate`, the candidate's preferences and the list
filters."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.testing import client_for
from jobs.models import HiringNeeds, JobSkill
from jobs.tests.factories import JobFactory
from jobs.topk_jobs import FIRST_READ
from profiles.models import AvailabilityType
from profiles.tests.factories import AvailabilityFactory, RoleSalaryFactory, UserSkillFactory

pytestmark = pytest.mark.django_db

NAMES = ["Python", "Go", "SQL", "Rust", "Java", "React"]
RECOMMENDED = "/job/recommended"

# A few ratings make many equal scores; the full range makes distinct ones. A 10 held against a job's
# 1 or 2 makes the sums the matcher's floats land a hair below a whole number (rate one below the
# bound), and a 6 with the availability factor a rate that ties them.
held_ratings = st.one_of(st.sampled_from([10, 8, 4]), st.integers(1, 10))
job_ratings = st.one_of(st.sampled_from([1, 2, 6, 8]), st.integers(1, 10))
held_skills = st.dictionaries(st.sampled_from(NAMES), held_ratings, min_size=1, max_size=len(NAMES))
skills = st.dictionaries(st.sampled_from(NAMES), job_ratings, min_size=1, max_size=len(NAMES))

job = st.fixed_dictionaries(
    {
        "skills": skills,
        "hiring_needs": st.sampled_from(HiringNeeds.values),
        "workplace": st.sampled_from(["", "onsite", "remote"]),
        "country": st.sampled_from(["", "DE", "GB"]),
        "salary_max": st.none() | st.sampled_from([30000, 90000]),
        "closed": st.just(False) | st.booleans(),
        "copies": st.sampled_from([1, 1, 2, 3, 6]),
    }
)

preferences = st.none() | st.fixed_dictionaries(
    {
        "preferred_workplace": st.sampled_from(["", "remote", "onsite"]),
        "preferred_countries": st.sampled_from([[], ["DE"]]),
        "min_salary": st.none() | st.just(50000),
    }
)


def _create(jobs: list[dict]) -> None:
    for drafted in jobs:
        for _ in range(drafted["copies"]):
            made = JobFactory(
                hiring_needs=drafted["hiring_needs"],
                workplace=drafted["workplace"],
                country=drafted["country"] if drafted["workplace"] != "remote" else "",
                salary_max=drafted["salary_max"],
                salary_currency="EUR" if drafted["salary_max"] else "",
                closed=drafted["closed"],
            )
            JobSkill.objects.bulk_create(
                JobSkill(job=made, name=name, rating=rating) for name, rating in drafted["skills"].items()
            )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    held=held_skills,
    availability=st.sampled_from([None, *AvailabilityType.values]),
    wants=preferences,
    jobs=st.lists(job, max_size=12),
    min_rate=st.sampled_from([0, 0, 1, 4, 5, 9, 10, 20, 40, 50, 64, 80, 100]),
    narrowed=st.sampled_from(["", "", "&workplace=onsite", "&country=DE"]),
    pages=st.lists(
        st.tuples(st.integers(1, 4) | st.integers(1, 30), st.integers(0, 6) | st.integers(0, 40)),
        min_size=1,
        max_size=4,
    ),
)
@pytest.mark.parametrize("first_read", [2, 1], ids=["as configured", "growing"])
def test_a_page_of_recommended_jobs_is_the_same_slice_of_the_whole_list(
    candidate, monkeypatch, first_read, held, availability, wants, jobs, min_rate, narrowed, pages
):
    # With one job read per place, most pages need a second read (jobs.topk_jobs.GROWTH).
    monkeypatch.setattr("jobs.topk_jobs.FIRST_READ", first_read)
    with transaction.atomic():
        for name, rating in held.items():
            UserSkillFactory(user=candidate, name=name, rating=rating)
        if availability:
            AvailabilityFactory(user=candidate, availability_type=availability)
        if wants:
            currency = "EUR" if wants["min_salary"] else ""
            RoleSalaryFactory(user=candidate, **wants, min_salary_currency=currency)
        _create(jobs)
        client = client_for(candidate)
        query = f"min_rate={min_rate}{narrowed}"

        whole = client.get(f"{RECOMMENDED}?{query}").json()
        for limit, offset in pages:
            page = client.get(f"{RECOMMENDED}?{query}&limit={limit}&offset={offset}")

            assert page.status_code == 200
            assert page.json()["count"] == len(whole)
            assert page.json()["results"] == whole[offset : offset + limit]
        transaction.set_rollback(True)


def _job(skills, hiring_needs="Full Time", **terms):
    made = JobFactory(hiring_needs=hiring_needs, **terms)
    JobSkill.objects.bulk_create(JobSkill(job=made, name=name, rating=rating) for name, rating in skills)
    return made


def test_a_newer_job_of_the_same_rate_comes_first_though_its_bound_is_lower(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Go", rating=10)
    AvailabilityFactory(user=candidate, availability_type="Part Time")
    # Go 1 of 1 skill: 10 in exact arithmetic (the bound), 9.999... in the matcher's floats: 9.
    older = [_job([("Go", 1)], hiring_needs="Part Time") for _ in range(FIRST_READ)]
    # Go 6 of 5 skills, a fifth lost to the availability factor: 9.6, bound 9, rate 9.
    newer = _job([("Go", 6), ("SQL", 5), ("Rust", 5), ("Java", 5), ("React", 5)], hiring_needs="Full Time")

    body = candidate_client.get(f"{RECOMMENDED}?limit=1").json()

    assert body["count"] == FIRST_READ + 1
    assert [(item["job"], item["rate"]) for item in body["results"]] == [(newer.pk, 9)]
    assert [item["job"] for item in candidate_client.get(RECOMMENDED).json()] == [
        newer.pk,
        *sorted((job.pk for job in older), reverse=True),
    ]


def test_a_job_at_the_edge_of_min_rate_is_counted_by_its_exact_score(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Go", rating=10)
    for _ in range(FIRST_READ + 1):  # more than a page of one reads at first
        _job([("Go", 10)])  # 100
    # Go 10 against 1, Python missing: 5 in exact arithmetic, 4 in the matcher's floats.
    _job([("Python", 2), ("Go", 1)])

    body = candidate_client.get(f"{RECOMMENDED}?min_rate=5&limit=1").json()

    assert body["count"] == FIRST_READ + 1
    assert [item["rate"] for item in body["results"]] == [100]


def test_a_page_ranks_by_the_rate_the_preferences_leave(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Go", rating=8)
    RoleSalaryFactory(user=candidate, preferred_workplace="remote", preferred_countries=["DE"])
    for _ in range(FIRST_READ + 1):  # 100, onsite in GB: two preferences missed, 64
        _job([("Go", 8)], workplace="onsite", country="GB")
    wanted = _job([("Go", 6)], workplace="remote")  # 80, nothing missed

    body = candidate_client.get(f"{RECOMMENDED}?limit=1&min_rate=65").json()

    assert body["count"] == 1
    assert [(item["job"], item["rate"]) for item in body["results"]] == [(wanted.pk, 80)]
    assert candidate_client.get(f"{RECOMMENDED}?limit=1").json()["results"][0]["job"] == wanted.pk


@pytest.mark.parametrize("count", [3, 60])
def test_a_page_of_recommended_jobs_takes_the_same_queries_whatever_the_number_of_jobs(
    count, candidate, candidate_client, django_assert_num_queries
):
    UserSkillFactory(user=candidate, name="Python", rating=8)
    for rating in range(count):
        _job([("Python", 1 + rating % 10), ("Go", 5)])

    # The caller's account (JWT), their job preferences (none here), their skills and availability,
    # every matching open job's bound, the skills of the jobs that could reach the page.
    with django_assert_num_queries(5):
        response = candidate_client.get(f"{RECOMMENDED}?limit=2")

    assert response.json()["count"] == count


def test_min_rate_applies_to_the_rate_the_preferences_leave(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Go", rating=10)
    RoleSalaryFactory(user=candidate, preferred_workplace="remote")
    # Engine 9 (bound 10), onsite: one preference missed, 7 (its bound 8).
    _job([("Go", 1)], workplace="onsite")

    assert candidate_client.get(f"{RECOMMENDED}?limit=1&min_rate=7").json()["count"] == 1
    assert candidate_client.get(f"{RECOMMENDED}?limit=1&min_rate=8").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
