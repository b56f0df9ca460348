"""The /job/ endpoints of the SPA contract (api-contract 2.4, 2.7.1, 4, 5) and the recommendations.

Companies write their own jobs and skills; every logged-in account reads open jobs. Another
company's job is a 404, never a 403, so its existence is not confirmed.

Recommendation scores come from helpers.recommend (the formula lives there); data comes from
jobs.selectors in a fixed number of queries. Those responses are plain dicts rendered with orjson
(helpers.renderers): serializer instances would cost more than the whole database work; the
serializers only describe the shapes for the OpenAPI schema.
"""

from bisect import bisect_right

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsCandidate, IsCompany, IsCompanyOrReadOnly, IsCompanyOrStaff
from helpers.pagination import OptInLimitOffsetPagination
from helpers.renderers import FastJSONRenderer, pre_rendered
from helpers.views import PartialPutMixin
from jobs.filters import JobFilter, JobSkillFilter
from jobs.models import Job, JobSkill
from jobs.selectors import (
    candidate_items,
    candidate_ranking_for_job,
    cycle_collector_paused,
    job_items,
    job_ranking,
)
from jobs.serializers import (
    CandidateRecommendationRequestSerializer,
    JobSerializer,
    JobSkillSerializer,
    JobSkillUpdateSerializer,
    RecommendationFilterSerializer,
    RecommendedCandidateSerializer,
    RecommendedJobSerializer,
)


class OwnJobListCreateView(generics.ListCreateAPIView):
    """`GET /job/`: the caller's jobs, newest first, open and closed. `POST /job/`: post a job."""

    permission_classes = [IsCompany]
    serializer_class = JobSerializer
    filterset_class = JobFilter
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return Job.objects.filter(user_id=self.request.user.pk)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)


class LastJobView(generics.RetrieveAPIView):
    """`GET /job/last`: the job the caller created most recently, as one object (2.7.1); 404 if none."""

    permission_classes = [IsCompany]
    serializer_class = JobSerializer

    def get_object(self):
        job = Job.objects.filter(user_id=self.request.user.pk).order_by("-created_at", "-id").first()
        if job is None:
            raise Http404("You have not posted a job yet.")
        return job


class OpenJobListView(generics.ListAPIView):
    """`GET /job/list`: open jobs of every company, newest first, for both account types.

    The caller's own closed jobs are included too, as everywhere a job is read (`visible_to`).
    """

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer
    filterset_class = JobFilter
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)


class OwnJobDetailView(PartialPutMixin, generics.RetrieveUpdateDestroyAPIView):
    """`GET/PUT/PATCH/DELETE /job/<id>`: the owner's job; closing it is `PATCH {"status": "closed"}`."""

    permission_classes = [IsCompany]
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.filter(user_id=self.request.user.pk)


class SingleJobView(generics.GenericAPIView):
    """`GET /job/<id>/single`: the job as a one-element array, which the SPA reads as [0] (2.4)."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)

    @extend_schema(responses=JobSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response([self.get_serializer(self.get_object()).data])


class JobSkillListCreateView(generics.ListCreateAPIView):
    """`GET /job/skills`: skills of every job the caller can see (`?job=<id>` narrows it).

    `POST /job/skills`: a company adds a skill to one of its own jobs (one request per skill).
    """

    permission_classes = [IsAuthenticated, IsCompanyOrReadOnly]
    serializer_class = JobSkillSerializer
    filterset_class = JobSkillFilter
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return JobSkill.objects.filter(job__in=Job.objects.visible_to(self.request.user))


@extend_schema_view(get=extend_schema(operation_id="job_skills_of_job"))
class JobSkillsOfJobView(generics.ListAPIView):
    """`GET /job/skills/<job_id>`: one job's skills; `[]` for a job the caller cannot see."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSkillSerializer
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        visible = Job.objects.visible_to(self.request.user).filter(pk=self.kwargs.get("job_id"))
        return JobSkill.objects.filter(job__in=visible)


class OwnJobSkillDetailView(PartialPutMixin, generics.RetrieveUpdateDestroyAPIView):
    """`GET/PUT/PATCH/DELETE /job/skills/item/<id>`: a company corrects a skill of its own job."""

    permission_classes = [IsCompany]
    serializer_class = JobSkillUpdateSerializer

    def get_queryset(self):
        return JobSkill.objects.filter(job__user_id=self.request.user.pk)


# --- Recommendations ----------------------------------------------------------------------------


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

    def min_rate(self):
        params = RecommendationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data["min_rate"]

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
    parameters=LIST_PARAMETERS,
    summary="Candidates ranked for a job, with the reason for each score",
)
class CandidatesForJobView(RankedListMixin, GenericAPIView):
    """POST /user/recommend/list: the job's owner (or staff) gets listed candidates scoring above 0.

    Another company's job is a 404, as everywhere a job is not the caller's.
    """

    permission_classes = [IsCompanyOrStaff]
    serializer_class = CandidateRecommendationRequestSerializer

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        min_rate = self.min_rate()
        with cycle_collector_paused():
            ranking = candidate_ranking_for_job(job_id=body.validated_data["job"], viewer=request.user)
            if ranking is None:
                raise NotFound("No such job.")
            return self.ranked_response(
                ranking.ranked,
                min_rate,
                lambda items: candidate_items(items, ranking.people, pre_rendered),
            )


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
