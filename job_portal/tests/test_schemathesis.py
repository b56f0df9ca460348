"""The API keeps the promises of its OpenAPI description under generated input (schemathesis).

Every operation is called in-process through the WSGI app with data generated from the schema, as a
developer and as a company, with a fixed example budget (SCHEMATHESIS_EXAMPLES, default 15 per
operation) so CI time stays bounded. The checks: no 5xx, every response matches its documented
schema, status code and content type.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from helpers.testing import login_header
from job_portal.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


# Loaded once at collection, through the app itself (the schema view touches no database).
schema = schemathesis.openapi.from_wsgi("/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """As Django's test client does: the WSGI app would otherwise close the test's connection after
    each request (`close_old_connections`), ending the test transaction on PostgreSQL."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# derandomize: the same examples every run, so CI's verdict does not depend on luck.
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


def headers_of(user):
    """The caller's token; `identity` because the in-process WSGI call does not undo gzip (README,
    Compression), which would otherwise hide every body from the checks."""
    return {**login_header(user), "Accept-Encoding": "identity"}


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_its_promises_to_a_developer(case, candidate):
    case.call_and_validate(headers=headers_of(candidate), checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_its_promises_to_a_company(case, company):
    case.call_and_validate(headers=headers_of(company), checks=CHECKS)
