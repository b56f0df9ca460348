"""Recommendation endpoints: candidates ranked for a job, and open jobs ranked for a candidate.

Scores come from helpers.recommend (the formula lives there); data comes from
jobs.recommendation_data in a fixed number of queries. Responses are plain dicts rendered with
orjson: a full ranking can hold tens of thousands of explained items, where serializer instances
and the standard library's encoder would cost more than the whole database work. The serializers
below describe the shapes for the OpenAPI schema.
"""

from bisect import bisect_right

import orjson
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from accounts.permissions import IsCandidate, IsCompanyOrStaff
from assessments.selectors import assessment_summaries
from assessments.serializers import AssessmentSummarySerializer
from helpers.pagination import OptInLimitOffsetPagination
from jobs.recommendation_data import (
    assessments_for,
    candidate_items,
    candidate_ranking,
    cycle_collector_paused,
    job_for_ranking,
    job_items,
    job_ranking,
    with_min_assessment,
)

MAX_ID = 2**63 - 1


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson underneath; DRF's encoder handles what orjson does not (lazy text)."""

    _fallback = JSONEncoder().default

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=self._fallback)


def pre_rendered(explanation: dict) -> orjson.Fragment:
    """An explanation as JSON the renderer copies verbatim.

    The matcher shares one explanation between all candidates with the same ratings (a few
    thousand distinct among 100,000 candidates), so encoding each once halves the rendering cost.
    """
    return orjson.Fragment(orjson.dumps(explanation))


class CandidateRecommendationRequestSerializer(serializers.Serializer):
    job = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Job id; a numeric string is accepted."
    )


class RecommendationFilterSerializer(serializers.Serializer):
    min_rate = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)


class CandidateFilterSerializer(RecommendationFilterSerializer):
    min_assessment = serializers.IntegerField(min_value=0, max_value=100, required=False, default=None)


class SkillExplanationSerializer(serializers.Serializer):
    name = serializers.CharField()
    job_rating = serializers.IntegerField()
    candidate_rating = serializers.IntegerField(allow_null=True)
    points = serializers.FloatField(help_text="Earned for this skill, before the availability factor.")
    points_lost = serializers.FloatField()


class ExplanationSerializer(serializers.Serializer):
    skills = SkillExplanationSerializer(many=True)
    availability_factor = serializers.FloatField(
        help_text="0.8 if the availability differs from the hiring needs."
    )
    missing_skills = serializers.ListField(child=serializers.CharField())


class RecommendedCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    rate = serializers.IntegerField(help_text="0-100, higher is better.")
    explanation = ExplanationSerializer()
    assessment = AssessmentSummarySerializer(allow_null=True)


class RecommendedJobSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    title = serializers.CharField()
    name = serializers.CharField(help_text="Company name shown on the job.")
    hiring_needs = serializers.CharField()
    rate = serializers.IntegerField(help_text="0-100, higher is better.")
    explanation = ExplanationSerializer()


LIST_PARAMETERS = [
    OpenApiParameter("min_rate", int, description="Only results scoring at least this (0-100)."),
    OpenApiParameter("limit", int, description="Opt-in pagination: answer with an envelope of at most 100."),
    OpenApiParameter("offset", int),
]


class RankedListMixin:
    """`?min_rate=` and opt-in `?limit=&offset=` over a list already sorted by `rate`, highest first."""

    pagination_class = OptInLimitOffsetPagination
    renderer_classes = [FastJSONRenderer]
    filter_backends = []

    filter_serializer_class = RecommendationFilterSerializer

    def filters(self) -> dict:
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def min_rate(self):
        return self.filters()["min_rate"]

    def ranked_response(self, ranked, min_rate, shape):
        """Cut `ranked` (items with a `rate`) at `min_rate`, page it, and shape only what is sent."""
        ranked = ranked[: bisect_right(ranked, -min_rate, key=lambda item: -item.rate)]
        page = self.paginate_queryset(ranked)
        if page is None:
            return Response(shape(ranked))
        return self.get_paginated_response(shape(page))


@extend_schema(
    request=CandidateRecommendationRequestSerializer,
    responses=RecommendedCandidateSerializer(many=True),
    parameters=[
        *LIST_PARAMETERS,
        OpenApiParameter(
            "min_assessment", int, description="Only candidates whose assessment percent is at least this."
        ),
    ],
    summary="Candidates ranked for a job, with the reason for each score",
)
class CandidatesForJobView(RankedListMixin, GenericAPIView):
    """POST /user/recommend/list: the job's owner (or staff) gets active developers scoring above 0."""

    permission_classes = [IsCompanyOrStaff]
    serializer_class = CandidateRecommendationRequestSerializer
    filter_serializer_class = CandidateFilterSerializer

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = job_for_ranking(body.validated_data["job"])
        if job is None:
            raise NotFound("No such job.")
        if job.owner_id != request.user.pk and not request.user.is_portal_staff:
            raise PermissionDenied("Only the job's owner can see its candidates.")
        filters = self.filters()
        with cycle_collector_paused():
            ranking = candidate_ranking(job.requirements)
            ranked, assessments = ranking.ranked, None
            if filters["min_assessment"] is not None:
                assessments = assessment_summaries()
                ranked = with_min_assessment(ranked, filters["min_assessment"], assessments)

            def shape(items):
                found = assessments if assessments is not None else assessments_for(items)
                return candidate_items(items, ranking.people, pre_rendered, found)

            return self.ranked_response(ranked, filters["min_rate"], shape)


@extend_schema(
    responses=RecommendedJobSerializer(many=True),
    parameters=LIST_PARAMETERS,
    summary="Open jobs ranked for the calling developer, with the reason for each score",
)
class JobsForCandidateView(RankedListMixin, GenericAPIView):
    """GET /job/recommended: open jobs in which the calling developer scores above 0."""

    permission_classes = [IsCandidate]
    serializer_class = RecommendedJobSerializer

    def get(self, request):
        min_rate = self.min_rate()
        ranking = job_ranking(request.user)
        return self.ranked_response(
            ranking.ranked, min_rate, lambda items: job_items(items, ranking.details, pre_rendered)
        )
