"""The public HTML page of a job, `/jobs/<id>/`: server-rendered, complete without JavaScript.

An open job's page carries its schema.org `JobPosting` (board.jsonld) for search engines and is
cached publicly like the board's API (board.caching). A closed or expired job answers 410 Gone with
a page saying so and no JobPosting, so search engines drop it; an unknown id is a 404 page.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from board import jsonld, selectors
from board.caching import publicly_cached
from board.paths import job_page_path
from helpers.geo import COUNTRY_NAMES, REGION_NAMES


def _place_names(job) -> dict:
    """Human names of where the job is and whom a remote job accepts."""
    accepted = [COUNTRY_NAMES.get(code) or REGION_NAMES.get(code, code) for code in job.remote_regions or []]
    return {
        "country_name": COUNTRY_NAMES.get(job.country, job.country),
        "accepted_from": accepted,
    }


def _salary_text(job) -> str:
    """`EUR 60,000 to 80,000 a year`; "" when the job names no amount."""
    amounts = [f"{amount:,}" for amount in (job.salary_min, job.salary_max) if amount is not None]
    if not job.salary_currency or not amounts:
        return ""
    if len(amounts) == 2 and amounts[0] == amounts[1]:
        amounts = amounts[:1]
    elif len(amounts) == 1:
        amounts = [("from " if job.salary_min is not None else "up to ") + amounts[0]]
    period = f" a {job.salary_period}" if job.salary_period else ""
    return f"{job.salary_currency} {' to '.join(amounts)}{period}"


def _absolute_url(request, file_field) -> str | None:
    return request.build_absolute_uri(file_field.url) if file_field else None


@require_safe
def job_page(request, pk):
    job = selectors.job_for_page(pk)
    context = {"job": job, "site_name": settings.SITE_NAME, "jobs_url": f"{settings.FRONTEND_URL}/jobs"}
    if job is None:
        return render(request, "board/job_missing.html", context, status=404)
    if not job.is_open:
        return render(request, "board/job_gone.html", context, status=410)
    company = selectors.public_profile(job.user, name=job.name)
    page_url = request.build_absolute_uri(job_page_path(job.pk))
    logo_url = _absolute_url(request, company.logo)
    posting = jsonld.job_posting(
        job,
        company_name=company.name,
        website=job.website or company.website,
        logo_url=logo_url,
        page_url=page_url,
        site_name=settings.SITE_NAME,
    )
    context.update(
        company=company,
        logo_url=_absolute_url(request, company.logo_thumbnail) or logo_url,
        website_url=jsonld.absolute_website(job.website or company.website),
        canonical_url=page_url,
        apply_url=f"{settings.FRONTEND_URL}/job-detail/{job.pk}",
        json_ld=jsonld.script_json(posting),
        salary=_salary_text(job),
        show_contact=company.contact_public and bool(job.work_email or job.phone),
        **_place_names(job),
    )
    return publicly_cached(request, render(request, "board/job_page.html", context))
