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
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsCandidate, IsCompany, IsCompanyOrReadOnly, IsCompanyOrStaff
from assessments.selectors import assessment_summaries
from helpers.pagination import OptInLimitOffsetPagination
from helpers.renderers import LargeAnswerMixin, WholeListMixin, pre_rendered
from helpers.replica import LagTolerantReadMixin
from helpers.views import PartialPutMixin
from jobs import selectors, services
from jobs.filters import JobFilter, JobSkillFilter
from jobs.models import Application, Job, JobSkill, Stage
from jobs.selectors import (
    assessments_for,
    candidate_items,
    candidate_ranking_for_job,
    cycle_collector_paused,
    job_items,
    job_ranking,
    with_min_assessment,
)
from jobs.serializers import (
    ApplicantSerializer,
    ApplicationEventSerializer,
    ApplySerializer,
    CandidateApplicationSerializer,
    CandidateFilterSerializer,
    CandidateRecommendationRequestSerializer,
    JobSerializer,
    JobSkillSerializer,
    JobSkillUpdateSerializer,
    ManagedApplicationSerializer,
    RecommendationFilterSerializer,
    RecommendedCandidateSerializer,
    RecommendedJobSerializer,
    StageChangeSerializer,
    applicant_items,
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


class OpenJobListView(WholeListMixin, generics.ListAPIView):
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


class JobSkillListCreateView(WholeListMixin, generics.ListCreateAPIView):
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


class RankedListMixin(LargeAnswerMixin):
    """`?min_rate=` and opt-in `?limit=&offset=` over a list already sorted by `rate`, highest first."""

    pagination_class = OptInLimitOffsetPagination
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
class CandidatesForJobView(LagTolerantReadMixin, RankedListMixin, GenericAPIView):
    """POST /user/recommend/list: the job's owner (or staff) gets listed candidates scoring above 0.

    Another company's job is a 404, as everywhere a job is not the caller's.
    """

    permission_classes = [IsCompanyOrStaff]
    serializer_class = CandidateRecommendationRequestSerializer
    filter_serializer_class = CandidateFilterSerializer

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        filters = self.filters()
        with cycle_collector_paused():
            ranking = candidate_ranking_for_job(job_id=body.validated_data["job"], viewer=request.user)
            if ranking is None:
                raise NotFound("No such job.")
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


# --- The hiring pipeline ------------------------------------------------------------------------


class ApplyView(generics.GenericAPIView):
    """`POST /job/<id>/apply`: a candidate applies to an open job (404 for an unknown or closed one)."""

    permission_classes = [IsCandidate]
    serializer_class = ApplySerializer

    def get_queryset(self):
        return Job.objects.filter(status=Job.Status.OPEN)

    @extend_schema(responses={201: CandidateApplicationSerializer})
    def post(self, request, *args, **kwargs):
        job = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_apply(
            candidate=request.user, job=job, cover_note=body.validated_data["cover_note"]
        )
        return Response(CandidateApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class OwnApplicationListView(generics.ListAPIView):
    """`GET /job/applications`: the calling candidate's applications, newest first."""

    permission_classes = [IsCandidate]
    serializer_class = CandidateApplicationSerializer
    pagination_class = OptInLimitOffsetPagination
    filter_backends = []

    def get_queryset(self):
        return (
            Application.objects.filter(candidate_id=self.request.user.pk)
            .select_related("job")
            .order_by("-created_at", "-id")
        )


class WithdrawView(generics.GenericAPIView):
    """`POST /job/applications/<id>/withdraw`: the candidate who applied withdraws (final)."""

    permission_classes = [IsCandidate]
    serializer_class = CandidateApplicationSerializer

    def get_queryset(self):
        return Application.objects.filter(candidate_id=self.request.user.pk).select_related("job")

    @extend_schema(request=None)
    def post(self, request, *args, **kwargs):
        application = services.application_withdraw(application=self.get_object(), candidate=request.user)
        return Response(self.get_serializer(application).data)


class ApplicantListParams(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    ordering = serializers.ChoiceField(choices=selectors.APPLICANT_ORDERINGS, required=False, default="-rate")


class ApplicantListView(LargeAnswerMixin, generics.GenericAPIView):
    """`GET /job/<id>/applications`: for the job's company and portal staff; anyone else gets 404.

    Queries are constant: the token's user, the job with its skills, the applications with their
    candidates, the candidates' skills, and the assessment results of the page.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicantSerializer
    pagination_class = OptInLimitOffsetPagination
    filter_backends = []

    @extend_schema(
        responses=ApplicantSerializer(many=True),
        parameters=[
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter("ordering", str, enum=list(selectors.APPLICANT_ORDERINGS)),
            OpenApiParameter("limit", int, description="Opt-in pagination: an envelope of at most 100."),
            OpenApiParameter("offset", int),
        ],
        summary="A job's applicants, scored by the recommendation engine, with their assessment",
        operation_id="job_applicants_list",
    )
    def get(self, request, pk):
        params = ApplicantListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        job = selectors.job_for_ranking(pk, viewer=request.user)
        if job is None:
            raise Http404("No job of yours has this id.")
        with cycle_collector_paused():  # tens of thousands of small objects, no cycles (see selectors)
            applicants = selectors.job_applicants(
                job,
                stage=params.validated_data.get("stage"),
                ordering=params.validated_data["ordering"],
                all_contacts=request.user.is_portal_staff,
            )
            page = self.paginate_queryset(applicants)
            shown = applicants if page is None else page
            items = applicant_items(shown, selectors.applicant_assessments(job, shown), pre_rendered)
            return Response(items) if page is None else self.get_paginated_response(items)


@extend_schema_view(
    patch=extend_schema(request=StageChangeSerializer, responses=ManagedApplicationSerializer)
)
class ApplicationStageView(generics.GenericAPIView):
    """`PATCH /job/applications/<id>`: the job's company (or portal staff) moves an application."""

    permission_classes = [IsCompanyOrStaff]
    serializer_class = ManagedApplicationSerializer

    def get_queryset(self):
        return selectors.applications_managed_by(self.request.user)

    def patch(self, request, *args, **kwargs):
        application = self.get_object()
        body = StageChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_move(
            application=application, actor=request.user, **body.validated_data
        )
        return Response(self.get_serializer(application).data)


class ApplicationEventListView(generics.ListAPIView):
    """`GET /job/applications/<id>/events`: the history, oldest first, for the candidate and the company.

    The candidate does not see the recruiters' notes.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationEventSerializer
    pagination_class = OptInLimitOffsetPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        self.application = get_object_or_404(
            selectors.applications_readable_by(self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.events_of(self.application)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        application = getattr(self, "application", None)
        if application is not None:
            context["candidate_id"] = application.candidate_id
            context["hide_notes"] = application.candidate_id == self.request.user.pk
        return context
