import factory

from accounts.tests.factories import CandidateFactory
from assessments import models


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Question

    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n + 1)
    is_active = True


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Answer

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False


class UserAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UserAnswer

    user = factory.SubFactory(CandidateFactory)
    question = factory.SubFactory(QuestionFactory)
    answer = factory.SubFactory(AnswerFactory, question=factory.SelfAttribute("..question"))
