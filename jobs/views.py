"""The /job/ endpoints of the SPA contract (api-contract 2.4, 2.7.1, 4, 5) and the recommendations.

Companies write their own jobs and skills; every logged-in account reads open jobs. Another
company's job is a 404, never a 403, so its existence is not confirmed.

Recommendation scores come from helpers.recommend (the formula lives there); rankings and the
pipeline's reads come from jobs.ranking and jobs.pipeline in a fixed number of queries, each with
the `items` that shape a page. Those responses are plain dicts rendered with orjson
(helpers.renderers): serializer instances would cost more than the whole database work; the
serializers only describe the shapes for the OpenAPI schema.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import access
from accounts.permissions import IsCandidate, IsCompany, IsCompanyOrReadOnly, IsCompanyOrStaff
from helpers.pagination import OptInLimitOffsetPagination
from helpers.renderers import CollectorPause, WholeListMixin
from helpers.replica import LagTolerantReadMixin
from helpers.views import PagedItemsMixin, PartialPutMixin
from jobs import pipeline, services, webhook_events
from jobs.filters import JobFilter, JobSkillFilter
from jobs.models import Application, Job, JobSkill, Stage
from jobs.preferences import jobs_for_candidate
from jobs.ranking import candidate_ranking_for_job
from jobs.search_views import JobDataValidatorMixin, jobs_filtered_for
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
)


class OwnJobListCreateView(generics.ListCreateAPIView):
    """`GET /job/`: the caller's jobs, newest first, open and closed. `POST /job/`: post a job."""

    permission_classes = [IsCompany]
    serializer_class = JobSerializer
    filterset_class = JobFilter
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return Job.objects.filter(user_id=self.request.user.pk)

    @transaction.atomic
    def perform_create(self, serializer):
        webhook_events.job_saved(serializer.save(user=self.request.user), previous_status=None)


class LastJobView(generics.RetrieveAPIView):
    """`GET /job/last`: the job the caller created most recently, as one object (2.7.1); 404 if none."""

    permission_classes = [IsCompany]
    serializer_class = JobSerializer

    def get_object(self):
        job = Job.objects.filter(user_id=self.request.user.pk).order_by("-created_at", "-id").first()
        if job is None:
            raise Http404("You have not posted a job yet.")
        return job


class OpenJobListView(JobDataValidatorMixin, WholeListMixin, generics.ListAPIView):
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

    @transaction.atomic
    def perform_update(self, serializer):
        previous_status = serializer.instance.status
        webhook_events.job_saved(serializer.save(), previous_status=previous_status)


class SingleJobView(generics.GenericAPIView):
    """`GET /job/<id>/single`: the job as a one-element array, which the SPA reads as [0] (2.4)."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)

    @extend_schema(responses=JobSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response([self.get_serializer(self.get_object()).data])


class JobSkillListCreateView(JobDataValidatorMixin, WholeListMixin, generics.ListCreateAPIView):
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


class RankedListMixin(PagedItemsMixin):
    """`?min_rate=` (and the view's other filters) validated for a ranked list."""

    filter_serializer_class = RecommendationFilterSerializer

    def filters(self) -> dict:
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


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

    Another company's job is a 404, as everywhere a job is not the caller's. A ranking is a listing
    (not recorded, not capped); once the company has reached its daily cap, the assessments of
    candidates it has not read today are withheld (`null`, and left out by `min_assessment`).
    """

    permission_classes = [IsCompanyOrStaff]
    serializer_class = CandidateRecommendationRequestSerializer
    filter_serializer_class = CandidateFilterSerializer

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        top = self.page_end()
        with CollectorPause() as pause:
            ranking = candidate_ranking_for_job(
                job_id=body.validated_data["job"], viewer=request.user, top=top, **self.filters()
            )
            if ranking is None:
                raise NotFound("No such job.")
            return pause.until_sent(self.paged_response(ranking.ranked, ranking.items, ranking.item_parts))


@extend_schema(
    responses=RecommendedJobSerializer(many=True),
    parameters=LIST_PARAMETERS,
    summary="Open jobs ranked for the calling developer, with the reason for each score",
)
class JobsForCandidateView(RankedListMixin, GenericAPIView):
    """GET /job/recommended: open jobs in which the calling developer scores above 0 (the list
    filters narrow them; preferences rank jobs lower, jobs.preferences)."""

    permission_classes = [IsCandidate]
    serializer_class = RecommendedJobSerializer

    def get(self, request):
        ranking = jobs_for_candidate(
            request.user, among=jobs_filtered_for(request), top=self.page_end(), **self.filters()
        )
        return self.paged_response(ranking.ranked, ranking.items)


# --- The hiring pipeline ------------------------------------------------------------------------


class ApplyView(generics.GenericAPIView):
    """`POST /job/<id>/apply`: a candidate applies to an open job (404: unknown, closed or expired)."""

    permission_classes = [IsCandidate]
    serializer_class = ApplySerializer

    def get_queryset(self):
        return Job.objects.open()

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
    ordering = serializers.ChoiceField(choices=pipeline.APPLICANT_ORDERINGS, required=False, default="-rate")


class ApplicantListView(PagedItemsMixin, generics.GenericAPIView):
    """`GET /job/<id>/applications`: for the job's company and portal staff; anyone else gets 404.

    The applicants shown are recorded in the access ledger (contact details when shared), not capped:
    they applied or were sourced to this company.

    Queries are constant: the token's user, the job with its skills, the applications with their
    candidates, the candidates' skills, and the assessment results of the page.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicantSerializer

    @extend_schema(
        responses=ApplicantSerializer(many=True),
        parameters=[
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter("ordering", str, enum=list(pipeline.APPLICANT_ORDERINGS)),
            OpenApiParameter("limit", int, description="Opt-in pagination: an envelope of at most 100."),
            OpenApiParameter("offset", int),
        ],
        summary="A job's applicants, scored by the recommendation engine, with their assessment",
        operation_id="job_applicants_list",
    )
    def get(self, request, pk):
        params = ApplicantListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        with CollectorPause():  # tens of thousands of small objects, no cycles
            top, filters = self.page_end(), params.validated_data
            applicants = pipeline.job_applicants(job_id=pk, viewer=request.user, top=top, **filters)
            if applicants is None:
                raise Http404("No job of yours has this id.")

            def recorded_items(shown, encode):
                """The page sent, recorded in the access ledger (contact details when shared)."""
                kinds = {row.candidate_id: access.CONTACT if row.email else access.PUBLIC for row in shown}
                access.candidate_reads_record(request, kinds, route="applicant", capped=False)
                return applicants.items(shown, encode)

            return self.paged_response(applicants.rows, recorded_items)


@extend_schema_view(
    patch=extend_schema(request=StageChangeSerializer, responses=ManagedApplicationSerializer)
)
class ApplicationStageView(generics.GenericAPIView):
    """`PATCH /job/applications/<id>`: the job's company (or portal staff) moves an application."""

    permission_classes = [IsCompanyOrStaff]
    serializer_class = ManagedApplicationSerializer

    def get_queryset(self):
        return pipeline.applications_managed_by(self.request.user)

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
            pipeline.applications_readable_by(self.request.user), pk=self.kwargs["pk"]
        )
        return pipeline.events_of(self.application)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        application = getattr(self, "application", None)
        if application is not None:
            context["candidate_id"] = application.candidate_id
            context["hide_notes"] = application.candidate_id == self.request.user.pk
        return context
