"""Search on the job lists (issue 23): ranked full text, the new filters, facets and ETags.

Run on SQLite (FTS5) and PostgreSQL (tsvector, GIN, pg_trgm) alike; the same answers from both.
"""

import datetime

import pytest
from django.db import connection

from helpers.testing import cache_queries
from jobs.models import Job, JobSkill
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return [job["title"] for job in response.json()]


@pytest.fixture
def board(company):
    """Jobs of several kinds; `company` owns the last one (closed)."""
    django_dev = JobFactory(
        title="Django Developer",
        description="Build REST APIs for our marketplace.",
        name="Acme",
        workplace="remote",
        remote_regions=["EU"],
        country="DE",
        city="Berlin",
        salary_min=60000,
        salary_max=80000,
        salary_currency="EUR",
        employment_type="full_time",
        seniority="senior",
    )
    JobSkillFactory(job=django_dev, name="Python")
    JobSkillFactory(job=django_dev, name="PostgreSQL")
    data = JobFactory(
        title="Data Engineer",
        description="Pipelines in Python; developers welcome to apply.",
        name="Globex",
        workplace="onsite",
        country="GB",
        city="London",
        salary_min=50000,
        salary_currency="GBP",
        employment_type="contract",
        seniority="mid",
    )
    JobSkillFactory(job=data, name="Python")
    anywhere = JobFactory(
        title="Frontend Engineer",
        description="React and TypeScript.",
        name="Initech",
        workplace="remote",
        employment_type="part_time",
    )
    JobSkillFactory(job=anywhere, name="React")
    JobFactory(title="Python Developer", description="Closed already.", user=company, status="closed")
    return django_dev, data, anywhere


def test_q_matches_stemmed_words_in_title_description_company_and_skills(board, candidate_client):
    assert titles(candidate_client.get("/job/list?q=developers")) == ["Django Developer", "Data Engineer"]
    assert titles(candidate_client.get("/job/list?q=postgresql")) == ["Django Developer"]  # a skill
    assert titles(candidate_client.get("/job/list?q=globex")) == ["Data Engineer"]  # the company
    assert titles(candidate_client.get("/job/list?q=pipeline")) == ["Data Engineer"]  # description
    assert titles(candidate_client.get("/job/list?q=python+react")) == []  # every word must match


def test_q_ranks_a_title_match_above_a_description_match_whatever_the_dates(board, candidate_client):
    django_dev, data, _ = board
    Job.objects.filter(pk=django_dev.pk).update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert titles(candidate_client.get("/job/list?q=developer")) == ["Django Developer", "Data Engineer"]
    newest_first = candidate_client.get("/job/list?q=developer&ordering=-created_at")
    assert titles(newest_first) == ["Data Engineer", "Django Developer"]
    relevance = candidate_client.get("/job/list?q=developer&ordering=relevance&limit=1").json()
    assert relevance["count"] == 2
    assert [job["title"] for job in relevance["results"]] == ["Django Developer"]


def test_q_follows_skill_changes(board, candidate_client, company_client):
    django_dev, _, _ = board
    JobSkill.objects.filter(job=django_dev, name="PostgreSQL").update(name="Kubernetes")

    assert titles(candidate_client.get("/job/list?q=kubernetes")) == ["Django Developer"]
    assert titles(candidate_client.get("/job/list?q=postgresql")) == []
    JobSkill.objects.filter(job=django_dev).delete()
    assert titles(candidate_client.get("/job/list?q=kubernetes")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_typo_finds_similar_titles_when_nothing_matches_exactly(board, candidate_client):
    assert titles(candidate_client.get("/job/list?q=developr")) == ["Django Developer"]


def test_query_syntax_is_never_read_from_q(board, candidate_client):
    for text in ['"', "NEAR(", "python*", "-python", "title:python", "python OR react", "'"]:
        assert candidate_client.get("/job/list", {"q": text}).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("workplace=remote", ["Django Developer", "Frontend Engineer"]),
        ("country=de", ["Django Developer"]),
        ("city=london", ["Data Engineer"]),
        ("remote_from=FR", ["Django Developer", "Frontend Engineer"]),  # via EU; no regions: anywhere
        ("remote_from=US", ["Frontend Engineer"]),
        ("salary_min=70000&currency=EUR", ["Django Developer"]),
        ("salary_min=90000&currency=EUR", []),
        ("salary_min=50000&currency=gbp", ["Data Engineer"]),  # a range of one end reaches its end
        ("currency=GBP", ["Data Engineer"]),
        ("employment_type=contract", ["Data Engineer"]),
        ("seniority=senior", ["Django Developer"]),
        ("q=python&country=GB", ["Data Engineer"]),
        ("search=react", ["Frontend Engineer"]),  # the old substring search, unchanged
    ],
)
def test_filters(board, candidate_client, query, expected):
    assert sorted(titles(candidate_client.get(f"/job/list?{query}"))) == sorted(expected)
    assert candidate_client.get(f"/job/facets?{query}").json()["total"] == len(expected)


def test_posted_since_is_a_day_in_utc(board, candidate_client):
    django_dev, _, _ = board
    Job.objects.filter(pk=django_dev.pk).update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert "Django Developer" not in titles(candidate_client.get("/job/list?posted_since=2020-01-02"))
    assert "Django Developer" in titles(candidate_client.get("/job/list?posted_since=2020-01-01"))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=ZZ", "country"),
        ("remote_from=Europe", "remote_from"),
        ("salary_min=1000", "currency"),
        ("salary_min=-1&currency=EUR", "salary_min"),
        ("salary_min=abc&currency=EUR", "salary_min"),
        ("currency=EURO", "currency"),
        ("workplace=moon", "workplace"),
        ("employment_type=gig", "employment_type"),
        ("posted_since=yesterday", "posted_since"),
        ("ordering=popularity", "ordering"),
        (f"q={'a' * 201}", "q"),
    ],
)
@pytest.mark.parametrize("url", ["/job/list", "/job/facets"])
def test_bad_filters_are_a_400_naming_the_parameter(board, candidate_client, url, query, field):
    response = candidate_client.get(f"{url}?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_the_owners_list_takes_the_same_search(board, company, company_client):
    assert titles(company_client.get("/job/?q=developer")) == ["Python Developer"]
    assert titles(company_client.get("/job/?q=engineer")) == []


def test_facets_count_the_filtered_jobs_per_value(board, candidate_client):
    facets = candidate_client.get("/job/facets").json()

    assert facets["total"] == 3
    assert facets["workplace"] == {"onsite": 1, "hybrid": 0, "remote": 2}
    assert facets["country"] == {"DE": 1, "GB": 1}
    assert facets["employment_type"] == {"full_time": 1, "part_time": 1, "contract": 1, "internship": 0}
    assert facets["seniority"]["senior"] == 1
    assert facets["skills"][:2] == [{"name": "Python", "count": 2}, {"name": "PostgreSQL", "count": 1}]
    narrowed = candidate_client.get("/job/facets?q=python").json()
    assert narrowed["total"] == 2
    assert narrowed["workplace"]["remote"] == 1


def test_facets_and_searches_take_a_fixed_number_of_queries(
    board, candidate_client, django_assert_num_queries
):
    fallback_check = 1 if connection.vendor == "postgresql" else 0  # does any job match exactly?
    with django_assert_num_queries(4 + fallback_check):  # the token's user, then three counts
        assert candidate_client.get("/job/facets?q=python&country=GB").status_code == 200
    JobSkillFactory.create_batch(5, job__country="GB", name="Python")
    with django_assert_num_queries(4 + fallback_check):
        assert candidate_client.get("/job/facets?q=python&country=GB").json()["total"] == 6
    with django_assert_num_queries(3 + fallback_check):  # user, version, the page
        candidate_client.get("/job/list?q=python&country=GB")
    # and the count of the envelope, cached per job data version: looked up, then stored
    with django_assert_num_queries(4 + fallback_check + cache_queries(2)):
        candidate_client.get("/job/list?q=python&country=GB&limit=20")


@pytest.mark.parametrize("url", ["/job/list", "/job/skills", "/job/list?q=python"])
def test_a_repeat_is_a_304_until_a_job_or_skill_changes(board, candidate_client, url):
    django_dev, _, _ = board
    first = candidate_client.get(url)
    tag = first["ETag"]

    repeat = candidate_client.get(url, HTTP_IF_NONE_MATCH=tag)
    JobSkillFactory(job=django_dev, name="Go")
    after_skill = candidate_client.get(url, HTTP_IF_NONE_MATCH=tag)
    Job.objects.filter(pk=django_dev.pk).update(city="Munich")
    after_update = candidate_client.get(url, HTTP_IF_NONE_MATCH=after_skill["ETag"])

    assert tag.startswith('W/"')
    assert repeat.status_code == 304
    assert after_skill.status_code == 200
    assert after_update.status_code == 200
    assert after_update["ETag"] not in {tag, after_skill["ETag"]}


def test_the_tag_changes_with_the_day_so_an_expiry_is_seen(board, candidate_client, monkeypatch):
    from jobs import models

    django_dev, _, _ = board
    today = models.listing_day()
    Job.objects.filter(pk=django_dev.pk).update(valid_through=today)
    tag = candidate_client.get("/job/list")["ETag"]
    monkeypatch.setattr(models, "listing_day", lambda: today + datetime.timedelta(days=1))

    tomorrow = candidate_client.get("/job/list", HTTP_IF_NONE_MATCH=tag)

    assert tomorrow.status_code == 200
    assert "Django Developer" not in titles(tomorrow)


def test_another_caller_never_gets_a_304_for_a_list_holding_someone_elses_closed_job(
    board, company_client, candidate_client
):
    tag = company_client.get("/job/list")["ETag"]

    assert candidate_client.get("/job/list", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_search_and_version_triggers_exist():
    """A later migration that rebuilds jobs_job or jobs_jobskill on SQLite drops their triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                " AND tgrelid IN ('jobs_job'::regclass, 'jobs_jobskill'::regclass)"
            )
            expected = 6
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'jobs_job%'"
            )
            expected = 12
        assert len(cursor.fetchall()) == expected


@pytest.mark.parametrize("url", ["/job/list", "/job/facets", "/job/recommended"])
@pytest.mark.parametrize("param", ["q", "city", "country", "remote_from", "currency", "posted_since"])
@pytest.mark.parametrize("value", ["a\x00b", "\u202e", "🚀 ✓ Zoë", "x" * 300])
def test_hostile_search_parameters_are_never_a_500(board, candidate_client, url, param, value):
    assert candidate_client.get(url, {param: value}).status_code in (200, 400)


def test_q_with_a_country_follows_a_change_of_country(board, candidate_client):
    django_dev, _, _ = board
    django_dev.country = "FR"
    django_dev.save()

    assert titles(candidate_client.get("/job/list?q=django&country=FR")) == ["Django Developer"]
    assert titles(candidate_client.get("/job/list?q=django&country=DE")) == []
