"""A job seeker's browser with JavaScript off opens a job's public page: Debian's Chromium driven by
Playwright against the live test server (the recruiter browser test's `chromium_page`). The page
reads completely, its JobPosting parses and matches the job, and its text has enough contrast.
Screenshots go to .artifacts/screenshots/ (git-ignored).
"""

import json

import pytest

from jobs.tests.test_recruiter_browser import chromium_page, shot

pytestmark = pytest.mark.django_db(transaction=True)


def luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)` colour."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colours(page, selector):
    return page.eval_on_selector(
        selector, "e => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor]"
    )


def test_a_job_page_reads_without_javascript_and_carries_its_job_posting(
    live_server, remote_job, closed_job, acme
):
    url = f"{live_server.url}/jobs/{remote_job.pk}/"

    with chromium_page(java_script_enabled=False) as page:
        page.set_content("<p id=state>off</p><script>state.textContent = 'on'</script>")
        assert page.inner_text("#state") == "off"  # this browser really runs no page script

        response = page.goto(url)
        assert response.status == 200
        assert page.inner_text("h1") == "Senior Django Engineer"
        assert "Own our REST API." in page.inner_text("main")
        assert page.get_attribute("html", "lang") == "en"
        apply = page.get_by_role("link", name="Apply for Senior Django Engineer on Job Portal")
        assert apply.get_attribute("href") == f"http://localhost:3000/job-detail/{remote_job.pk}"
        posting = json.loads(page.text_content('script[type="application/ld+json"]'))
        logo = page.get_attribute("img", "src")
        text_colours, link_colours = colours(page, "main"), colours(page, "main a")
        shot(page, "board-01-job-page-no-javascript")

        gone = page.goto(f"{live_server.url}/jobs/{closed_job.pk}/")
        assert gone.status == 410
        assert page.locator('script[type="application/ld+json"]').count() == 0
        assert "no longer open" in page.inner_text("h1")
        shot(page, "board-02-closed-job-gone")

    assert posting["@type"] == "JobPosting"
    assert (posting["title"], posting["description"]) == (remote_job.title, remote_job.description)
    assert posting["datePosted"] == remote_job.created_at.date().isoformat()
    assert posting["validThrough"].startswith(remote_job.valid_through.isoformat())
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["hiringOrganization"]["name"] == "Acme"
    assert posting["hiringOrganization"]["logo"].endswith(acme.logo.name)
    assert logo.endswith(acme.logo_thumbnail.name)
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert [area["name"] for area in posting["applicantLocationRequirements"]] == ["European Union", "GB"]
    assert posting["baseSalary"]["value"]["minValue"] == remote_job.salary_min
    assert posting["baseSalary"]["value"]["maxValue"] == remote_job.salary_max
    assert posting["baseSalary"]["currency"] == "EUR"
    assert posting["directApply"] is True
    assert posting["url"] == url
    assert contrast(*text_colours) >= 7  # WCAG AAA for body text
    assert contrast(*link_colours) >= 4.5  # AA for links
