"""`GET /job/facets`, and the validators (ETags) of the job lists the SPA repeats.

The facets take the filters of `GET /job/list` (jobs.filters.JobFilter) over the same jobs
(`visible_to`), and count with jobs.search.facets in three queries.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from helpers.views import ConditionalListMixin
from jobs import models, search
from jobs.filters import JobFilter
from jobs.models import EmploymentType, Job, JobDataVersion, Seniority, Workplace


def job_data_version() -> int:
    """The counter the database bumps on every write to jobs or their skills (one query)."""
    return JobDataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


class JobDataValidatorMixin(ConditionalListMixin):
    """A weak ETag from the job data version, the caller (who sees their own closed jobs) and the
    UTC day (a job past `valid_through` leaves the list at midnight without any write)."""

    def data_version(self):
        return f"{job_data_version()}-{self.request.user.pk}-{models.listing_day().isoformat()}"


def _counts(choices) -> serializers.Serializer:
    fields = {value: serializers.IntegerField() for value in choices.values}
    return type(f"{choices.__name__}Counts", (serializers.Serializer,), fields)()


class SkillCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Jobs matching the filters.")
    workplace = _counts(Workplace)
    employment_type = _counts(EmploymentType)
    seniority = _counts(Seniority)
    country = serializers.DictField(child=serializers.IntegerField(), help_text="{ISO code: jobs}")
    skills = SkillCountSerializer(many=True, help_text=f"The {search.FACET_SKILLS} most required skills.")


@extend_schema(responses=FacetsSerializer, summary="Counts of the jobs matching the filters, per facet")
class JobFacetsView(GenericAPIView):
    """`GET /job/facets?<the filters of /job/list>`: four queries (token's user, three counts)."""

    permission_classes = [IsAuthenticated]
    filterset_class = JobFilter
    serializer_class = FacetsSerializer
    pagination_class = None

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)

    def get(self, request):
        return Response(search.facets(self.filter_queryset(self.get_queryset())))


def jobs_filtered_for(request):
    """The open jobs `request`'s list filters (JobFilter) ask for, or None when it sends none.

    For GET /job/recommended, which ranks by score: `ordering` is ignored. A bad filter is a 400.
    """
    if not set(request.query_params) & (set(JobFilter.base_filters) - {"ordering"}):
        return None
    filterset = JobFilter(request.query_params, queryset=Job.objects.open(), request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs
