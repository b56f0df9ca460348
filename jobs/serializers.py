from django.http import Http404
from rest_framework import serializers

from helpers.filters import MAX_ID
from helpers.renderers import ValuesListSerializer
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill, normalise_choice


class NormalisedChoiceField(serializers.ChoiceField):
    """A choice matched case-insensitively, stored in its canonical spelling (`Part time` -> `Part Time`)."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_choice(data, self.choices))


class JobSerializer(serializers.ModelSerializer):
    """One shape for every job response; `user` (the owner id) always comes from the token."""

    hiring_needs = NormalisedChoiceField(choices=HiringNeeds.choices)
    current_employees = NormalisedChoiceField(choices=CompanySize.choices)
    status = NormalisedChoiceField(choices=Job.Status.choices, required=False)

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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "user", "created_at", "updated_at"]
        list_serializer_class = ValuesListSerializer


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


class JobSkillSerializer(serializers.ModelSerializer):
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


class RecommendedJobSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    title = serializers.CharField()
    name = serializers.CharField(help_text="Company name shown on the job.")
    hiring_needs = serializers.CharField()
    rate = serializers.IntegerField(help_text="0-100, higher is better.")
    explanation = ExplanationSerializer()
