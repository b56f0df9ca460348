"""What an attacker can send gets a JSON 4xx, never a 500 or a silent default (issue 12, hostile input)."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for
from jobs.models import Job, JobSkill
from jobs.tests.conftest import SPA_JOB_FORM
from jobs.tests.factories import JobFactory
from profiles import models as profile_models

pytestmark = pytest.mark.django_db

BIDI = "\u202e"
ANSI = "\x1b[31m"
ZWJ_ONLY = "\u200d\u200d"


# --- NUL and control characters in query parameters ------------------------------------------
@pytest.mark.parametrize("path", ["/job/list", "/job/", "/user/list"])
@pytest.mark.parametrize("skill", ["Py\x00thon", "\x00", "React\x1b[0m"])
def test_a_control_character_in_skill_is_a_400_naming_it(company_client, path, skill):
    response = company_client.get(path, {"skill": skill})

    assert response.status_code == 400
    assert "skill" in response.json()


@pytest.mark.parametrize("path", ["/job/list", "/user/list", "/job/skills"])
@pytest.mark.parametrize("param", ["search", "ordering", "hiring_needs", "job", "availability_type"])
def test_a_nul_byte_in_any_query_parameter_is_never_a_500(company_client, path, param):
    response = company_client.get(path, {param: "a\x00b"})

    assert response.status_code in (200, 400)


# --- bodies ------------------------------------------------------------------------------------
def test_deeply_nested_json_is_a_400_not_a_recursion_error(api_client):
    body = '{"token": ' + "[" * 990 + "]" * 990 + "}"

    response = api_client.post("/auth/jwt/verify/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_json_nested_within_the_limit_reaches_the_serializer(api_client):
    body = '{"token": ' + "[" * 30 + "]" * 30 + "}"

    response = api_client.post("/auth/jwt/verify/", body, content_type="application/json")

    assert response.status_code in (400, 401)
    assert "nested" not in json.dumps(response.json())


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/nope", "/auth/jwt/nope/", "/api/v1/jobs/"])
def test_every_method_on_an_unknown_path_is_a_json_404_even_with_csrf_checks(method, path):
    client = APIClient(enforce_csrf_checks=True)

    response = getattr(client, method)(path, "{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_oversize_body_is_a_413_with_a_detail(candidate_client, settings):
    body = json.dumps(
        {"first_name": "A", "last_name": "B", "bio": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    )

    response = candidate_client.post("/user/profile", body, content_type="application/json")

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not profile_models.Profile.objects.exists()


def test_a_chunked_body_is_refused_rather_than_read_as_empty(candidate_client):
    response = candidate_client.post(
        "/user/user_skills",
        '{"name": "Go", "rating": 5}',
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
    assert not profile_models.UserSkill.objects.exists()


# --- names and texts: one rule (helpers/text.py) on every writable text field -------------------
def _candidate_skill(client):
    return client.post("/user/user_skills", {"name": "Go", "rating": 5}, format="json")


# (who, method, path, valid body, field, long text?)
TEXT_FIELDS = [
    ("candidate", "post", "/user/profile", {"first_name": "Ada", "last_name": "L"}, "first_name", False),
    ("candidate", "post", "/user/profile", {"first_name": "Ada", "last_name": "L"}, "bio", True),
    ("candidate", "post", "/user/user_skills", {"name": "Go", "rating": 5}, "name", False),
    (
        "candidate",
        "post",
        "/user/education",
        {"degree": "BSc", "college": "LUMS", "start_date": "2020-01-01"},
        "college",
        False,
    ),
    ("candidate", "patch", "/auth/users/me/", {}, "name", False),
    ("company", "post", "/job/", SPA_JOB_FORM, "title", False),
    ("company", "post", "/job/", SPA_JOB_FORM, "description", True),
    ("company", "post", "/user/company_profile", {"name": "Acme"}, "name", False),
    ("company", "post", "/user/company_profile", {"name": "Acme"}, "about", True),
    ("company", "post", "/job/skills", {"rating": 5, "name": "Go"}, "name", False),
    (
        None,
        "post",
        "/auth/users/",
        {
            "email": "new@example.com",
            "type": "user",
            "password": "a-Long-pass-42",
            "re_password": "a-Long-pass-42",
        },
        "name",
        False,
    ),
]


def _call(who, method, path, body):
    user = {"candidate": CandidateFactory, "company": CompanyFactory}[who]() if who else None
    if path == "/job/skills":
        body = {**body, "job": JobFactory(user=user).pk}
    return getattr(client_for(user), method)(path, body, format="json")


@pytest.mark.parametrize("value", [f"Py{BIDI}thon", f"{ANSI}Go", "Zero\u200bWidth", "a\x00b", "a\x85b"])
@pytest.mark.parametrize(("who", "method", "path", "body", "field", "long"), TEXT_FIELDS)
def test_control_bidi_and_format_characters_are_refused_in_every_text_field(
    who, method, path, body, field, long, value
):
    response = _call(who, method, path, {**body, field: value})

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("who", "method", "path", "body", "field", "long"), TEXT_FIELDS)
def test_an_invisible_only_value_is_blank(who, method, path, body, field, long):
    response = _call(who, method, path, {**body, field: ZWJ_ONLY})

    if response.status_code == 400:
        assert response.json()[field] == ["This field may not be blank."]
    else:  # a field that may be blank stores it as blank, not as two joiners
        assert response.status_code in (200, 201)
        assert response.json()[field] == ""


@pytest.mark.parametrize(("who", "method", "path", "body", "field", "long"), TEXT_FIELDS)
def test_tab_and_newline_are_allowed_only_in_long_text(who, method, path, body, field, long):
    response = _call(who, method, path, {**body, field: "first line\n\tsecond line"})

    if long:
        assert response.status_code == 201
        assert response.json()[field] == "first line\n\tsecond line"
    else:
        assert response.status_code == 400
        assert field in response.json()


def test_an_emoji_sequence_and_a_persian_name_are_kept(candidate_client):
    response = candidate_client.post(
        "/user/profile",
        {"first_name": "می\u200cخواهم", "last_name": "L", "bio": "👨\u200d👩\u200d👧"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["first_name"] == "می\u200cخواهم"


def test_nothing_is_written_by_refused_text():
    _call("company", "post", "/job/skills", {"rating": 5, "name": ZWJ_ONLY})
    _call(None, "post", "/auth/users/", {**TEXT_FIELDS[-1][3], "name": f"x{BIDI}"})

    assert not JobSkill.objects.exists()
    assert not UserAccount.objects.filter(email="new@example.com").exists()
    assert Job.objects.count() == 1


# --- limit / offset --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/user/list", "/job/list"])
@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("limit=abc", "limit"),
        ("limit=-5", "limit"),
        ("limit=false", "limit"),
        ("limit=0", "limit"),
        ("limit=", "limit"),
        ("limit=5&offset=abc", "offset"),
        ("limit=5&offset=-5", "offset"),
        ("limit=5&offset=false", "offset"),
    ],
)
def test_an_invalid_limit_or_offset_is_a_400_naming_the_parameter(company_client, path, query, param):
    response = company_client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [param]
