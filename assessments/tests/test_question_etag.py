"""`GET /question/all` answers a repeat with 304 until a question changes (issue 23)."""

import pytest
from django.db import connection

from assessments.models import Question
from assessments.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_repeat_is_a_304_until_a_question_changes(candidate_client, django_assert_num_queries):
    question = QuestionFactory(text="Is it?")
    first = candidate_client.get("/question/all")
    tag = first["ETag"]

    with django_assert_num_queries(2):  # the token's user and the version; no list
        repeat = candidate_client.get("/question/all", HTTP_IF_NONE_MATCH=tag)
    Question.objects.filter(pk=question.pk).update(text="Is it really?")
    changed = candidate_client.get("/question/all", HTTP_IF_NONE_MATCH=tag)
    Question.objects.filter(pk=question.pk).delete()
    gone = candidate_client.get("/question/all", HTTP_IF_NONE_MATCH=changed["ETag"])

    assert tag.startswith('W/"')
    assert repeat.status_code == 304
    assert changed.status_code == 200
    assert changed.json()[0]["question"] == "Is it really?"
    assert gone.status_code == 200
    assert gone.json() == []


def test_the_version_triggers_exist():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'assessments_question_data_version'")
            expected = 1
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assessments_question'"
            )
            expected = 3
        assert len(cursor.fetchall()) == expected
