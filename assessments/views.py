"""The SPA's assessment endpoints (api-contract 2.5): every account reads, candidates answer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import candidate_read
from accounts.models import UserAccount
from accounts.permissions import IsCandidateOrReadOnly, IsRecruiterOrSelf
from assessments import services
from assessments.models import Answer, Question, QuestionDataVersion, UserAnswer
from assessments.serializers import (
    AnswerOptionSerializer,
    AssessmentResultSerializer,
    QuestionSerializer,
    UserAnswerSerializer,
)
from helpers.pagination import OptInLimitOffsetPagination
from helpers.views import ConditionalListMixin


class QuestionListView(ConditionalListMixin, generics.ListAPIView):
    """Every question of the test, in order; a weak ETag from the question data version (one query)."""

    permission_classes = [IsAuthenticated]
    serializer_class = QuestionSerializer
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return services.active_questions()

    def data_version(self):
        return QuestionDataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


class FirstQuestionView(generics.ListAPIView):
    """A one-element array with the first question, `[]` when the test is empty (the SPA reads [0])."""

    permission_classes = [IsAuthenticated]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        return services.active_questions()[:1]


class NextQuestionView(generics.ListAPIView):
    """A one-element array with the question after `pk` in position order; `[]` ends the test.

    `pk` may be an inactive question (deactivated mid-test): the test still moves on from its place.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Question.objects.none()
        current = get_object_or_404(Question.objects.only("position"), pk=self.kwargs["pk"])
        return services.active_questions().filter(position__gt=current.position)[:1]


class AnswerOptionListView(generics.ListAPIView):
    """Every option of every active question, without `is_correct`."""

    permission_classes = [IsAuthenticated]
    serializer_class = AnswerOptionSerializer
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return Answer.objects.filter(question__is_active=True).order_by("question__position", "id")


class SubmitAnswerView(generics.ListCreateAPIView):
    """GET: the caller's own answers. POST: a candidate answers one question, once."""

    permission_classes = [IsAuthenticated, IsCandidateOrReadOnly]
    serializer_class = UserAnswerSerializer
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no logged-in user
            return UserAnswer.objects.none()
        return UserAnswer.objects.filter(user=self.request.user).order_by("question__position", "id")


class OwnResultView(APIView):
    """The caller's result on the current test."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="question_result_own", responses=AssessmentResultSerializer)
    def get(self, request):
        result = services.assessment_result_for(request.user)
        return Response(AssessmentResultSerializer(result).data)


class CandidateResultView(APIView):
    """A candidate's result for companies (findable candidates only), staff and the candidate; else 404.

    A company's read is recorded (accounts/access.py, 429 past the daily cap).
    """

    permission_classes = [IsRecruiterOrSelf]

    @extend_schema(operation_id="question_result_of_candidate", responses=AssessmentResultSerializer)
    def get(self, request, user_id):
        candidate = get_object_or_404(UserAccount.objects.candidates_readable_by(request.user), pk=user_id)
        candidate_read(request, candidate.pk, route="assessment")
        result = services.assessment_result_for(candidate)
        return Response(AssessmentResultSerializer(result).data)
