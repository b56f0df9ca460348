"""`GET /auth/users/me/export`: everything held about the caller, as one JSON document.

The document reuses the shapes the API already answers (the profile sections, applications,
history), so what a person downloads reads like what they see. It never holds a password hash,
permission flags, tokens or a provider's `extra_data`: only what is listed in the serializers below.
"""

from django.db.models import Prefetch
from django.utils import timezone
from rest_framework import serializers
from social_django.models import UserSocialAuth

from accounts.models import UserAccount
from assessments.models import UserAnswer
from assessments.serializers import AssessmentResultSerializer
from assessments.services import assessment_result_for
from jobs.models import Application, ApplicationEvent, Job, JobSkill
from jobs.serializers import ApplicationEventSerializer, CandidateApplicationSerializer, JobSerializer
from privacy import ledger
from profiles import models as sections
from profiles import serializers as section_serializers


class ExportAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserAccount
        fields = ["id", "email", "name", "type", "searchable", "date_joined", "last_login"]
        read_only_fields = fields


class SignInLinkSerializer(serializers.ModelSerializer):
    """A provider the account signs in with: which one and the provider's id, never its tokens."""

    class Meta:
        model = UserSocialAuth
        fields = ["provider", "uid", "created", "modified"]
        read_only_fields = fields


class ExportAnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.text", read_only=True)
    answer = serializers.CharField(source="answer.text", read_only=True)

    class Meta:
        model = UserAnswer
        fields = ["question", "answer", "created_at"]
        read_only_fields = fields


class ExportAssessmentSerializer(serializers.Serializer):
    answers = ExportAnswerSerializer(many=True, read_only=True)
    result = AssessmentResultSerializer(read_only=True)


class ExportApplicationSerializer(CandidateApplicationSerializer):
    """An application as its candidate sees it, with the whole history, recruiters' notes included."""

    history = serializers.SerializerMethodField()

    class Meta(CandidateApplicationSerializer.Meta):
        fields = [*CandidateApplicationSerializer.Meta.fields, "history"]
        read_only_fields = fields

    def get_history(self, application) -> list[dict]:
        context = {"candidate_id": application.candidate_id}
        return ApplicationEventSerializer(application.events.all(), many=True, context=context).data


class ExportJobSerializer(JobSerializer):
    skills = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "skills"]
        list_serializer_class = serializers.ListSerializer

    def get_skills(self, job) -> list[dict]:
        return [{"name": skill.name, "rating": skill.rating} for skill in job.skills.all()]


class _Document(serializers.Serializer):
    exported_at = serializers.DateTimeField(read_only=True)
    account = ExportAccountSerializer(read_only=True)
    sign_in_links = SignInLinkSerializer(many=True, read_only=True)
    access_log = ledger.AccessEntrySerializer(many=True, read_only=True)


def _one(serializer_class):
    return serializer_class(read_only=True, allow_null=True)


def _many(serializer_class):
    """A section list rendered from instances (the sections' own list class reads values rows)."""
    return serializers.ListSerializer(child=serializer_class(), read_only=True)


class CandidateExportSerializer(_Document):
    """A developer's data: account, every profile section, assessment, applications, access ledger."""

    profile = _one(section_serializers.ProfileSerializer)
    experience = _one(section_serializers.ExperienceSerializer)
    availability = _one(section_serializers.AvailabilitySerializer)
    role = _one(section_serializers.RoleSalarySerializer)
    education = _many(section_serializers.EducationSerializer)
    skills = _many(section_serializers.UserSkillSerializer)
    assessment = ExportAssessmentSerializer(read_only=True)
    applications = ExportApplicationSerializer(many=True, read_only=True)


class CompanyExportSerializer(_Document):
    """A company's data: account, company profile, jobs with their skills, its own ledger entries."""

    company_profile = _one(section_serializers.CompanyProfileSerializer)
    jobs = ExportJobSerializer(many=True, read_only=True)


def _document(account: UserAccount) -> dict:
    return {
        "exported_at": timezone.now(),
        "account": account,
        "sign_in_links": UserSocialAuth.objects.filter(user=account).order_by("id"),
        "access_log": ledger.entries_of(account),
    }


def candidate_export(account: UserAccount) -> dict:
    """The instances `CandidateExportSerializer` renders; a fixed number of queries."""
    own = {"user": account}
    applications = (
        Application.objects.filter(candidate=account)
        .select_related("job")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")))
        .order_by("created_at", "id")
    )
    return {
        **_document(account),
        "profile": sections.Profile.objects.filter(**own).first(),
        "experience": sections.Experience.objects.filter(**own).first(),
        "availability": sections.Availability.objects.filter(**own).first(),
        "role": sections.RoleSalary.objects.filter(**own).first(),
        "education": sections.Education.objects.filter(**own),
        "skills": sections.UserSkill.objects.filter(**own).order_by("id"),
        "assessment": {
            "answers": UserAnswer.objects.filter(**own).select_related("question", "answer"),
            "result": assessment_result_for(account),
        },
        "applications": applications,
    }


def company_export(account: UserAccount) -> dict:
    return {
        **_document(account),
        "company_profile": sections.Company.objects.filter(user=account).first(),
        "jobs": Job.objects.filter(user=account)
        .prefetch_related(Prefetch("skills", queryset=JobSkill.objects.order_by("id")))
        .order_by("created_at", "id"),
    }


def export_document(account: UserAccount, *, context: dict) -> dict:
    """The rendered export of `account` (a developer's or a company's)."""
    if account.is_candidate:
        return CandidateExportSerializer(candidate_export(account), context=context).data
    return CompanyExportSerializer(company_export(account), context=context).data
