"""The /job/ endpoints of the SPA contract (api-contract 2.4, 2.7.1, 4, 5).

Companies write their own jobs and skills; every logged-in account reads open jobs. Another
company's job is a 404, never a 403, so its existence is not confirmed.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsCompany, IsCompanyOrReadOnly
from helpers.pagination import OptInLimitOffsetPagination
from helpers.rendering import WholeListMixin
from helpers.views import PartialPutMixin
from jobs.filters import JobFilter, JobSkillFilter
from jobs.models import Job, JobSkill
from jobs.serializers import JobSerializer, JobSkillSerializer, JobSkillUpdateSerializer


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
