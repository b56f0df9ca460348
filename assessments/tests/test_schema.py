from drf_spectacular.generators import SchemaGenerator


def test_openapi_schema_describes_the_assessment_endpoints_without_is_correct():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = [path for path in schema["paths"] if path.startswith("/question/")]
    assert len(paths) == 7
    components = schema["components"]["schemas"]
    assert set(components["AssessmentResult"]["properties"]) == {
        "user",
        "answered",
        "correct",
        "total",
        "score",
        "finished",
    }
    assert set(components["AnswerOption"]["properties"]) == {"id", "question", "answer"}
    for name in ("Question", "AnswerOption", "UserAnswer", "AssessmentResult"):
        assert "is_correct" not in components[name]["properties"]
