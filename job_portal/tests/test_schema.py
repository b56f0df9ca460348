"""The OpenAPI description builds for every endpoint, without warnings, and is served."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_builds_valid_and_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, str(GENERATOR_STATS)
    for path in ["/auth/users/", "/auth/jwt/create/", "/user/profile", "/job/", "/job/list", "/question/all"]:
        assert path in schema["paths"], path


def test_the_schema_is_served_as_json(api_client):
    response = api_client.get("/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
