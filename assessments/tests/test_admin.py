"""Authoring the test in the admin, and reading candidates' answers there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import CandidateFactory
from assessments.models import Answer, Question, UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory, UserAnswerFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/assessments/question/add/"


def question_form(text="What is 6 x 7?", position=1, active=True, answers=(), initial=()):
    """The admin's POST for a question with inline answers: `answers` are (text, correct) pairs;
    `initial` are existing Answer rows, each (answer, correct, delete)."""
    data = {"text": text, "position": str(position), "_save": "Save"}
    if active:
        data["is_active"] = "on"
    rows = [(a.pk, a.text, correct, delete) for a, correct, delete in initial]
    rows += [(None, answer_text, correct, False) for answer_text, correct in answers]
    data.update(
        {
            "answers-TOTAL_FORMS": str(len(rows)),
            "answers-INITIAL_FORMS": str(len(initial)),
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (pk, answer_text, correct, delete) in enumerate(rows):
        data[f"answers-{index}-text"] = answer_text
        if pk:
            data[f"answers-{index}-id"] = str(pk)
        if correct:
            data[f"answers-{index}-is_correct"] = "on"
        if delete:
            data[f"answers-{index}-DELETE"] = "on"
    return data


def test_admin_saves_a_question_with_its_answers_and_the_correct_one(admin_client):
    response = admin_client.post(ADD_URL, question_form(answers=[("42", True), ("24", False)]))
    assert response.status_code == 302
    question = Question.objects.get()
    assert list(question.answers.values_list("text", "is_correct")) == [("42", True), ("24", False)]


def test_admin_refuses_an_active_question_without_a_correct_answer(admin_client):
    response = admin_client.post(ADD_URL, question_form(answers=[("42", False), ("24", False)]))
    assert response.status_code == 200
    assert "at least one answer marked correct" in response.content.decode()
    assert not Question.objects.exists()


def test_admin_saves_an_inactive_draft_without_a_correct_answer(admin_client):
    response = admin_client.post(ADD_URL, question_form(active=False, answers=[("maybe", False)]))
    assert response.status_code == 302
    assert Question.objects.get().is_active is False


def test_admin_refuses_deleting_the_only_correct_answer_of_an_active_question(admin_client):
    question = QuestionFactory()
    right = AnswerFactory(question=question, text="right", is_correct=True)
    wrong = AnswerFactory(question=question, text="wrong")
    response = admin_client.post(
        f"/admin/assessments/question/{question.pk}/change/",
        question_form(
            text=question.text,
            position=question.position,
            initial=[(right, True, True), (wrong, False, False)],
        ),
    )
    assert response.status_code == 200
    assert Answer.objects.filter(pk=right.pk, is_correct=True).exists()


def test_question_changelist_is_ordered_by_position_and_searchable(admin_client):
    QuestionFactory(position=2, text="Second about Python")
    QuestionFactory(position=1, text="First about Go")
    body = admin_client.get("/admin/assessments/question/").content.decode()
    assert body.index("First about Go") < body.index("Second about Python")
    searched = admin_client.get("/admin/assessments/question/?q=python").content.decode()
    assert "Second about Python" in searched
    assert "First about Go" not in searched


def _answered(user, question, correct):
    answer = AnswerFactory(question=question, is_correct=correct)
    return UserAnswerFactory(user=user, question=question, answer=answer)


def test_user_answer_changelist_shows_each_candidates_result(admin_client):
    ann = CandidateFactory(email="ann@example.com")
    first, second = QuestionFactory(), QuestionFactory()
    _answered(ann, first, True)
    _answered(ann, second, False)
    body = admin_client.get("/admin/assessments/useranswer/").content.decode()
    assert body.count("1/2 correct, 50% (2 answered)") == 2
    assert body.count("go_from_select = function") == 2  # both filters use the dropdown template


@pytest.mark.parametrize("flag, expected", [("yes", ["good@example.com"]), ("no", ["bad@example.com"])])
def test_user_answers_filter_by_correctness(admin_client, flag, expected):
    question = QuestionFactory()
    _answered(CandidateFactory(email="good@example.com"), question, True)
    _answered(CandidateFactory(email="bad@example.com"), question, False)
    body = admin_client.get(f"/admin/assessments/useranswer/?correct={flag}").content.decode()
    shown = [email for email in ("good@example.com", "bad@example.com") if email in body]
    assert shown == expected


def test_user_answers_filter_by_question(admin_client):
    one, two = QuestionFactory(), QuestionFactory()
    _answered(CandidateFactory(email="one@example.com"), one, True)
    _answered(CandidateFactory(email="two@example.com"), two, True)
    body = admin_client.get(f"/admin/assessments/useranswer/?question__id__exact={one.pk}").content.decode()
    assert "one@example.com" in body
    assert "two@example.com" not in body


def test_user_answer_changelist_query_count_does_not_grow_with_rows(admin_client):
    def queries_for_changelist():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/assessments/useranswer/").status_code == 200
        return len(captured)

    question = QuestionFactory()
    _answered(CandidateFactory(), question, True)
    with_one = queries_for_changelist()
    for _ in range(20):
        _answered(CandidateFactory(), QuestionFactory(), False)
    assert queries_for_changelist() == with_one


def test_user_answers_are_read_only_in_the_admin(admin_client):
    stored = UserAnswerFactory()
    other_option = AnswerFactory(question=stored.question)
    assert admin_client.get("/admin/assessments/useranswer/add/").status_code == 403
    change_url = f"/admin/assessments/useranswer/{stored.pk}/change/"
    assert admin_client.get(change_url).status_code == 200
    admin_client.post(
        change_url, {"answer": other_option.pk, "user": stored.user_id, "question": stored.question_id}
    )
    assert UserAnswer.objects.get(pk=stored.pk).answer_id == stored.answer_id
