from django.db.models import QuerySet
from django.http import Http404
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from helpers.filters import MAX_ID
from helpers.text import CleanTextSerializerMixin
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill, normalise_choice


class NormalisedChoiceField(serializers.ChoiceField):
    """A choice matched case-insensitively, stored in its canonical spelling (`Part time` -> `Part Time`)."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_choice(data, self.choices))


class ValuesListSerializer(serializers.ListSerializer):
    """Serialises a whole queryset from `.values()` rows instead of model instances.

    The SPA always reads /job/list and /job/skills whole (api-contract 2.4, one /job/skills per job
    card), and building 1,000 instances then calling 13 fields on each was most of the response
    time. The output is the child serializer's, value for value (test_job_serializers pins it);
    anything that is not a plain column (a page of instances, another field type) takes DRF's path.
    """

    PLAIN_FIELDS = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField)

    def to_representation(self, data):
        columns = self._columns()
        if not isinstance(data, QuerySet) or columns is None:
            return super().to_representation(data)
        return [
            {name: convert(row[column]) for name, (column, convert) in columns.items()}
            for row in data.values(*(column for column, _ in columns.values()))
        ]

    def _columns(self):
        """{output name: (values() column, converter)}, or None when a field is not a plain column."""
        columns = {}
        for name, field in self.child.fields.items():
            if isinstance(field, serializers.PrimaryKeyRelatedField) and field.source_attrs == [name]:
                columns[name] = (f"{name}_id", _same)
            elif isinstance(field, serializers.DateTimeField):
                columns[name] = (field.source, _iso_datetime(field))
            elif isinstance(field, self.PLAIN_FIELDS) and "." not in field.source:
                columns[name] = (field.source, _same)
            else:
                return None
        return columns


def _same(value):
    return value


def _iso_datetime(field):
    """DRF's ISO 8601 output (`...Z` for UTC) without its per-value settings lookups."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
        return field.to_representation
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def convert(value):
        if value is None or zone is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


class JobSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
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
