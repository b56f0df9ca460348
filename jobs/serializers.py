from django.http import Http404
from rest_framework import serializers

from assessments.serializers import AssessmentSummarySerializer
from helpers.filters import MAX_ID
from helpers.geo import RemoteRegionsField, country_field, currency_field
from helpers.renderers import ValuesListSerializer, _iso_datetime
from helpers.text import CleanCharField, CleanTextSerializerMixin
from jobs.models import (
    Application,
    ApplicationEvent,
    CompanySize,
    HiringNeeds,
    Job,
    JobSkill,
    RejectionReason,
    Source,
    Stage,
    job_terms_errors,
    normalise_choice,
)


class NormalisedChoiceField(serializers.ChoiceField):
    """A choice matched case-insensitively, stored in its canonical spelling (`Part time` -> `Part Time`)."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_choice(data, self.choices))


TERMS = [
    "workplace",
    "city",
    "country",
    "remote_regions",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "employment_type",
    "seniority",
    "valid_through",
]
"""The job's optional where/how/how-much fields (issue 23); the SPA sends none of them."""


class JobSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """One shape for every job response; `user` (the owner id) always comes from the token."""

    hiring_needs = NormalisedChoiceField(choices=HiringNeeds.choices)
    current_employees = NormalisedChoiceField(choices=CompanySize.choices)
    status = NormalisedChoiceField(choices=Job.Status.choices, required=False)
    country = country_field(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    remote_regions = RemoteRegionsField(
        required=False, help_text="Countries or regions (EU, EEA, EFTA, DACH, NORDICS); none: anywhere."
    )
    salary_currency = currency_field(required=False, allow_blank=True, help_text="ISO 4217, e.g. EUR.")

    class Meta:
        model = Job
        fields = [
            "id",
            "user",
            "title",
            "description",
            "work_email",
            "hiring_needs",
            "current_employees",
            "name",
            "phone",
            "website",
            "status",
            *TERMS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "user", "created_at", "updated_at"]
        list_serializer_class = ValuesListSerializer

    def validate(self, attrs):
        """Salary range, currency and remote regions checked together, with what a PATCH leaves as is."""
        current = {name: getattr(self.instance, name) for name in TERMS} if self.instance else {}
        merged = {name: attrs.get(name, current.get(name)) for name in TERMS}
        errors = job_terms_errors(
            workplace=merged["workplace"] or "",
            remote_regions=merged["remote_regions"] or [],
            salary_min=merged["salary_min"],
            salary_max=merged["salary_max"],
            salary_currency=merged["salary_currency"] or "",
        )
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        return attrs


class OwnedJobField(serializers.PrimaryKeyRelatedField):
    """A job id that must name one of the caller's jobs.

    Anything else (unknown, or another company's) is a 404, so the answer does not reveal whether
    someone else's job exists (api-contract 5, `job` in POST /job/skills).
    """

    def get_queryset(self):
        return Job.objects.filter(user=self.context["request"].user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if error.detail and error.detail[0].code == "does_not_exist":
                raise Http404("No job of yours has this id.") from error
            raise


class JobSkillSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """A job's required skill; the name is stored canonically and once per job, whatever its spelling."""

    job = OwnedJobField()
    rating = serializers.IntegerField(min_value=1, max_value=10)

    class Meta:
        model = JobSkill
        fields = ["id", "job", "name", "rating"]
        list_serializer_class = ValuesListSerializer

    def validate_name(self, value):
        """The stored spelling (the model field's rule), so the duplicate check below compares like."""
        return JobSkill._meta.get_field("name").to_python(value)

    def validate(self, attrs):
        job = attrs.get("job") or self.instance.job
        name = attrs.get("name")
        if name is not None:
            duplicates = JobSkill.objects.filter(job=job, name__iexact=name)
            if self.instance is not None:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise serializers.ValidationError({"name": [f"This job already requires {name}."]})
        return attrs


class JobSkillUpdateSerializer(JobSkillSerializer):
    """Correcting a skill changes its name or rating; it never moves to another job."""

    job = serializers.PrimaryKeyRelatedField(read_only=True)


# --- Recommendations: request and filter bodies, and the shapes of ranked items (for the schema) ---


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
    """A ranked candidate: no contact details, since they have not applied (README, Privacy)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
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


# --- The hiring pipeline ------------------------------------------------------------------------


class ApplySerializer(serializers.Serializer):
    cover_note = CleanCharField(multiline=True, max_length=5000, required=False, allow_blank=True, default="")


class CandidateApplicationSerializer(serializers.ModelSerializer):
    """An application as its candidate sees it (GET /job/applications, apply, withdraw)."""

    job = serializers.IntegerField(source="job_id", read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    company = serializers.CharField(source="job.name", read_only=True, help_text="Company name on the job.")

    class Meta:
        model = Application
        fields = [
            "id",
            "job",
            "job_title",
            "company",
            "stage",
            "source",
            "cover_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StageChangeSerializer(serializers.Serializer):
    """PATCH /job/applications/<id>: the move's rules are checked by jobs.services.application_move."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.ChoiceField(choices=RejectionReason.choices, required=False, default="")
    note = CleanCharField(multiline=True, max_length=5000, required=False, allow_blank=True, default="")


class ManagedApplicationSerializer(serializers.ModelSerializer):
    """An application as the company sees it after a move."""

    class Meta:
        model = Application
        fields = ["id", "job", "candidate", "stage", "source", "cover_note", "created_at", "updated_at"]
        read_only_fields = fields


class ApplicationEventSerializer(serializers.ModelSerializer):
    """One history row. `by` says who made the change; recruiters' `note` is left out for the candidate."""

    by = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["id", "from_stage", "to_stage", "reason", "note", "by", "created_at"]
        read_only_fields = fields

    def get_by(self, event) -> str:
        if event.actor_id is None:
            return "unknown"
        return "candidate" if event.actor_id == self.context["candidate_id"] else "company"

    def to_representation(self, event):
        data = super().to_representation(event)
        if self.context.get("hide_notes"):
            data.pop("note")
        return data


class CandidateSkillSerializer(serializers.Serializer):
    name = serializers.CharField()
    rating = serializers.IntegerField()


class ApplicantCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField(
        allow_null=True, help_text="Null until the candidate applies to one of your jobs (README, Privacy)."
    )
    phone = serializers.CharField(allow_null=True, help_text="From the profile; null as `email` is.")
    skills = CandidateSkillSerializer(many=True)


class ApplicantSerializer(serializers.Serializer):
    """Describes `applicant_item` for the schema (items are built as plain dicts, for speed)."""

    id = serializers.IntegerField(help_text="The application's id.")
    stage = serializers.ChoiceField(choices=Stage.choices)
    source = serializers.ChoiceField(choices=Source.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    candidate = ApplicantCandidateSerializer()
    rate = serializers.IntegerField(help_text="0-100, as in POST /user/recommend/list.")
    explanation = serializers.DictField(help_text="As in POST /user/recommend/list.")
    assessment = AssessmentSummarySerializer(allow_null=True)


_datetime = _iso_datetime(serializers.DateTimeField())


def candidate_public_data(candidate_id: int, name: str, email, phone, skills) -> dict:
    """What a company is shown of an applicant. The one place that shapes a candidate in the pipeline.

    `email` and `phone` are None unless the candidate shared them (jobs.contact.shares_contact).
    """
    return {
        "id": candidate_id,
        "name": name,
        "email": email,
        "phone": phone,
        "skills": [{"name": skill, "rating": rating} for skill, rating in skills],
    }


def applicant_item(applicant, assessment, explanation) -> dict:
    """One item of GET /job/<id>/applications (see ApplicantSerializer); `explanation` may be pre-rendered."""
    return {
        "id": applicant.application_id,
        "stage": applicant.stage,
        "source": applicant.source,
        "created_at": _datetime(applicant.created_at),
        "updated_at": _datetime(applicant.updated_at),
        "candidate": candidate_public_data(
            applicant.candidate_id, applicant.name, applicant.email, applicant.phone, applicant.skills
        ),
        "rate": applicant.rate,
        "explanation": explanation,
        "assessment": assessment,
    }


def applicant_items(applicants, assessments: dict, encode) -> list[dict]:
    """The items of GET /job/<id>/applications; `encode` runs once per distinct explanation."""
    encoded = {}
    items = []
    for applicant in applicants:
        key = id(applicant.explanation)
        if key not in encoded:
            encoded[key] = encode(applicant.explanation)
        items.append(applicant_item(applicant, assessments.get(applicant.candidate_id), encoded[key]))
    return items
