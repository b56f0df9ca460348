from django.http import Http404
from rest_framework import serializers

from helpers.rendering import ValuesListSerializer
from helpers.skills import canonical_skill_name
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
        return canonical_skill_name(value)

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
