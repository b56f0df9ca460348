"""The database itself refuses bad assessment data, whatever code path writes it."""

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import CandidateFactory
from assessments.models import Answer, Question, UserAnswer
from assessments.services import percent
from assessments.tests.factories import AnswerFactory, QuestionFactory, UserAnswerFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_an_answer_of_another_question():
    question = QuestionFactory()
    foreign = AnswerFactory(question=QuestionFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        UserAnswer.objects.create(user=CandidateFactory(), question=question, answer=foreign)
    assert not UserAnswer.objects.exists()


def test_database_refuses_repointing_a_stored_answer_to_a_foreign_option():
    stored = UserAnswerFactory()
    foreign = AnswerFactory(question=QuestionFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        UserAnswer.objects.filter(pk=stored.pk).update(answer=foreign)
    stored.refresh_from_db()
    assert stored.answer.question_id == stored.question_id


def test_database_refuses_moving_a_chosen_answer_to_another_question():
    stored = UserAnswerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=stored.answer_id).update(question=QuestionFactory())
    assert Answer.objects.get(pk=stored.answer_id).question_id == stored.question_id


def test_an_unchosen_answer_may_move_to_another_question():
    answer = AnswerFactory()
    target = QuestionFactory()
    Answer.objects.filter(pk=answer.pk).update(question=target)
    assert Answer.objects.get(pk=answer.pk).question == target


def test_database_refuses_a_second_answer_to_the_same_question():
    stored = UserAnswerFactory()
    other_option = AnswerFactory(question=stored.question)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserAnswer.objects.create(user=stored.user, question=stored.question, answer=other_option)


def test_question_positions_are_unique():
    QuestionFactory(position=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(text="Another?", position=7)


@pytest.mark.parametrize("model", ["question", "answer"])
def test_empty_texts_are_refused(model):
    with pytest.raises(IntegrityError), transaction.atomic():
        if model == "question":
            Question.objects.create(text="", position=1)
        else:
            Answer.objects.create(question=QuestionFactory(), text="")


def test_deleting_a_question_removes_its_answers_and_candidates_choices():
    stored = UserAnswerFactory()
    stored.question.delete()
    assert not Answer.objects.exists()
    assert not UserAnswer.objects.exists()


@pytest.mark.parametrize(
    "part, whole, expected",
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 200, 1), (1, 201, 0), (5, 5, 100)],
)
def test_percent_rounds_half_up_to_an_integer(part, whole, expected):
    assert percent(part, whole) == expected
