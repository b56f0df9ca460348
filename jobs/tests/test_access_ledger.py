"""The access ledger across the API and the admin (accounts/access.py, docs/access-ledger.md).

The API walk comes from the URL configuration, like test_privacy_routes: every route a company can
call that answers with the candidate's data must write a ledger row for that candidate, or be named
below as a listing (many candidates, no contact details). A new candidate-reading route fails here
until it records (or is classified, with its reason).
"""

import csv
import io

import pytest
from django.urls import get_resolver

from accounts.models import CandidateAccess
from assessments.tests.factories import AnswerFactory, QuestionFactory
from helpers.testing import client_for
from jobs.tests import test_privacy_routes
from jobs.tests.factories import ApplicationFactory
from jobs.tests.test_privacy_routes import NOT_WALKED, READS_BY_POST, _concrete, _patterns, _values_for
from jobs.tests.test_recommend_api import make_candidate, make_job
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db
world = test_privacy_routes.world  # the same candidate, job and application as the privacy walk

LISTINGS = {
    "GET /user/list": "the recruiter search: every listed candidate, public data",
    "GET /user/user_skills/list": "every listed candidate's skills, read whole by the SPA",
    "POST /user/recommend/list": "a ranking; past the cap it withholds assessments instead",
}
RECORDED_ROUTES = {"account", "profile", "experience", "availability", "role", "education", "skills"}
RECORDED_ROUTES |= {"assessment", "applicant"}


def _walk(client, world):
    """{request: (body, ledger rows it wrote for the candidate)} for every non-admin route."""
    candidate = world["candidate"]
    answers = {}
    for route in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/") or route in NOT_WALKED:
            continue
        url = _concrete(route, _values_for(route, world))
        calls = [("GET", lambda url=url: client.get(url))]
        if url.strip("/") in READS_BY_POST:
            calls.append(("POST", lambda url=url: client.post(url, {"job": world["job"].pk}, format="json")))
        for method, call in calls:
            before = set(CandidateAccess.objects.filter(candidate=candidate).values_list("pk", flat=True))
            body = call().content.decode()
            written = CandidateAccess.objects.filter(candidate=candidate).exclude(pk__in=before)
            answers[f"{method} {url}"] = (body, list(written))
    return answers


def _carries_candidate(body: str, candidate) -> bool:
    return candidate.name in body or f'"user":{candidate.pk}' in body.replace(" ", "")


def test_every_route_that_answers_a_company_about_a_candidate_records_it(world):
    candidate, company = world["candidate"], world["company"]

    answers = _walk(client_for(company), world)

    unrecorded = [
        url
        for url, (body, written) in answers.items()
        if (_carries_candidate(body, candidate) or f"/{candidate.pk}" in url.split(" ")[1])
        and not written
        and url.split("?")[0] not in LISTINGS
        and '"detail"' not in body  # a refusal (403/404) answers nothing about the candidate
    ]
    assert unrecorded == []
    recorded = {row.route for _, written in answers.values() for row in written}
    assert recorded == RECORDED_ROUTES
    rows = [row for _, written in answers.values() for row in written]
    assert {(row.company_id, row.actor_id) for row in rows} == {(company.pk, company.pk)}
    assert not any(written for url, (_, written) in answers.items() if url in LISTINGS)


def test_the_walk_sees_the_one_candidate_routes(world):
    """Guards the walk: a route with the candidate's id that the walk missed would pass silently."""
    answers = _walk(client_for(world["company"]), world)
    assert sum(f"/{world['candidate'].pk}" in url for url in answers) >= 8


def test_an_applicant_list_records_contact_details_once_the_candidate_applied(world):
    company, candidate, job = world["company"], world["candidate"], world["job"]
    client = client_for(company)

    client.get(f"/job/{job.pk}/applications")
    client_for(candidate).post(f"/job/{world['second_job'].pk}/apply", {}, format="json")
    client.get(f"/job/{job.pk}/applications")

    kinds = list(CandidateAccess.objects.order_by("id").values_list("route", "kind"))
    assert kinds == [("applicant", "public"), ("applicant", "contact")]
    seen = client_for(candidate).get("/auth/users/me/access").json()["results"]
    assert [(row["company"]["id"], row["kinds"], row["reads"]) for row in seen] == [
        (company.pk, ["public", "contact"], 2)
    ]


# --- Rankings once the company is capped ---------------------------------------------------------


@pytest.fixture
def ranked(company, settings):
    """A job and three ranked candidates who took the test (all correct), with a cap of one."""
    settings.CANDIDATE_READS_PER_DAY = 1
    job = make_job(owner=company, skills=[("Python", 8)])
    question = QuestionFactory()
    right = AnswerFactory(question=question, is_correct=True)
    people = [make_candidate(skills=[("Python", 8 - i)]) for i in range(3)]
    for person in people:
        client_for(person).post(
            "/question/submit", {"question": question.pk, "answer": right.pk}, format="json"
        )
    return job, people


def _assessments(client, job, query=""):
    body = client.post(f"/user/recommend/list{query}", {"job": job.pk}, format="json").json()
    return {item["id"]: item["assessment"] for item in body}


def test_a_capped_company_gets_no_assessments_in_rankings_but_of_candidates_it_read_today(
    ranked, company, company_client
):
    job, (first, second, third) = ranked
    assert all(_assessments(company_client, job).values())  # under the cap: everyone's

    assert company_client.get(f"/user/list/{first.pk}").status_code == 200  # the one allowed
    assert company_client.get(f"/question/result/{second.pk}").status_code == 429

    shown = _assessments(company_client, job)
    assert shown[first.pk]["percent"] == 100
    assert shown[second.pk] is None and shown[third.pk] is None
    assert set(_assessments(company_client, job, "?min_assessment=50")) == {first.pk}


def test_staff_rankings_keep_every_assessment(ranked, staff_client, company_client):
    job, (first, second, _) = ranked
    company_client.get(f"/user/list/{first.pk}")
    company_client.get(f"/user/list/{second.pk}")

    assert all(_assessments(staff_client, job).values())


# --- The admin -----------------------------------------------------------------------------------


@pytest.fixture
def cora():
    person = make_candidate(skills=[("Python", 8)], name="Cora Contact")
    ProfileFactory(user=person, phone="+92 300 7654321")
    return person


def test_a_recruiters_admin_pages_are_recorded_against_its_company(
    acme, recruiter, recruiter_client, cora, plain_static_files
):
    profile = cora.profiles.get()

    assert recruiter_client.get(f"/admin/accounts/useraccount/{cora.pk}/change/").status_code == 200
    assert recruiter_client.get(f"/admin/profiles/profile/{profile.pk}/change/").status_code == 200

    rows = CandidateAccess.objects.order_by("id")
    assert [(r.company, r.actor, r.candidate, r.route, r.kind) for r in rows] == [
        (acme, recruiter, cora, "admin:useraccount", "public"),
        (acme, recruiter, cora, "admin:profile", "public"),
    ]
    assert rows[0].ip == "127.0.0.1"


def test_the_cap_counts_the_api_and_the_admin_together(acme, recruiter_client, settings, plain_static_files):
    settings.CANDIDATE_READS_PER_DAY = 2
    first, second, third = (make_candidate(skills=[("Python", 8)]) for _ in range(3))

    assert client_for(acme).get(f"/user/list/{first.pk}").status_code == 200
    assert recruiter_client.get(f"/admin/accounts/useraccount/{second.pk}/change/").status_code == 200
    refused = recruiter_client.get(f"/admin/accounts/useraccount/{third.pk}/change/")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert "daily limit" in refused.content.decode()
    assert recruiter_client.get(f"/admin/accounts/useraccount/{first.pk}/change/").status_code == 200
    assert client_for(acme).get(f"/user/list/{third.pk}").status_code == 429


def test_an_admin_page_the_recruiter_may_not_see_costs_nothing(
    recruiter_client, settings, acme, plain_static_files
):
    settings.CANDIDATE_READS_PER_DAY = 1
    hidden = make_candidate(skills=[("Python", 8)], searchable=False)
    visible = make_candidate(skills=[("Python", 8)])

    for missing in (hidden.pk, 10**12):
        assert recruiter_client.get(f"/admin/accounts/useraccount/{missing}/change/").status_code in (
            302,
            404,
        )

    assert recruiter_client.get(f"/admin/accounts/useraccount/{visible.pk}/change/").status_code == 200
    assert CandidateAccess.objects.count() == 1


def test_an_applicants_page_and_csv_rows_are_recorded_not_capped(
    acme, recruiter_client, settings, cora, plain_static_files
):
    settings.CANDIDATE_READS_PER_DAY = 0
    job = make_job(owner=acme, skills=[("Python", 8)])
    application = ApplicationFactory(job=job, candidate=cora)

    assert recruiter_client.get(f"/admin/jobs/application/{application.pk}/change/").status_code == 200
    exported = recruiter_client.post(
        "/admin/jobs/application/",
        {"action": "export_csv", "_selected_action": [application.pk], "index": "0"},
    )

    assert list(csv.reader(io.StringIO(exported.content.decode())))[1][1] == cora.email
    rows = list(CandidateAccess.objects.order_by("id").values_list("route", "kind", "candidate_id"))
    assert rows == [("admin:applicant", "contact", cora.pk), ("csv", "contact", cora.pk)]


def test_staff_read_the_whole_ledger_and_recruiters_do_not(
    acme, recruiter_client, admin_client, cora, plain_static_files
):
    client_for(acme).get(f"/user/list/{cora.pk}")
    other = make_candidate(skills=[("Python", 8)], name="Otto Other")
    client_for(acme).get(f"/user/list/{other.pk}")

    listed = admin_client.get("/admin/accounts/candidateaccess/")
    filtered = admin_client.get(f"/admin/accounts/candidateaccess/?candidate__id__exact={cora.pk}")
    by_company = admin_client.get(f"/admin/accounts/candidateaccess/?company__id__exact={acme.pk}")

    assert listed.status_code == filtered.status_code == by_company.status_code == 200
    assert listed.context["cl"].result_count == by_company.context["cl"].result_count == 2
    assert [row.candidate for row in filtered.context["cl"].result_list] == [cora]
    assert recruiter_client.get("/admin/accounts/candidateaccess/").status_code == 403
    assert (
        admin_client.get(
            f"/admin/accounts/candidateaccess/{CandidateAccess.objects.first().pk}/change/"
        ).status_code
        == 200
    )
    assert admin_client.get("/admin/accounts/candidateaccess/add/").status_code == 403
