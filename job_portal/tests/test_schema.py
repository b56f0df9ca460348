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


@pytest.mark.parametrize(
    ("path", "asset"),
    [
        ("/schema/swagger-ui/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/schema/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_the_docs_pages_load_their_assets_locally_never_from_a_cdn(api_client, path, asset):
    from django.contrib.staticfiles import finders

    response = api_client.get(path)
    page = response.content.decode()

    assert response.status_code == 200
    assert f"/static/{asset}" in page
    assert "cdn" not in page.lower() and "unpkg" not in page
    assert finders.find(asset), "the asset ships with the app (drf-spectacular-sidecar)"


def test_the_root_is_a_json_index_of_docs_probes_and_admin(api_client):
    response = api_client.get("/")

    assert response.status_code == 200
    assert response.json() == {
        "name": "job_portal API",
        "docs": {
            "swagger_ui": "http://testserver/schema/swagger-ui/",
            "redoc": "http://testserver/schema/redoc/",
            "openapi": "http://testserver/schema/",
        },
        "health": "http://testserver/health/",
        "ready": "http://testserver/ready/",
        "admin": "http://testserver/admin/",
    }


def test_lists_are_documented_as_a_bare_array_or_with_limit_a_page():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ok = schema["paths"]["/job/list"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]

    assert [variant.get("type") for variant in component["oneOf"]] == ["array", "object"]
    assert set(component["oneOf"][1]["properties"]) == {"count", "next", "previous", "results"}


def test_operations_document_their_error_answers_and_inputs_their_bounds():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    create_skill = schema["paths"]["/job/skills"]["post"]
    request = schema["components"]["schemas"]["JobSkillRequest"]["properties"]

    assert {"400", "401", "403", "404", "429"} - set(
        schema["paths"]["/auth/jwt/create/"]["post"]["responses"]
    ) == {"403"}
    assert {"400", "401", "403", "404"} <= set(create_skill["responses"])
    assert request["name"]["minLength"] == 1
    assert (request["rating"]["minimum"], request["rating"]["maximum"]) == (1, 10)
