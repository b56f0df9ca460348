"""The admin pages for jobs and job skills load, filter, search and store canonical skill names."""

import pytest

from jobs.models import JobSkill
from jobs.tests.factories import JobFactory, JobSkillFactory
from profiles.tests.factories import UserSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    python_job = JobFactory(
        title="Django developer",
        name="Acme",
        hiring_needs="Part Time",
        employment_type="contract",
        seniority="senior",
    )
    JobSkillFactory(job=python_job, name="Python", rating=8)
    other = JobFactory(title="Rails developer", name="Globex", status="closed")
    JobSkillFactory(job=other, name="Ruby", rating=3)
    return python_job, other


@pytest.mark.parametrize(
    ("url", "shown", "hidden"),
    [
        ("/admin/jobs/job/", ["Django developer", "Rails developer"], []),
        ("/admin/jobs/job/?q=acme", ["Django developer"], ["Rails developer"]),
        ("/admin/jobs/job/?hiring_needs__exact=Part+Time", ["Django developer"], ["Rails developer"]),
        ("/admin/jobs/job/?status__exact=closed", ["Rails developer"], ["Django developer"]),
        ("/admin/jobs/job/?current_employees__exact=11-50", ["Django developer", "Rails developer"], []),
        ("/admin/jobs/job/?employment_type__exact=contract", ["Django developer"], ["Rails developer"]),
        ("/admin/jobs/job/?seniority__exact=senior", ["Django developer"], ["Rails developer"]),
        ("/admin/jobs/jobskill/?name=Ruby", ["Ruby (3)"], ["Python (8)"]),
        ("/admin/jobs/jobskill/?rating=8", ["Python (8)"], ["Ruby (3)"]),
    ],
)
def test_admin_lists_filter_and_search(admin_client, jobs, url, shown, hidden):
    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert all(text in page for text in shown)
    assert not any(text in page for text in hidden)


def test_job_changelist_query_count_does_not_grow_with_jobs(admin_client, django_assert_max_num_queries):
    JobFactory.create_batch(3)
    with django_assert_max_num_queries(20) as few:
        admin_client.get("/admin/jobs/job/")
    JobFactory.create_batch(30)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get("/admin/jobs/job/").status_code == 200


def test_job_page_shows_its_skills_inline(admin_client, jobs):
    python_job, _ = jobs

    response = admin_client.get(f"/admin/jobs/job/{python_job.pk}/change/")

    assert response.status_code == 200
    assert 'name="skills-0-name"' in response.content.decode()
    assert 'value="Python"' in response.content.decode()


def test_admin_stores_canonical_skill_names_and_refuses_duplicates(admin_client, jobs):
    python_job, _ = jobs
    form = {"job": python_job.pk, "rating": 6}

    added = admin_client.post("/admin/jobs/jobskill/add/", {**form, "name": "nodejs"})
    duplicate = admin_client.post("/admin/jobs/jobskill/add/", {**form, "name": "PYTHON"})

    assert added.status_code == 302
    assert duplicate.status_code == 200  # the form again, with its error
    assert sorted(JobSkill.objects.filter(job=python_job).values_list("name", flat=True)) == [
        "Node.js",
        "Python",
    ]


def test_job_page_lists_its_top_candidates_with_scores(admin_client, jobs):
    python_job, _ = jobs
    strong = UserSkillFactory(name="Python", rating=8, user__name="Strong Match").user
    weak = UserSkillFactory(name="Python", rating=2, user__name="Weak Match").user
    UserSkillFactory(name="Ruby", rating=8, user__name="No Match")

    page = admin_client.get(f"/admin/jobs/job/{python_job.pk}/change/").content.decode()

    assert "ranked candidates" in page.lower()
    assert page.index("Strong Match") < page.index("Weak Match")
    assert strong.email not in page and weak.email not in page  # they have not applied
    assert "<td>100</td>" in page and "<td>40</td>" in page
    assert "No Match" not in page


def test_job_changelist_offers_a_dropdown_per_job_term(admin_client, jobs):
    page = admin_client.get("/admin/jobs/job/").content.decode()

    for term in ("workplace", "employment type", "seniority"):
        assert f"By {term}" in page
    assert "?employment_type__exact=contract" in page
