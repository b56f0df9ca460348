"""GET /auth/users/me/export: everything held about the caller, and never a secret (issue 21)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from social_django.models import UserSocialAuth

from accounts.tests.factories import CandidateFactory, CompanyFactory
from assessments.tests.factories import UserAnswerFactory
from helpers.testing import client_for
from helpers.tests import pictures
from jobs.tests.factories import ApplicationFactory, JobFactory, JobSkillFactory
from profiles.tests.factories import (
    AvailabilityFactory,
    CompanyProfileFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = pytest.mark.django_db

PROVIDER_TOKEN = "gho_provider-access-token-0123456789"


def filled_candidate():
    """A candidate with every part an export holds: sections, photo, answers, applications, a link."""
    candidate = CandidateFactory(name="Ann Lee")
    for factory in (
        ProfileFactory,
        ExperienceFactory,
        AvailabilityFactory,
        RoleSalaryFactory,
        EducationFactory,
    ):
        factory(user=candidate)
    UserSkillFactory(user=candidate, name="Python")
    UserAnswerFactory(user=candidate)
    image = SimpleUploadedFile("me.png", pictures.png(), content_type="image/png")
    assert (
        client_for(candidate).put("/user/profile/photo", {"image": image}, format="multipart").status_code
        == 200
    )
    application = ApplicationFactory(candidate=candidate, cover_note="I love APIs")
    client_for(application.job.user).patch(
        f"/job/applications/{application.pk}",
        {"stage": "screening", "note": "Strong on Django"},
        format="json",
    )
    UserSocialAuth.objects.create(
        user=candidate, provider="github", uid="4242", extra_data={"access_token": PROVIDER_TOKEN}
    )
    return candidate


def export(user):
    response = client_for(user).get("/auth/users/me/export")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.json()


def test_a_candidates_export_holds_every_part_of_their_data():
    candidate = filled_candidate()

    document = export(candidate)

    assert document["account"]["email"] == candidate.email and document["account"]["name"] == "Ann Lee"
    for section in ("profile", "experience", "availability", "role"):
        assert document[section]["user"] == candidate.pk, section
    assert document["profile"]["phone"]  # their own contact details, unlike a company's view
    assert document["profile"]["photo"].startswith("http://testserver/media/photos/")
    assert document["profile"]["photo_thumbnail"]
    assert [skill["name"] for skill in document["skills"]] == ["Python"]
    assert len(document["education"]) == 1
    assert len(document["assessment"]["answers"]) == 1
    assert document["assessment"]["result"]["answered"] == 1
    [application] = document["applications"]
    assert application["cover_note"] == "I love APIs"
    assert [event["to_stage"] for event in application["history"]] == ["applied", "screening"]
    assert application["history"][1]["note"] == "Strong on Django"
    [link] = document["sign_in_links"]
    assert (link["provider"], link["uid"]) == ("github", "4242")
    assert set(link) == {"provider", "uid", "created", "modified"}
    assert "access_log" in document


def test_an_export_holds_no_secret_nor_permission_flag():
    candidate = filled_candidate()
    candidate.refresh_from_db()

    text = json.dumps(export(candidate))

    assert candidate.password not in text
    assert PROVIDER_TOKEN not in text
    for key in (
        "password",
        "extra_data",
        "access_token",
        "is_staff",
        "is_superuser",
        "token_version",
        "groups",
    ):
        assert f'"{key}"' not in text, key


def test_a_companys_export_holds_its_profile_and_jobs_and_no_candidate():
    company = CompanyFactory()
    CompanyProfileFactory(user=company, name="Acme")
    job = JobFactory(user=company, title="Backend")
    JobSkillFactory(job=job, name="Go", rating=6)
    applicant = ApplicationFactory(job=job).candidate

    document = export(company)

    assert document["company_profile"]["name"] == "Acme"
    assert [(j["title"], j["skills"]) for j in document["jobs"]] == [
        ("Backend", [{"name": "Go", "rating": 6}])
    ]
    assert "applications" not in document and "profile" not in document
    assert applicant.email not in json.dumps(document)


def test_the_export_needs_a_token_and_is_in_the_schema():
    assert client_for().get("/auth/users/me/export").status_code == 401
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "get" in paths["/auth/users/me/export"]


def test_the_export_holds_the_access_ledger_of_each_side(api_client):
    candidate, company, other = CandidateFactory(), CompanyFactory(), CandidateFactory()
    ProfileFactory(user=candidate)
    ProfileFactory(user=other)
    reader = client_for(company)
    assert reader.get(f"/user/profile/{candidate.pk}/user").status_code == 200
    assert reader.get(f"/user/profile/{other.pk}/user").status_code == 200

    mine = json.loads(client_for(candidate).get("/auth/users/me/export").content)["access_log"]
    theirs = json.loads(reader.get("/auth/users/me/export").content)["access_log"]

    assert [(entry["company"], entry["candidate"]) for entry in mine] == [(company.pk, candidate.pk)]
    assert sorted(entry["candidate"] for entry in theirs) == sorted([candidate.pk, other.pk])
