"""The public shapes of the job board: a job, its company's public profile, a careers page.

How to reach a company (the jobs' `work_email` and `phone`, the profile's `phone` and `address`)
is left out unless the company set `contact_public` on its profile. The address goes with the
phone: the SPA's company form stores each in the other's field (api-contract, section 8).
"""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.paths import careers_page_path, job_page_path
from board.selectors import public_profile
from jobs.models import Job
from jobs.serializers import TERMS
from profiles.models import Company
from profiles.serializers import picture_url_field

COMPANY_CONTACT_FIELDS = ("phone", "address")
JOB_CONTACT_FIELDS = ("work_email", "phone")


def contact_field():
    """Not read-only, so the schema does not call it required: it is absent unless the company opts in."""
    return serializers.CharField(
        required=False, help_text="Only when the company's `contact_public` is true."
    )


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class BoardCompanySerializer(serializers.ModelSerializer):
    """A company's public profile; `id` is the company account's (as `/job/list?company=` takes)."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    logo = picture_url_field()
    logo_thumbnail = picture_url_field()
    address = contact_field()
    phone = contact_field()
    careers_page = serializers.SerializerMethodField(help_text="This company's board: profile and open jobs.")

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "about",
            "website",
            "linkedin_link",
            "twitter_link",
            "logo",
            "logo_thumbnail",
            "address",
            "phone",
            "contact_public",
            "careers_page",
        ]
        read_only_fields = fields

    def get_careers_page(self, company) -> str:
        return absolute(self.context.get("request"), careers_page_path(company.user_id))

    def to_representation(self, company):
        data = super().to_representation(company)
        if not company.contact_public:
            for name in COMPANY_CONTACT_FIELDS:
                data.pop(name)
        return data


class BoardSkillSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    rating = serializers.IntegerField(read_only=True)


class BoardJobSerializer(serializers.ModelSerializer):
    """An open job as the world sees it, with the company's public profile and its page's URL."""

    work_email = contact_field()
    phone = contact_field()
    company = serializers.SerializerMethodField()
    skills = BoardSkillSerializer(many=True, read_only=True)
    page = serializers.SerializerMethodField(help_text="The job's public HTML page (schema.org JobPosting).")

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "description",
            "name",
            "website",
            "work_email",
            "phone",
            "hiring_needs",
            "current_employees",
            *TERMS,
            "skills",
            "company",
            "page",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @cached_property
    def company_serializer(self) -> BoardCompanySerializer:
        """One for the whole answer (a list shares its child): building a serializer's fields per
        job cost more than the page's queries."""
        return BoardCompanySerializer(context=self.context)

    @extend_schema_field(BoardCompanySerializer)
    def get_company(self, job) -> dict:
        return self.company_serializer.to_representation(public_profile(job.user, name=job.name))

    def get_page(self, job) -> str:
        return absolute(self.context.get("request"), job_page_path(job.pk))

    def to_representation(self, job):
        data = super().to_representation(job)
        if not data["company"]["contact_public"]:
            for name in JOB_CONTACT_FIELDS:
                data.pop(name)
        return data


class CareersPageSerializer(serializers.Serializer):
    """`GET /board/<company id>/`: the company's public profile and a page of its open jobs."""

    company = BoardCompanySerializer(read_only=True)
    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = BoardJobSerializer(many=True, read_only=True)
