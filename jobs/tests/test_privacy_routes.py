"""A candidate's contact details reach a company only once the candidate applied to it (README, Privacy).

The routes come from the URL configuration itself, so a route added later is walked too, or the test
fails until it is classified: no answer a company can get may carry the email or phone before the
candidate applies; the applicant list carries both afterwards.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import CompanyFactory
from assessments.tests.factories import AnswerFactory, QuestionFactory
from helpers.testing import client_for
from jobs.models import Source, Stage
from jobs.tests.factories import ApplicationFactory, JobSkillFactory
from jobs.tests.test_recommend_api import make_candidate, make_job
from profiles.tests.factories import (
    CompanyProfileFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
)

pytestmark = pytest.mark.django_db

PHONE = "+44 20 7946 0958"
NOT_WALKED = {
    r"^(?!static/|admin/).*$": "the JSON 404 for every other path",
    r"^media/(?P<path>.*)$": "uploaded pictures (files, not answers about candidates)",
}
READS_BY_POST = {"user/recommend/list"}


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str, values: dict) -> str:
    path = route.replace("^", "").replace("$", "").replace("/?", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"<\w+:(\w+)>", lambda m: str(values[m.group(1)]), path)
    return "/" + path


def _values_for(route: str, world) -> dict:
    """Ids that make each route answer about the world's candidate, job, application..."""
    if route.startswith("job/^applications/"):
        pk = world["application"].pk
    elif route.startswith("job/^skills/item/"):
        pk = world["skill"].pk
    elif route.startswith("job/"):
        pk = world["job"].pk
    elif route.startswith("question/"):
        pk = world["question"].pk
    else:
        pk = world["company_profile"].pk
    return {
        "pk": pk,
        "user_id": world["candidate"].pk,
        "job_id": world["job"].pk,
        "id": world["candidate"].pk,
        "provider": "github",
        "delivery_id": 1,
        "company_id": world["job"].user_id,  # the public board's careers page
    }


def company_answers(client, world) -> dict[str, str]:
    """Every route of the URL configuration (but the admin's) as the company calls it: {url: body}."""
    answers = {}
    for route in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/") or route in NOT_WALKED:
            continue
        url = _concrete(route, _values_for(route, world))
        answers[f"GET {url}"] = client.get(url).content.decode()
        if url.strip("/") in READS_BY_POST:
            body = {"job": world["job"].pk}
            answers[f"POST {url}"] = client.post(url, body, format="json").content.decode()
    return answers


@pytest.fixture
def world():
    company = CompanyFactory()
    job = make_job(owner=company, skills=[("Python", 8)])
    second_job = make_job(owner=company, skills=[("Python", 8)])
    candidate = make_candidate(skills=[("Python", 8)], availability="Full Time", name="Ada Lovelace")
    ProfileFactory(user=candidate, phone=PHONE, first_name="Ada")
    ExperienceFactory(user=candidate)
    RoleSalaryFactory(user=candidate)
    EducationFactory(user=candidate)
    question = QuestionFactory()
    AnswerFactory(question=question, is_correct=True)
    # A recruiter added the candidate to the pipeline: no consent to be contacted yet.
    sourced = ApplicationFactory(candidate=candidate, job=job, source=Source.SOURCED, stage=Stage.SCREENING)
    return {
        "company": company,
        "job": job,
        "second_job": second_job,
        "candidate": candidate,
        "application": sourced,
        "skill": JobSkillFactory(job=job, name="Go", rating=3),
        "question": question,
        "company_profile": CompanyProfileFactory(user=company),
    }


def test_a_company_sees_a_candidates_email_and_phone_only_after_the_candidate_applies(world):
    email = world["candidate"].email
    company = client_for(world["company"])

    before = company_answers(company, world)

    assert len(before) > 50
    assert any("Ada Lovelace" in body for body in before.values())  # the candidate is readable...
    leaks = [url for url, body in before.items() if email in body or PHONE in body]
    assert leaks == []  # ...but never how to reach them

    applied = client_for(world["candidate"]).post(f"/job/{world['second_job'].pk}/apply", {}, format="json")
    assert applied.status_code == 201
    after = company_answers(company, world)

    applicants = after[f"GET /job/{world['job'].pk}/applications"]
    assert email in applicants and PHONE in applicants


def test_withdrawing_takes_the_contact_details_back(world):
    email = world["candidate"].email
    candidate, company = client_for(world["candidate"]), client_for(world["company"])
    application = candidate.post(f"/job/{world['second_job'].pk}/apply", {}, format="json").json()

    candidate.post(f"/job/applications/{application['id']}/withdraw")

    answers = company_answers(company, world)
    assert [url for url, body in answers.items() if email in body or PHONE in body] == []


def test_another_company_never_sees_the_contact_details(world):
    email = world["candidate"].email
    client_for(world["candidate"]).post(f"/job/{world['second_job'].pk}/apply", {}, format="json")
    other = CompanyFactory()
    other_world = dict(world, company=other, company_profile=CompanyProfileFactory(user=other))

    answers = company_answers(client_for(other), other_world)

    assert [url for url, body in answers.items() if email in body or PHONE in body] == []


def test_the_walk_covers_the_pipeline_and_every_candidate_read(world):
    """Guards the walk itself: the routes that carry candidate data are among those it calls."""
    answers = company_answers(client_for(world["company"]), world)
    candidate_id, job_id = world["candidate"].pk, world["job"].pk
    for expected in (
        f"GET /user/list/{candidate_id}",
        f"GET /user/profile/{candidate_id}/user",
        f"GET /question/result/{candidate_id}",
        f"GET /job/{job_id}/applications",
        f"GET /job/applications/{world['application'].pk}/events",
        "POST /user/recommend/list",
        "GET /user/list",
    ):
        assert expected in answers


def test_a_candidate_who_is_not_searchable_is_not_ranked_but_still_seen_where_they_applied(world):
    candidate = world["candidate"]
    candidate.searchable = False
    candidate.save(update_fields=["searchable"])
    company = client_for(world["company"])

    ranked = company.post("/user/recommend/list", {"job": world["job"].pk}, format="json").json()
    applicants = company.get(f"/job/{world['job'].pk}/applications").json()

    assert candidate.pk not in [item["id"] for item in ranked]
    assert [item["candidate"]["id"] for item in applicants] == [candidate.pk]
