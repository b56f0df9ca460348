"""Who may call what under /job/: one table of (method, URL, caller, expected status).

`owner` is the company that posted the job, `other` another company, `candidate` a developer,
`staff` a developer account with is_staff, `anon` no token. `{job}` is the owner's open job,
`{closed}` its closed job and `{skill}` a skill of the open job.
"""

import pytest

from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for
from jobs.tests.conftest import SPA_JOB_FORM
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db

SKILL_BODY = {"job": "{job}", "name": "Rust", "rating": 5}
EDIT = {"title": "Edited"}

TABLE = [
    ("post", "/job/", SPA_JOB_FORM, "anon", 401),
    ("post", "/job/", SPA_JOB_FORM, "candidate", 403),
    ("post", "/job/", SPA_JOB_FORM, "staff", 403),
    ("post", "/job/", SPA_JOB_FORM, "other", 201),
    ("get", "/job/", None, "anon", 401),
    ("get", "/job/", None, "candidate", 403),
    ("get", "/job/", None, "owner", 200),
    ("get", "/job/last", None, "anon", 401),
    ("get", "/job/last", None, "candidate", 403),
    ("get", "/job/last", None, "other", 404),
    ("get", "/job/last", None, "owner", 200),
    ("get", "/job/list", None, "anon", 401),
    ("get", "/job/list", None, "candidate", 200),
    ("get", "/job/list", None, "other", 200),
    ("get", "/job/list", None, "owner", 200),
    ("get", "/job/{job}", None, "anon", 401),
    ("get", "/job/{job}", None, "candidate", 403),
    ("get", "/job/{job}", None, "other", 404),
    ("get", "/job/{job}", None, "owner", 200),
    ("put", "/job/{job}", EDIT, "candidate", 403),
    ("put", "/job/{job}", EDIT, "other", 404),
    ("put", "/job/{job}", EDIT, "owner", 200),
    ("patch", "/job/{job}", EDIT, "candidate", 403),
    ("patch", "/job/{job}", EDIT, "other", 404),
    ("patch", "/job/{job}", EDIT, "owner", 200),
    ("delete", "/job/{job}", None, "anon", 401),
    ("delete", "/job/{job}", None, "candidate", 403),
    ("delete", "/job/{job}", None, "other", 404),
    ("delete", "/job/{job}", None, "owner", 204),
    ("get", "/job/{job}/single", None, "anon", 401),
    ("get", "/job/{job}/single", None, "candidate", 200),
    ("get", "/job/{job}/single", None, "other", 200),
    ("get", "/job/{job}/single", None, "owner", 200),
    ("get", "/job/{closed}/single", None, "candidate", 404),
    ("get", "/job/{closed}/single", None, "other", 404),
    ("get", "/job/{closed}/single", None, "owner", 200),
    ("get", "/job/skills", None, "anon", 401),
    ("get", "/job/skills", None, "candidate", 200),
    ("get", "/job/skills", None, "other", 200),
    ("post", "/job/skills", SKILL_BODY, "anon", 401),
    ("post", "/job/skills", SKILL_BODY, "candidate", 403),
    ("post", "/job/skills", SKILL_BODY, "staff", 403),
    ("post", "/job/skills", SKILL_BODY, "other", 404),
    ("post", "/job/skills", SKILL_BODY, "owner", 201),
    ("get", "/job/skills/{job}", None, "anon", 401),
    ("get", "/job/skills/{job}", None, "candidate", 200),
    ("get", "/job/skills/{job}", None, "other", 200),
    ("get", "/job/skills/item/{skill}", None, "candidate", 403),
    ("get", "/job/skills/item/{skill}", None, "other", 404),
    ("get", "/job/skills/item/{skill}", None, "owner", 200),
    ("put", "/job/skills/item/{skill}", {"rating": 3}, "anon", 401),
    ("put", "/job/skills/item/{skill}", {"rating": 3}, "candidate", 403),
    ("put", "/job/skills/item/{skill}", {"rating": 3}, "other", 404),
    ("put", "/job/skills/item/{skill}", {"rating": 3}, "owner", 200),
    ("patch", "/job/skills/item/{skill}", {"rating": 3}, "other", 404),
    ("patch", "/job/skills/item/{skill}", {"rating": 3}, "owner", 200),
    ("delete", "/job/skills/item/{skill}", None, "candidate", 403),
    ("delete", "/job/skills/item/{skill}", None, "other", 404),
    ("delete", "/job/skills/item/{skill}", None, "owner", 204),
]


@pytest.mark.parametrize(("method", "url", "body", "who", "expected"), TABLE)
def test_permission_table(method, url, body, who, expected):
    owner = CompanyFactory()
    job = JobFactory(user=owner)
    closed = JobFactory(user=owner, closed=True)
    skill = JobSkillFactory(job=job, name="Python")
    callers = {
        "anon": None,
        "candidate": CandidateFactory(),
        "staff": StaffFactory(),
        "other": CompanyFactory(),
        "owner": owner,
    }
    ids = {"job": job.pk, "closed": closed.pk, "skill": skill.pk}
    if body is not None:
        body = {key: value.format(**ids) if isinstance(value, str) else value for key, value in body.items()}

    response = getattr(client_for(callers[who]), method)(url.format(**ids), body, format="json")

    assert response.status_code == expected, response.content
    assert expected == 204 or response["Content-Type"].startswith("application/json")


def test_wrong_jwt_scheme_and_garbage_tokens_are_401(company):
    job = JobFactory(user=company)
    for header in ("JWT null", "JWT not-a-token", "Token abc"):
        client = client_for()
        client.credentials(HTTP_AUTHORIZATION=header)
        assert client.get(f"/job/{job.pk}/single").status_code == 401
