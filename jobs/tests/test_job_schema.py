"""The OpenAPI description covers every /job/ endpoint with the shapes the SPA reads."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/job/list", "get"),
        ("/job/last", "get"),
        ("/job/{id}", "patch"),
        ("/job/{id}/single", "get"),
        ("/job/skills", "post"),
        ("/job/skills/{job_id}", "get"),
        ("/job/skills/item/{id}", "delete"),
    ],
)
def test_schema_describes_job_endpoint(schema, path, method):
    assert method in schema["paths"][path]


def test_schema_says_single_job_is_an_array(schema):
    response = schema["paths"]["/job/{id}/single"]["get"]["responses"]["200"]

    assert response["content"]["application/json"]["schema"]["type"] == "array"


def test_schema_lists_the_job_list_filters(schema):
    names = {param["name"] for param in schema["paths"]["/job/list"]["get"]["parameters"]}

    assert {"search", "skill", "hiring_needs", "current_employees", "company", "ordering", "limit"} <= names
