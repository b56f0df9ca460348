"""The public HTML page of a job: 200 with a JobPosting that matches the job, 410 once it is not
open, 404 for no job; accessible markup, escaping, caching, and the sitemap."""

import datetime
import html
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.test import Client

from jobs.models import Job, listing_day
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def browser():
    return Client()


def json_ld_of(response) -> dict:
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_an_open_jobs_page_carries_its_job_posting(browser, remote_job, acme):
    response = browser.get(f"/jobs/{remote_job.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    posting = json_ld_of(response)
    assert posting == {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Senior Django Engineer",
        "description": "Own our REST API.\nShip weekly.",
        "datePosted": remote_job.created_at.date().isoformat(),
        "validThrough": f"{remote_job.valid_through.isoformat()}T23:59:59+00:00",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Acme",
            "sameAs": "https://acme.example",
            "logo": f"http://testserver/media/{acme.logo.name}",
        },
        "jobLocationType": "TELECOMMUTE",
        "applicantLocationRequirements": [
            {"@type": "AdministrativeArea", "name": "European Union"},
            {"@type": "Country", "name": "GB"},
        ],
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"@type": "QuantitativeValue", "minValue": 70000, "maxValue": 90000, "unitText": "YEAR"},
        },
        "directApply": True,
        "identifier": {"@type": "PropertyValue", "name": "Job Portal", "value": str(remote_job.pk)},
        "url": f"http://testserver/jobs/{remote_job.pk}/",
    }


def test_an_onsite_job_has_a_place_and_no_telecommute(browser, acme):
    job = JobFactory(
        user=acme.user, workplace="onsite", city="Lahore", country="PK", employment_type="contract"
    )

    posting = json_ld_of(browser.get(f"/jobs/{job.pk}/"))

    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Lahore",
        "addressCountry": "PK",
    }
    assert "jobLocationType" not in posting and "applicantLocationRequirements" not in posting
    assert posting["employmentType"] == "CONTRACTOR"


def test_a_remote_job_naming_no_region_accepts_its_own_country(browser, acme):
    job = JobFactory(user=acme.user, workplace="remote", country="GB", salary_max=50, salary_currency="GBP",
                     salary_period="hour", employment_type="internship")  # fmt: skip

    posting = json_ld_of(browser.get(f"/jobs/{job.pk}/"))

    assert posting["applicantLocationRequirements"] == [{"@type": "Country", "name": "GB"}]
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "maxValue": 50,
        "unitText": "HOUR",
    }
    assert posting["employmentType"] == "INTERN"


def test_a_job_without_the_new_fields_leaves_them_out(browser):
    job = JobFactory(website="")  # as the SPA posts it: no place, pay, type or end date

    posting = json_ld_of(browser.get(f"/jobs/{job.pk}/"))

    absent = {"validThrough", "employmentType", "jobLocation", "jobLocationType", "baseSalary"}
    assert absent.isdisjoint(posting)
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": job.name}


def test_the_page_is_accessible_markup_readable_without_scripts(browser, remote_job):
    page = browser.get(f"/jobs/{remote_job.pk}/").content.decode()

    assert '<html lang="en">' in page
    assert page.count("<h1") == 1 and "<main" in page and "<header" in page and "<footer" in page
    assert f'<link rel="canonical" href="http://testserver/jobs/{remote_job.pk}/">' in page
    assert '<img src="http://testserver/media/logos/' in page and 'alt="Acme logo"' in page
    assert "European Union, United Kingdom" in page  # whom the remote job accepts, by name
    assert "EUR 70,000 to 90,000 a year" in page
    assert f'href="http://localhost:3000/job-detail/{remote_job.pk}">Apply for Senior Django Engineer' in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script type="application/ld+json">']  # data only: nothing runs


def test_contact_details_appear_only_when_the_company_makes_them_public(browser, remote_job, acme):
    private = browser.get(f"/jobs/{remote_job.pk}/").content.decode()
    acme.contact_public = True
    acme.save(update_fields=["contact_public"])
    public = browser.get(f"/jobs/{remote_job.pk}/").content.decode()

    assert "hiring@acme.example" not in private and "+49 30 5555" not in private
    assert 'href="mailto:hiring@acme.example"' in public and "+49 30 5555" in public


def test_text_cannot_break_out_of_the_json_ld_or_the_page(browser, acme):
    hostile = '</script><script>alert("x")</script><!-- & "quotes"'
    job = JobFactory(user=acme.user, title=hostile, description=f"Line one\n{hostile}", city="<b>Town</b>")

    response = browser.get(f"/jobs/{job.pk}/")
    page = response.content.decode()

    assert "<script>alert" not in page and "<b>Town</b>" not in page
    assert html.escape(hostile, quote=False).replace('"', "&quot;") in page
    posting = json_ld_of(response)
    assert posting["title"] == hostile
    assert posting["description"] == f"Line one\n{hostile}"
    assert posting["jobLocation"]["address"]["addressLocality"] == "<b>Town</b>"


@pytest.mark.parametrize("state", ["closed_job", "expired_job"])
def test_a_job_no_longer_open_is_gone_with_no_job_posting(browser, state, request):
    job = request.getfixturevalue(state)

    response = browser.get(f"/jobs/{job.pk}/")

    assert response.status_code == 410
    page = response.content.decode()
    assert "application/ld+json" not in page and "JobPosting" not in page
    assert "no longer open" in page and '<meta name="robots" content="noindex">' in page
    assert "public" not in response.get("Cache-Control", "")


def test_no_such_job_is_a_human_404(browser, db):
    response = browser.get("/jobs/987654/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "No job here" in response.content.decode()


def test_an_id_no_key_can_hold_is_a_404_before_any_query(browser, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert browser.get("/jobs/99999999999999999999/").status_code == 404


def test_the_page_answers_without_the_slash_and_names_its_canonical_address(browser, remote_job):
    response = browser.get(f"/jobs/{remote_job.pk}")

    assert response.status_code == 200
    assert f'rel="canonical" href="http://testserver/jobs/{remote_job.pk}/"' in response.content.decode()


def test_the_page_is_publicly_cached_and_revalidates_with_its_tag(browser, remote_job):
    first = browser.get(f"/jobs/{remote_job.pk}/")
    repeat = browser.get(f"/jobs/{remote_job.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    Job.objects.filter(pk=remote_job.pk).update(title="Principal Engineer")
    edited = browser.get(f"/jobs/{remote_job.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert repeat.status_code == 304
    assert edited.status_code == 200 and json_ld_of(edited)["title"] == "Principal Engineer"


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_the_open_jobs_pages_with_their_last_change(
    browser, remote_job, closed_job, expired_job
):
    through_today = JobFactory(valid_through=listing_day())

    response = browser.get("/sitemap.xml")

    assert response.status_code == 200
    urls = ElementTree.fromstring(response.content).findall(f"{SITEMAP}url")
    entries = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text for url in urls}
    assert entries == {
        f"http://testserver/jobs/{job.pk}/": job.updated_at.date().isoformat()
        for job in (remote_job, through_today)
    }


def test_a_job_expiring_leaves_the_sitemap_and_its_page_is_gone(browser, remote_job):
    Job.objects.filter(pk=remote_job.pk).update(valid_through=listing_day() - datetime.timedelta(days=1))

    assert b"/jobs/" not in browser.get("/sitemap.xml").content
    assert browser.get(f"/jobs/{remote_job.pk}/").status_code == 410
