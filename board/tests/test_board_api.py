"""The public board's API, anonymous, over the real HTTP stack: what is listed, what is private,
caching (ETag, 304, Cache-Control), throttling per address, and query budgets."""

import datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import cache_queries, client_for, throttle_rates
from jobs.models import Job, listing_day
from jobs.tests.factories import JobFactory, JobSkillFactory
from profiles.tests.factories import CompanyProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return APIClient()


def ids(response):
    return [job["id"] for job in response.json()["results"]]


def test_the_board_lists_open_jobs_only_newest_first(anonymous, remote_job, expired_job, closed_job):
    through_today = JobFactory(user=remote_job.user, valid_through=listing_day())
    JobFactory(user=CompanyFactory(is_active=False))

    response = anonymous.get("/board/jobs")

    assert response.status_code == 200
    assert ids(response) == [through_today.pk, remote_job.pk]
    assert response.json()["count"] == 2


def test_a_job_reads_with_its_terms_skills_company_profile_and_logo(anonymous, remote_job, acme):
    job = anonymous.get(f"/board/jobs/{remote_job.pk}").json()

    assert job["title"] == "Senior Django Engineer"
    assert (job["workplace"], job["country"], job["remote_regions"]) == ("remote", "DE", ["EU", "GB"])
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (70000, 90000, "EUR")
    assert job["valid_through"] == remote_job.valid_through.isoformat()
    assert job["skills"] == [{"name": "Python", "rating": 9}, {"name": "Django", "rating": 8}]
    assert job["page"] == f"http://testserver/jobs/{remote_job.pk}/"
    company = job["company"]
    assert (company["id"], company["name"], company["about"]) == (acme.user_id, "Acme", "We make anvils.")
    assert company["logo"] == f"http://testserver/media/{acme.logo.name}"
    assert company["logo_thumbnail"] == f"http://testserver/media/{acme.logo_thumbnail.name}"
    assert company["careers_page"] == f"http://testserver/board/{acme.user_id}/"


def test_a_company_without_a_profile_shows_the_jobs_company_name_and_no_logo(anonymous):
    job = JobFactory(name="Initech")

    company = anonymous.get(f"/board/jobs/{job.pk}").json()["company"]

    assert (company["id"], company["name"], company["logo"]) == (job.user_id, "Initech", None)


@pytest.mark.parametrize("state", ["closed_job", "expired_job"])
def test_a_closed_or_expired_job_is_not_found(anonymous, state, request):
    job = request.getfixturevalue(state)

    assert anonymous.get(f"/board/jobs/{job.pk}").status_code == 404


@pytest.mark.parametrize("path", ["/board/jobs/999999", "/board/jobs/99999999999999999999"])
def test_unknown_jobs_are_json_404s(anonymous, db, path):
    response = anonymous.get(path)

    assert response.status_code == 404
    assert response.json()["detail"]


def test_contact_details_are_private_by_default(anonymous, remote_job):
    listed = anonymous.get("/board/jobs")
    detail = anonymous.get(f"/board/jobs/{remote_job.pk}")

    for job in [listed.json()["results"][0], detail.json()]:
        assert "work_email" not in job and "phone" not in job
        assert "phone" not in job["company"] and "address" not in job["company"]
        assert job["company"]["contact_public"] is False
    for response in (listed, detail):
        for secret in (b"hiring@acme.example", b"+49 30 5555", b"+49 30 1234", b"1 Anvil Way"):
            assert secret not in response.content


def test_a_company_that_makes_its_contact_public_shows_it(anonymous, remote_job, acme):
    owner = client_for(acme.user)
    changed = owner.put(f"/user/company_profile/{acme.pk}", {"contact_public": True}, format="json")

    job = anonymous.get(f"/board/jobs/{remote_job.pk}").json()

    assert changed.status_code == 200 and changed.json()["contact_public"] is True
    assert (job["work_email"], job["phone"]) == ("hiring@acme.example", "+49 30 5555")
    assert (job["company"]["phone"], job["company"]["address"]) == ("+49 30 1234", "1 Anvil Way")


def test_a_token_is_neither_needed_nor_read(anonymous, remote_job):
    anonymous.credentials(HTTP_AUTHORIZATION="JWT not-a-token")

    assert anonymous.get("/board/jobs").status_code == 200


def test_answers_are_publicly_cacheable_and_readable_from_any_site(anonymous, remote_job):
    response = anonymous.get("/board/jobs", HTTP_ORIGIN="https://careers.acme.example")

    assert response["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert response["ETag"].strip('W/"')
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_repeat_with_the_tag_is_a_304_without_a_body(anonymous, remote_job):
    first = anonymous.get(f"/board/jobs/{remote_job.pk}")

    repeat = anonymous.get(f"/board/jobs/{remote_job.pk}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == first["ETag"]
    assert "max-age=60" in repeat["Cache-Control"]


def test_a_compressed_answer_revalidates_with_its_weakened_tag(anonymous, remote_job):
    """gzip turns the tag weak (W/"..."); the repeat sends that back and still gets its 304."""
    first = anonymous.get("/board/jobs", HTTP_ACCEPT_ENCODING="gzip")

    repeat = anonymous.get("/board/jobs", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Encoding"] == "gzip" and first["ETag"].startswith('W/"')
    assert repeat.status_code == 304


def test_only_reads_are_marked_cacheable(anonymous, db):
    options = anonymous.options("/board/jobs")
    refused = anonymous.post("/board/jobs", {}, format="json")

    assert "public" not in options.get("Cache-Control", "") and "ETag" not in options
    assert refused.status_code == 405


def _edit_job_title(job, acme):
    assert (
        client_for(acme.user).patch(f"/job/{job.pk}", {"title": "Staff Engineer"}, format="json").status_code
        == 200
    )


def _edit_company_about(job, acme):
    assert (
        client_for(acme.user)
        .put(f"/user/company_profile/{acme.pk}", {"about": "Anvils."}, format="json")
        .status_code
        == 200
    )


def _close_job(job, acme):
    assert (
        client_for(acme.user).patch(f"/job/{job.pk}", {"status": "closed"}, format="json").status_code == 200
    )


def _add_job(job, acme):
    JobFactory(user=acme.user)


@pytest.mark.parametrize("edit", [_edit_job_title, _edit_company_about, _close_job, _add_job])
def test_any_change_to_the_answer_gives_a_new_tag(anonymous, remote_job, acme, edit):
    before = anonymous.get("/board/jobs")
    edit(remote_job, acme)

    after = anonymous.get("/board/jobs", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert anonymous.get("/board/jobs", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_job_passing_its_last_day_changes_the_answer(anonymous, remote_job):
    before = anonymous.get("/board/jobs")
    Job.objects.filter(pk=remote_job.pk).update(valid_through=listing_day() - datetime.timedelta(days=1))

    after = anonymous.get("/board/jobs", HTTP_IF_NONE_MATCH=before["ETag"])

    assert (after.status_code, after.json()["count"]) == (200, 0)


def test_the_board_is_throttled_per_client_address(anonymous, remote_job, settings):
    throttle_rates(settings, board="3/minute")

    allowed = [anonymous.get("/board/jobs", REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    refused = anonymous.get(f"/board/jobs/{remote_job.pk}", REMOTE_ADDR="203.0.113.7")
    elsewhere = anonymous.get("/board/jobs", REMOTE_ADDR="198.51.100.2")

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "public" not in refused.get("Cache-Control", "")
    assert elsewhere.status_code == 200


def test_the_board_filters_like_the_job_list(anonymous, remote_job):
    other = JobFactory(title="Rust developer", description="Systems work.")

    assert ids(anonymous.get("/board/jobs", {"search": "django"})) == [remote_job.pk]
    assert ids(anonymous.get("/board/jobs", {"company": other.user_id})) == [other.pk]
    assert anonymous.get("/board/jobs", {"company": "abc"}).status_code == 400


def test_the_board_takes_the_searchs_filters(anonymous, remote_job, acme):
    onsite = JobFactory(
        user=acme.user, title="Django developer", workplace="onsite", country="PK", city="Lahore"
    )
    books = JobFactory(
        user=acme.user, title="Accountant", description="Books.", workplace="onsite", country="DE"
    )

    assert set(ids(anonymous.get("/board/jobs", {"q": "django"}))) == {remote_job.pk, onsite.pk}
    assert ids(anonymous.get("/board/jobs", {"q": "django", "country": "pk"})) == [onsite.pk]
    assert ids(anonymous.get("/board/jobs", {"workplace": "remote"})) == [remote_job.pk]
    assert ids(anonymous.get("/board/jobs", {"remote_from": "FR"})) == [remote_job.pk]  # FR is in the EU
    assert ids(anonymous.get(f"/board/{acme.user_id}/", {"q": "accountant"})) == [books.pk]
    assert anonymous.get("/board/jobs", {"country": "XX"}).status_code == 400


def test_pages_are_twenty_jobs_unless_asked(anonymous, acme):
    JobFactory.create_batch(23, user=acme.user)

    first = anonymous.get("/board/jobs").json()
    small = anonymous.get("/board/jobs", {"limit": 5, "offset": 20}).json()

    assert (first["count"], len(first["results"])) == (23, 20)
    assert first["next"].endswith("limit=20&offset=20")
    assert len(small["results"]) == 3
    assert anonymous.get("/board/jobs", {"limit": "abc"}).status_code == 400


def _jobs_with_profiles(count):
    for _ in range(count):
        profile = CompanyProfileFactory()
        job = JobFactory(user=profile.user)
        JobSkillFactory.create_batch(2, job=job)


@pytest.mark.parametrize("params", [{}, {"q": "backend engineer"}], ids=["newest", "searched"])
@pytest.mark.parametrize("count", [1, 12])
def test_a_board_page_costs_five_queries_whatever_its_size_and_four_once_counted(
    anonymous, count, params, django_assert_num_queries
):
    _jobs_with_profiles(count)
    # PostgreSQL's `?q=` first asks whether any job matches, to fall back to similar words (jobs.search).
    typo_probe = int(bool(params) and connection.vendor == "postgresql")

    # The cache's part: the throttle's counter hit and its window's other slots, then the remembered
    # count looked up (and stored on a miss).
    throttled = cache_queries(2)

    # The job data version, the count, the jobs with their accounts, their profiles, their skills.
    with django_assert_num_queries(5 + typo_probe + throttled + cache_queries(2)):
        first = anonymous.get("/board/jobs", params)
    # the count is remembered for that version
    with django_assert_num_queries(4 + typo_probe + throttled + cache_queries(1)):
        again = anonymous.get("/board/jobs", params)

    assert len(first.json()["results"]) == count
    assert again.json() == first.json()


def test_a_remembered_count_follows_every_job_write(anonymous, remote_job, acme):
    assert anonymous.get("/board/jobs").json()["count"] == 1
    JobFactory(user=acme.user)
    assert anonymous.get("/board/jobs").json()["count"] == 2
    Job.objects.filter(pk=remote_job.pk).update(status=Job.Status.CLOSED)
    assert anonymous.get("/board/jobs").json()["count"] == 1
    assert anonymous.get("/board/jobs", {"workplace": "remote"}).json()["count"] == 0


def test_a_careers_page_is_the_company_and_its_open_jobs(anonymous, remote_job, acme, closed_job):
    JobFactory(title="Someone else's job")

    response = anonymous.get(f"/board/{acme.user_id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["company"]["name"] == "Acme"
    assert body["company"]["logo"].endswith(acme.logo.name)
    assert "phone" not in body["company"]
    assert [job["id"] for job in body["results"]] == [remote_job.pk]
    assert body["count"] == 1
    assert "max-age=60" in response["Cache-Control"] and response["ETag"]
    assert anonymous.get(f"/board/{acme.user_id}").status_code == 200  # slash optional, no redirect


def test_a_company_with_no_open_jobs_has_an_empty_careers_page(anonymous):
    company = CompanyFactory(name="Quiet Ltd")

    body = anonymous.get(f"/board/{company.pk}/").json()

    assert (body["company"]["name"], body["results"], body["count"]) == ("Quiet Ltd", [], 0)


@pytest.mark.parametrize("who", ["candidate", "inactive company", "unknown"])
def test_a_careers_page_exists_only_for_active_companies(anonymous, who):
    account_id = {
        "candidate": lambda: CandidateFactory().pk,
        "inactive company": lambda: CompanyFactory(is_active=False).pk,
        "unknown": lambda: 987654,
    }[who]()

    assert anonymous.get(f"/board/{account_id}/").status_code == 404
