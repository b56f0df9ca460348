"""A recruiter works the pipeline in a real browser: Playwright driving Debian's Chromium against a
live test server. Each step saves a screenshot under .artifacts/screenshots/ (git-ignored).

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Playwright's own browser
download is never used.
"""

import csv
import io
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from jobs import services
from jobs.models import Application
from jobs.tests.factories import JobFactory
from jobs.tests.test_recommend_api import make_candidate, make_job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("plain_static_files")]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / ".artifacts" / "screenshots"
PASSWORD = "Recruit-Harbour-82"


@contextmanager
def chromium_page(**context_options):
    """A page of Debian's headless Chromium driven by Playwright (`context_options`: Playwright's,
    e.g. `java_script_enabled=False`).

    Playwright's sync API runs an event loop beside the caller, so the test touches the database
    only before and after this block, never inside it.
    """
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)"
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1000}, **context_options
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_recruiter_works_the_pipeline_in_the_admin(live_server, monkeypatch):
    acme_job = make_job(skills=[("Python", 8), ("Go", 6)], title="Acme Go engineer", name="Acme")
    other_job = JobFactory(title="Globex Rust engineer", name="Globex")
    strong = make_candidate(skills=[("Python", 8), ("Go", 6)], name="Grace Gopher", availability="Full Time")
    make_candidate(skills=[("Python", 4)], name="Paul Partial")
    applicant = make_candidate(name="Ada Applicant", email="ada@mail.example")  # no skills: not ranked
    services.application_apply(candidate=applicant, job=acme_job)
    monkeypatch.setenv("RECRUITER_PASSWORD", PASSWORD)
    call_command("add_recruiter", "rita@acme.example", "--company", acme_job.user.email)
    base = live_server.url

    with chromium_page() as page:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "rita@acme.example")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        assert "Job Portal recruiting" in page.inner_text("#site-name")
        shot(page, "01-logged-in")

        page.goto(f"{base}/admin/jobs/job/")
        jobs_list = page.inner_text("#result_list")
        assert "Acme Go engineer" in jobs_list and "Globex Rust engineer" not in jobs_list
        shot(page, "02-own-jobs-only")

        response = page.goto(f"{base}/admin/jobs/job/{other_job.pk}/change/")
        assert response.status == 404
        shot(page, "03-other-companys-job-404")

        page.goto(f"{base}/admin/jobs/job/{acme_job.pk}/change/")
        ranked = page.locator("table.ranked-candidates tr.ranked-candidate")
        assert ranked.count() == 2
        assert "Grace Gopher" in ranked.nth(0).inner_text() and "100" in ranked.nth(0).inner_text()
        shot(page, "04-ranked-candidates")

        ranked.nth(0).locator("input[name=source_candidate]").check()
        page.click("button[name=_source]")
        page.wait_for_selector("ul.messagelist")
        assert "Added 1 candidate" in page.inner_text("ul.messagelist")
        assert "screening" in page.locator("table.ranked-candidates tr.ranked-candidate").nth(0).inner_text()
        shot(page, "05-sourced")

        page.goto(f"{base}/admin/jobs/application/")
        with page.expect_navigation():
            page.locator("ul.admin-filter-stage select").select_option(label="Screening")
        assert "stage__exact=screening" in page.url
        assert page.locator("#result_list tbody tr").count() == 1
        assert "Grace Gopher" in page.inner_text("#result_list")
        shot(page, "06-filtered-by-stage")

        page.locator("#result_list tbody tr input.action-select").check()
        page.select_option("select[name=action]", "move_to_interview")
        page.click("button[name=index]")
        page.wait_for_selector("ul.messagelist")
        assert "Moved 1 application(s) to interview" in page.inner_text("ul.messagelist")
        assert page.locator("#result_list tbody tr").count() == 0  # no longer in screening
        page.goto(f"{base}/admin/jobs/application/")
        with page.expect_navigation():
            page.locator("#result_list tbody tr th a", has_text="Grace Gopher").click()
        page.wait_for_selector("#events-group tbody tr")
        history = page.inner_text("#events-group")
        assert "Screening" in history and "Interview" in history
        shot(page, "07-moved-to-interview-with-event")

        page.goto(f"{base}/admin/jobs/application/")
        listed = page.inner_text("#result_list")
        # Contact details only where the candidate applied (README, Privacy): Grace was sourced.
        assert "Ada Applicant <ada@mail.example>" in listed
        assert "Grace Gopher" in listed and strong.email not in listed
        page.locator("#action-toggle").check()
        page.select_option("select[name=action]", "export_csv")
        with page.expect_download() as download:
            page.click("button[name=index]")
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
        shot(page, "08-exported-csv")

        forbidden = {}
        for name, url in (("09-groups", "/admin/auth/group/"), ("10-permissions", "/admin/auth/permission/")):
            forbidden[url] = page.goto(f"{base}{url}").status
            assert page.locator("#result_list").count() == 0
            shot(page, name)

    assert rows[0] == ["candidate", "email", "job", "stage", "score", "skills", "assessment percent"]
    assert [row[:4] for row in rows[1:]] == [
        ["Ada Applicant", "ada@mail.example", "Acme Go engineer", "applied"],
        ["Grace Gopher", "", "Acme Go engineer", "interview"],  # sourced: no email until she applies
    ]
    assert rows[2][4] == "100"
    # groups: forbidden; permissions: no admin page at all
    assert forbidden == {"/admin/auth/group/": 403, "/admin/auth/permission/": 404}
    application = Application.objects.get(job=acme_job, candidate=strong)
    assert (application.candidate, application.source, application.stage) == (strong, "sourced", "interview")
    assert [(e.from_stage, e.to_stage) for e in application.events.all()] == [
        ("", "screening"),
        ("screening", "interview"),
    ]
