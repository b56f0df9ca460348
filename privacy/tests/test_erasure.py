"""DELETE /auth/users/me/ erases the person and leaves companies anonymous hiring records (issue 21).

The main test is generic: every model with a key to the account gets a row for the candidate with a
unique marker in every text field (and a stored file for every file field), so a model or field
added later is covered without a change here. After the erasure, no table and no stored file may
hold any marker.
"""

import secrets
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models
from django.utils import timezone

from accounts.models import FailedEmail, UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory, CompanyFactory
from assessments.models import Answer, Question
from assessments.tests.factories import AnswerFactory, QuestionFactory
from helpers.testing import client_for
from jobs.models import Application, ApplicationEvent, Job
from jobs.tests.factories import ApplicationFactory, JobFactory
from profiles.models import Company, Profile
from profiles.tests.factories import CompanyProfileFactory, ProfileFactory
from webhooks.sealing import SealedSecretField
from webhooks.services import secret_new

pytestmark = pytest.mark.django_db

# Rows of models that do not belong to the candidate, made when a candidate's row points at one.
OTHERS = {
    Job: lambda values: JobFactory(),
    Question: lambda values: QuestionFactory(),
    Answer: lambda values: AnswerFactory(question=values["question"]),
    ContentType: lambda values: ContentType.objects.get_for_model(UserAccount),
}
NOT_FILLED = {"erased_at", "password"}  # set by the erasure itself; a real password is set below


MARKER_LENGTH = 14  # "mk" and 12 hex digits


class Marked:
    """Fills rows for one candidate with unique markers and remembers every marker it wrote."""

    def __init__(self):
        self.markers = []
        self.rows = {}

    def marker(self, length=255) -> str:
        value = f"mk{secrets.token_hex(6)}"[:length]
        self.markers.append(value.lower())
        return value

    def value(self, field, values):
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, models.EmailField):
            return f"{self.marker()}@example.com"
        if isinstance(field, models.GenericIPAddressField):
            address = (
                f"10.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}"
            )
            self.markers.append(address)
            return address
        if isinstance(field, SealedSecretField):  # never in the clear in a table: no marker to find
            return secret_new()
        if isinstance(field, models.FileField):
            name = self.marker()
            return default_storage.save(f"{field.upload_to}{name}.png", ContentFile(name.encode()))
        if isinstance(field, models.CharField | models.TextField):
            if field.max_length and field.max_length < MARKER_LENGTH:
                # An ISO code: filled but not a marker (a 2-letter one would match random hashes anywhere).
                return "X" * field.max_length
            return self.marker(field.max_length or 255)
        if isinstance(field, models.JSONField):
            return {"note": self.marker()}
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return date.today()
        if isinstance(field, models.IntegerField):
            return 1
        return field.get_default()

    def row(self, model, candidate):
        if model in self.rows:
            return self.rows[model]
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in NOT_FILLED:
                continue
            if field.is_relation:
                target = field.related_model
                if target is UserAccount:
                    values[field.name] = candidate if model is not UserAccount else None
                elif target in OTHERS:
                    values[field.name] = OTHERS[target](values)
                else:
                    values[field.name] = self.row(target, candidate)
            elif field.editable or isinstance(field, models.FileField | models.CharField | models.TextField):
                values[field.name] = self.value(field, values)
        self.rows[model] = model._base_manager.create(**values)
        return self.rows[model]


def models_pointing_at_accounts():
    return [
        model
        for model in apps.get_models()
        if model is not UserAccount
        and any(f.is_relation and f.related_model is UserAccount for f in model._meta.concrete_fields)
    ]


def database_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def storage_text() -> str:
    root = Path(settings.MEDIA_ROOT)
    files = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
    return "\n".join(f"{path.relative_to(root)} {path.read_bytes()!r}" for path in files).lower()


def erase(user, password=PASSWORD):
    return client_for(user).delete("/auth/users/me/", {"current_password": password}, format="json")


def test_no_marker_of_an_erased_candidate_is_left_in_any_table_or_stored_file(
    django_capture_on_commit_callbacks,
):
    marked = Marked()
    candidate = marked.row(UserAccount, None)
    for model in models_pointing_at_accounts():
        marked.row(model, candidate)
    application = marked.rows[Application]
    company = application.job.user
    client_for(company).patch(
        f"/job/applications/{application.pk}", {"stage": "screening", "note": marked.marker()}, format="json"
    )
    FailedEmail.objects.create(
        subject=marked.marker(),
        body=marked.marker(),
        from_email="x@portal.example",
        to=[candidate.email],
        attempts=1,
        error="451",
    )
    session = SessionStore()
    session["_auth_user_id"] = str(candidate.pk)
    session.create()
    candidate.set_password(PASSWORD)
    candidate.save(update_fields=["password"])
    marked_text = database_text() + storage_text()
    assert [marker for marker in marked.markers if marker not in marked_text] == []  # really written

    with django_capture_on_commit_callbacks(execute=True):
        response = erase(candidate)

    assert response.status_code == 204
    left = database_text() + storage_text()
    assert [line for line in left.splitlines() if any(marker in line for marker in marked.markers)] == []
    assert not Session.objects.filter(pk=session.session_key).exists()
    kept = Application.objects.get(pk=application.pk)
    assert kept.cover_note == "" and kept.stage == "withdrawn"
    assert ApplicationEvent.objects.filter(application=kept, note="[removed]").exists()


def test_the_tombstone_keeps_the_history_under_a_number_and_is_never_a_candidate():
    application = ApplicationFactory(cover_note="Hello, I am Ann")
    candidate = application.candidate

    assert erase(candidate).status_code == 204

    tombstone = UserAccount.objects.get(pk=candidate.pk)
    assert tombstone.name == f"Deleted candidate #{candidate.pk}"
    assert tombstone.email == f"deleted-{candidate.pk}@erased.invalid"
    assert not tombstone.is_active and not tombstone.has_usable_password() and tombstone.erased_at
    assert not UserAccount.objects.listed_candidates().filter(pk=candidate.pk).exists()
    company = client_for(CompanyFactory())
    assert candidate.pk not in [row["id"] for row in company.get("/user/list").json()]


def test_a_wrong_password_is_a_400_and_erases_nothing():
    ProfileFactory(user=(candidate := CandidateFactory()))

    response = erase(candidate, password="not-it")

    assert response.status_code == 400 and "current_password" in response.json()
    assert Profile.objects.filter(user=candidate).exists()


def test_tokens_stop_at_once_and_the_same_email_registers_again_as_a_new_person(api_client):
    candidate = CandidateFactory(email="ann@example.com")
    tokens = api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": PASSWORD}, format="json"
    ).json()
    me = client_for()
    me.credentials(HTTP_AUTHORIZATION=f"JWT {tokens['access']}")

    assert me.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json").status_code == 204

    assert me.get("/auth/users/me/").status_code == 401
    assert (
        api_client.post("/auth/jwt/refresh/", {"refresh": tokens["refresh"]}, format="json").status_code
        == 401
    )
    assert (
        api_client.post(
            "/auth/jwt/create/", {"email": "ann@example.com", "password": PASSWORD}, format="json"
        ).status_code
        == 401
    )
    body = {
        "name": "Ann",
        "email": "ann@example.com",
        "type": "user",
        "password": "Green-Lamp-77",
        "re_password": "Green-Lamp-77",
    }
    assert api_client.post("/auth/users/", body, format="json").status_code == 201
    again = api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": "Green-Lamp-77"}, format="json"
    )
    assert again.status_code == 200
    assert UserAccount.objects.get(email="ann@example.com").pk != candidate.pk


def test_the_detail_route_erases_as_well():
    application = ApplicationFactory()
    candidate = application.candidate

    response = client_for(candidate).delete(
        f"/auth/users/{candidate.pk}/", {"current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 204
    assert Application.objects.get(pk=application.pk).candidate.erased_at is not None


def test_a_company_that_deletes_itself_takes_its_jobs_and_their_applications_along(
    django_capture_on_commit_callbacks,
):
    profile = CompanyProfileFactory()
    company = profile.user
    application = ApplicationFactory(job=JobFactory(user=company))
    elsewhere = ApplicationFactory(candidate=application.candidate)

    with django_capture_on_commit_callbacks(execute=True):
        assert erase(company).status_code == 204

    assert not UserAccount.objects.filter(pk=company.pk).exists()
    assert not Company.objects.filter(pk=profile.pk).exists()
    assert not Job.objects.filter(user_id=company.pk).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert Application.objects.filter(pk=elsewhere.pk).exists()
    assert client_for(application.candidate).get("/job/applications").json()[0]["id"] == elsewhere.pk


def test_the_company_hears_candidate_erased_with_the_application_ids_only(settings):
    import json

    from webhooks.models import Endpoint, Message

    settings.WEBHOOK_ALLOW_PRIVATE = True
    application = ApplicationFactory()
    company, candidate = application.job.user, application.candidate
    Endpoint.objects.create(
        company=company, url="http://127.0.0.1:9/hook", events=["candidate.erased"], secret="whsec_dGVzdA=="
    )

    earlier = Message.objects.create(
        webhook_id="msg_earlier", company=company, type="application.created",
        body=json.dumps({"data": {"candidate": {"email": candidate.email}}}),
    )  # fmt: skip

    response = client_for(candidate).delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Message.objects.filter(pk=earlier.pk).exists()  # it carried the candidate's email
    (message,) = Message.objects.filter(type="candidate.erased")
    assert message.company == company
    assert json.loads(message.body)["data"] == {"applications": [application.pk]}
