"""Who may call which pipeline route: one table of (method, URL, body, caller, expected status).

`owner` posted `{job}`; `applicant` applied to it (`{application}`); `candidate` is another developer;
`other` another company; `staff` portal staff (a developer account with is_staff); `recruiter` a staff
login acting for another company (it works in the admin, and through the API it is not the job's
company); `anon` has no token. Every route, method and caller has a row.
"""

import pytest

from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for
from jobs.tests.factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db

MOVE = {"stage": "screening"}

TABLE = [
    ("post", "/job/{job}/apply", {}, "anon", 401),
    ("post", "/job/{job}/apply", {}, "applicant", 400),
    ("post", "/job/{job}/apply", {}, "candidate", 201),
    ("post", "/job/{job}/apply", {}, "owner", 403),
    ("post", "/job/{job}/apply", {}, "other", 403),
    ("post", "/job/{job}/apply", {}, "staff", 201),
    ("post", "/job/{job}/apply", {}, "recruiter", 403),
    ("get", "/job/applications", None, "anon", 401),
    ("get", "/job/applications", None, "applicant", 200),
    ("get", "/job/applications", None, "candidate", 200),
    ("get", "/job/applications", None, "owner", 403),
    ("get", "/job/applications", None, "other", 403),
    ("get", "/job/applications", None, "staff", 200),
    ("get", "/job/applications", None, "recruiter", 403),
    ("post", "/job/applications/{application}/withdraw", None, "anon", 401),
    ("post", "/job/applications/{application}/withdraw", None, "applicant", 200),
    ("post", "/job/applications/{application}/withdraw", None, "candidate", 404),
    ("post", "/job/applications/{application}/withdraw", None, "owner", 403),
    ("post", "/job/applications/{application}/withdraw", None, "other", 403),
    ("post", "/job/applications/{application}/withdraw", None, "staff", 404),
    ("post", "/job/applications/{application}/withdraw", None, "recruiter", 403),
    ("get", "/job/{job}/applications", None, "anon", 401),
    ("get", "/job/{job}/applications", None, "applicant", 404),
    ("get", "/job/{job}/applications", None, "candidate", 404),
    ("get", "/job/{job}/applications", None, "owner", 200),
    ("get", "/job/{job}/applications", None, "other", 404),
    ("get", "/job/{job}/applications", None, "staff", 200),
    ("get", "/job/{job}/applications", None, "recruiter", 404),
    ("patch", "/job/applications/{application}", MOVE, "anon", 401),
    ("patch", "/job/applications/{application}", MOVE, "applicant", 403),
    ("patch", "/job/applications/{application}", MOVE, "candidate", 403),
    ("patch", "/job/applications/{application}", MOVE, "owner", 200),
    ("patch", "/job/applications/{application}", MOVE, "other", 404),
    ("patch", "/job/applications/{application}", MOVE, "staff", 200),
    ("patch", "/job/applications/{application}", MOVE, "recruiter", 404),
    ("get", "/job/applications/{application}/events", None, "anon", 401),
    ("get", "/job/applications/{application}/events", None, "applicant", 200),
    ("get", "/job/applications/{application}/events", None, "candidate", 404),
    ("get", "/job/applications/{application}/events", None, "owner", 200),
    ("get", "/job/applications/{application}/events", None, "other", 404),
    ("get", "/job/applications/{application}/events", None, "staff", 200),
    ("get", "/job/applications/{application}/events", None, "recruiter", 404),
    ("post", "/job/{closed}/apply", {}, "candidate", 404),
    ("get", "/job/{closed}/applications", None, "owner", 200),
    ("get", "/job/999999/applications", None, "owner", 404),
    ("post", "/job/999999/apply", {}, "candidate", 404),
]


@pytest.mark.parametrize(("method", "url", "body", "who", "expected"), TABLE)
def test_permission_table(method, url, body, who, expected):
    owner = CompanyFactory()
    job = JobFactory(user=owner)
    closed = JobFactory(user=owner, closed=True)
    application = ApplicationFactory(job=job)
    other = CompanyFactory()
    callers = {
        "anon": None,
        "applicant": application.candidate,
        "candidate": CandidateFactory(),
        "owner": owner,
        "other": other,
        "staff": StaffFactory(),
        "recruiter": CompanyFactory(is_staff=True, recruiter_for=other),
    }
    ids = {"job": job.pk, "closed": closed.pk, "application": application.pk}

    response = getattr(client_for(callers[who]), method)(url.format(**ids), body, format="json")

    assert response.status_code == expected, response.content
    assert "password" not in response.content.decode()
