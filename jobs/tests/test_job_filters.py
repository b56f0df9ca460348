"""Query parameters of GET /job/list (and GET /job/): each filter with a known answer, and pagination."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import CompanySize, HiringNeeds, Job
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(job["id"] for job in response.json())


def test_search_matches_title_description_and_company_name_in_any_case(candidate_client):
    by_title = JobFactory(title="Senior Django Developer")
    by_description = JobFactory(description="You will write DJANGO views.")
    by_company = JobFactory(name="Djangonauts Ltd")
    JobFactory(title="Rails Developer", description="Ruby.", name="Other")

    assert ids(candidate_client.get("/job/list?search=django")) == sorted(
        [by_title.pk, by_description.pk, by_company.pk]
    )


def test_search_requires_every_word(candidate_client):
    both = JobFactory(title="Django developer", description="Remote first.")
    JobFactory(title="Django developer", description="On site.")

    assert ids(candidate_client.get("/job/list?search=django remote")) == [both.pk]


def test_search_does_not_find_closed_jobs(candidate_client):
    JobFactory(title="Django", closed=True)

    assert ids(candidate_client.get("/job/list?search=django")) == []


@pytest.fixture
def skilled_jobs():
    python_job = JobFactory(title="python")
    JobSkillFactory(job=python_job, name="Python")
    JobSkillFactory(job=python_job, name="Go")
    react_job = JobFactory(title="react")
    JobSkillFactory(job=react_job, name="React")
    node_job = JobFactory(title="node")
    JobSkillFactory(job=node_job, name="Node.js")
    JobFactory(title="no skills")
    return python_job, react_job, node_job


def test_skill_filter_finds_jobs_requiring_that_skill(candidate_client, skilled_jobs):
    python_job, _, _ = skilled_jobs

    assert ids(candidate_client.get("/job/list?skill=Python")) == [python_job.pk]


def test_skill_filter_uses_the_canonical_spelling(candidate_client, skilled_jobs):
    _, _, node_job = skilled_jobs

    assert ids(candidate_client.get("/job/list?skill=nodejs")) == [node_job.pk]
    assert ids(candidate_client.get("/job/list?skill=NODE")) == [node_job.pk]


@pytest.mark.parametrize("query", ["skill=Python&skill=react", "skill=Python,react", "skill=python, React,"])
def test_several_skills_find_jobs_requiring_any_of_them(candidate_client, skilled_jobs, query):
    python_job, react_job, _ = skilled_jobs

    assert ids(candidate_client.get(f"/job/list?{query}")) == sorted([python_job.pk, react_job.pk])


def test_a_job_matching_several_skills_appears_once(candidate_client, skilled_jobs):
    python_job, _, _ = skilled_jobs

    response = candidate_client.get("/job/list?skill=Python,Go")

    assert [job["id"] for job in response.json()] == [python_job.pk]


def test_too_many_skills_is_a_400(candidate_client):
    query = ",".join(f"skill{n}" for n in range(21))

    response = candidate_client.get(f"/job/list?skill={query}")

    assert response.status_code == 400
    assert "skill" in response.json()


@pytest.mark.parametrize("spelling", ["Part time", "Part Time", "part TIME"])
def test_hiring_needs_filter_accepts_both_spellings(candidate_client, spelling):
    part_time = JobFactory(hiring_needs=HiringNeeds.PART_TIME)
    JobFactory(hiring_needs=HiringNeeds.FULL_TIME)

    assert ids(candidate_client.get("/job/list", {"hiring_needs": spelling})) == [part_time.pk]


def test_current_employees_filter(candidate_client):
    big = JobFactory(current_employees=CompanySize.HUGE)
    JobFactory(current_employees=CompanySize.TINY)

    assert ids(candidate_client.get("/job/list", {"current_employees": "1000+"})) == [big.pk]


def test_company_filter_is_the_owner_id(candidate_client):
    job = JobFactory()
    JobFactory(user=job.user)
    JobFactory()

    expected = sorted(Job.objects.filter(user=job.user).values_list("pk", flat=True))
    assert ids(candidate_client.get(f"/job/list?company={job.user_id}")) == expected


def test_filters_combine(candidate_client):
    wanted = JobFactory(title="Go engineer", hiring_needs=HiringNeeds.PART_TIME)
    JobSkillFactory(job=wanted, name="Go")
    JobFactory(title="Go engineer", hiring_needs=HiringNeeds.FULL_TIME)

    response = candidate_client.get("/job/list?search=engineer&skill=golang&hiring_needs=Part time")

    assert ids(response) == [wanted.pk]


def test_ordering_by_title_with_newest_first_as_default(candidate_client):
    b, a, c = JobFactory(title="B"), JobFactory(title="A"), JobFactory(title="C")
    Job.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=1))

    by_title = candidate_client.get("/job/list?ordering=title").json()
    by_title_desc = candidate_client.get("/job/list?ordering=-title").json()
    default = candidate_client.get("/job/list").json()

    assert [job["title"] for job in by_title] == ["A", "B", "C"]
    assert [job["title"] for job in by_title_desc] == ["C", "B", "A"]
    assert [job["id"] for job in default] == [a.pk, b.pk, c.pk]


@pytest.mark.parametrize("ordering", ["title", "-title"])
def test_pages_of_equal_titles_list_every_job_once_newest_id_first(candidate_client, ordering):
    jobs = JobFactory.create_batch(5, title="Same title")
    for age, job in enumerate(jobs):  # the highest id is the oldest: the tie-breaker is the id
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=age))

    pages = [
        candidate_client.get(f"/job/list?ordering={ordering}&limit=2&offset={offset}").json()
        for offset in (0, 2, 4)
    ]

    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [job["id"] for page in pages for job in page["results"]] == sorted(
        (job.pk for job in jobs), reverse=True
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("hiring_needs=Sometimes", "hiring_needs"),
        ("current_employees=2-5", "current_employees"),
        ("company=abc", "company"),
        ("company=1.5", "company"),
        ("company=99999999999999999999999", "company"),
        ("ordering=password", "ordering"),
        ("search=" + "x" * 201, "search"),
    ],
)
def test_invalid_filter_value_is_a_400_naming_it(candidate_client, query, field):
    response = candidate_client.get(f"/job/list?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_without_limit_the_list_is_a_bare_array(candidate_client):
    JobFactory.create_batch(3)

    body = candidate_client.get("/job/list").json()

    assert isinstance(body, list)
    assert len(body) == 3


def test_limit_and_offset_give_the_pagination_envelope(candidate_client):
    jobs = JobFactory.create_batch(5)
    newest_first = sorted(jobs, key=lambda job: (job.created_at, job.pk), reverse=True)

    body = candidate_client.get("/job/list?limit=2&offset=2").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert [job["id"] for job in body["results"]] == [job.pk for job in newest_first[2:4]]
    assert "offset=4" in body["next"]
    assert body["previous"] is not None


def test_limit_is_capped_at_100(candidate_client):
    JobFactory.create_batch(101, user=JobFactory().user)

    body = candidate_client.get("/job/list?limit=1000").json()

    assert body["count"] == 102
    assert len(body["results"]) == 100


@pytest.mark.parametrize("url", ["/job/", "/job/skills"])
def test_other_lists_paginate_on_request_too(company, company_client, url):
    job = JobFactory(user=company)
    JobSkillFactory(job=job)

    body = company_client.get(f"{url}?limit=1").json()

    assert body["count"] == 1
    assert len(body["results"]) == 1
