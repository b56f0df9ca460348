"""Every free-text field a client writes goes through the one text rule (helpers/text.py, issue 21).

The serializers are found the way the OpenAPI description finds them: from every view the URL
configuration reaches, the serializer each body-carrying operation reads. A new text field that is a
plain `CharField` fails here until it is a `CleanCharField` (or is named below with its reason).
"""

import pytest
from django.apps import apps
from django.db import models
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from accounts.tests.factories import CandidateFactory
from helpers.testing import client_for
from helpers.text import CleanCharField
from jobs.tests.factories import ApplicationFactory, JobFactory

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PROJECT_APPS = {"accounts", "profiles", "jobs", "assessments", "privacy"}

NOT_TEXT = {
    # Secrets: checked against a hash or a validator, never stored as written nor shown to anyone.
    "password": "a secret",
    "re_password": "a secret",
    "current_password": "a secret",
    "new_password": "a secret",
    "re_new_password": "a secret",
    # Opaque values that are parsed or compared, never stored or displayed as text.
    "token": "a signed token",
    "refresh": "a signed token",
    "uid": "an encoded id",
    "code": "a provider's one-time code",
    "state": "a provider sign-in state, compared with the session",
    "error": "a provider's error code, only compared",
    "error_description": "a provider's message, logged only",
    "redirect_uri": "compared with the allowed redirect URIs",
    "email": "the sign-in email, only looked up (EmailField where an address is stored)",
}

NOT_WRITTEN_BY_CLIENTS = {
    "accounts.FailedEmail": "mail the portal composed itself",
    "assessments.Question": "questions come from staff (import_questions, the admin)",
}


def request_serializers():
    """(operation, serializer instance) for every operation with a body, as drf-spectacular sees them."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, _, method, callback in generator.endpoints:
        if method not in BODY_METHODS:
            continue
        view = generator.create_view(callback, method)
        serializer = view.schema.get_request_serializer()
        if serializer is not None:
            yield f"{method} {path}", serializer() if isinstance(serializer, type) else serializer


def text_fields(serializer, prefix=""):
    """(dotted name, field) for every writable CharField of `serializer`, nested serializers included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from text_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.CharField) and not isinstance(field, serializers.EmailField):
            yield f"{prefix}{name}", field


def walked_fields():
    return {
        (operation, type(serializer).__name__, name): field
        for operation, serializer in request_serializers()
        for name, field in text_fields(serializer)
    }


@pytest.fixture(scope="module")
def fields():
    return walked_fields()


def test_the_walk_finds_the_free_text_fields_of_every_app(fields):
    """Guards the test itself: the walk reaches sections, jobs, the pipeline and the account."""
    names = {(serializer, name) for _, serializer, name in fields}
    assert {
        ("ProfileSerializer", "bio"),
        ("JobSerializer", "description"),
        ("ApplySerializer", "cover_note"),
        ("StageChangeSerializer", "note"),
        ("UserSerializer", "name"),
    } <= names


def test_every_text_field_a_client_writes_goes_through_the_text_rule(fields):
    unruled = sorted(
        f"{operation}: {serializer}.{name} is a {type(field).__name__}"
        for (operation, serializer, name), field in fields.items()
        if not isinstance(field, CleanCharField) and name.split(".")[-1] not in NOT_TEXT
    )
    assert unruled == []


def test_every_model_text_field_a_client_writes_allows_lines_and_nothing_else(fields):
    """A model TextField is long text: written through the multiline rule, or not by clients at all."""
    multiline = {
        name.split(".")[-1] for (_, _, name), field in fields.items() if getattr(field, "multiline", False)
    }
    missing = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and model._meta.label not in NOT_WRITTEN_BY_CLIENTS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable and field.name not in multiline
    )
    assert missing == []


HOSTILE = {
    "direction override": "Hello \u202eevil",
    "zero-width space": "Hi\u200b there",
    "terminal escape": "red \x1b[31m text",
}


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_cover_notes_and_stage_notes_refuse_what_every_other_text_field_refuses(text):
    application = ApplicationFactory(job=JobFactory())

    applied = client_for(CandidateFactory()).post(
        f"/job/{application.job_id}/apply", {"cover_note": text}, format="json"
    )
    moved = client_for(application.job.user).patch(
        f"/job/applications/{application.pk}", {"stage": "screening", "note": text}, format="json"
    )

    assert applied.status_code == 400 and "cover_note" in applied.json()
    assert moved.status_code == 400 and "note" in moved.json()
    application.refresh_from_db()
    assert application.stage == "applied"
