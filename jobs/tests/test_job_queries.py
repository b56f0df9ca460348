"""Every list under /job/ costs the same number of queries for 1 job as for 100 jobs of 5 skills each.

One query authenticates the token's user; the list is one more, plus a COUNT when `?limit=` asks
for a page. `/job/list` and `/job/skills` read the job data version first, for their ETag (issue 23),
and cache a page's count per version: looked up, then stored (on the database cache, one query each).
"""

import pytest

from accounts.tests.factories import CompanyFactory
from helpers.testing import cache_queries
from jobs.models import JobSkill
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

SKILLS = ["Python", "React", "Node.js", "Go", "Java"]
COUNT_CACHED = {"/job/list?limit=20", "/job/skills?limit=20"}


@pytest.fixture(params=[1, 100], ids=["1-job", "100-jobs"])
def jobs(request, company):
    """Open jobs, alternately the caller's and another company's; the first is the caller's."""
    owners = [company, CompanyFactory()]
    created = [JobFactory(user=owners[n % 2]) for n in range(request.param)]
    JobSkill.objects.bulk_create(JobSkill(job=job, name=name, rating=5) for job in created for name in SKILLS)
    return created


def rows_in(body):
    """How many rows an answer carries: a bare array, a page envelope, or one object."""
    if isinstance(body, list):
        return len(body)
    return len(body["results"]) if "results" in body else 1


# `rows` of n jobs: half are the caller's (ceil), each job has 5 skills.
@pytest.mark.parametrize(
    ("url", "queries", "rows"),
    [
        ("/job/list", 3, lambda n: n),
        ("/job/list?limit=20", 4, lambda n: min(n, 20)),
        ("/job/list?skill=Python,Go&search=engineer&hiring_needs=Full time&ordering=title", 3, lambda n: n),
        ("/job/", 2, lambda n: (n + 1) // 2),
        ("/job/?limit=20&offset=0", 3, lambda n: min((n + 1) // 2, 20)),
        ("/job/skills", 3, lambda n: 5 * n),
        ("/job/skills?limit=20", 4, lambda n: min(5 * n, 20)),
        ("/job/skills?job={first}", 3, lambda n: 5),
        ("/job/skills/{first}", 2, lambda n: 5),
        ("/job/{first}/single", 2, lambda n: 1),
        ("/job/last", 2, lambda n: 1),
    ],
    ids=lambda value: "rows" if callable(value) else None,
)
def test_list_query_count_does_not_grow_with_jobs(
    company_client, jobs, django_assert_num_queries, url, queries, rows
):
    with django_assert_num_queries(queries + (cache_queries(2) if url in COUNT_CACHED else 0)):
        response = company_client.get(url.format(first=jobs[0].pk))

    assert response.status_code == 200
    assert rows_in(response.json()) == rows(len(jobs))


@pytest.mark.parametrize(("url", "expected"), [("/job/list", 100), ("/job/", 50), ("/job/skills", 500)])
def test_lists_return_every_row_without_limit(company, company_client, url, expected):
    owners = [company, CompanyFactory()]
    created = [JobFactory(user=owners[n % 2]) for n in range(100)]
    JobSkill.objects.bulk_create(JobSkill(job=job, name=name, rating=5) for job in created for name in SKILLS)

    assert len(company_client.get(url).json()) == expected


@pytest.mark.parametrize("url", sorted(COUNT_CACHED))
def test_a_pages_count_is_counted_once_per_change_and_follows_writes(
    company, company_client, django_assert_num_queries, url
):
    JobSkill.objects.bulk_create(
        JobSkill(job=JobFactory(user=company), name="Python", rating=5) for _ in range(3)
    )
    first = company_client.get(url).json()

    # The version, the cached count and the rows: no COUNT.
    with django_assert_num_queries(3 + cache_queries(1)):
        again = company_client.get(f"{url}&offset=1").json()
    JobSkill.objects.create(job=JobFactory(user=company), name="Go", rating=5)
    after_a_write = company_client.get(url).json()

    assert first["count"] == again["count"] == 3
    assert after_a_write["count"] == 4
