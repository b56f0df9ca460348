"""Input rules and output shapes of the profile sections (api-contract 2.1, 2.2, 2.6, 5).

Every section answers with `user` as the owner's integer id; a `user` sent in a body is ignored,
because the owner always comes from the token (the views save with `user=request.user`).
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import UserSerializer
from helpers.geo import RemoteRegionsField, currency_field
from helpers.images import PictureRejected, picture_from_upload
from helpers.renderers import ValuesListSerializer
from helpers.text import CleanTextSerializerMixin
from profiles import models

MAX_YEARS = 60


class SectionSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    """Shared by every section: `user` is output only, and a one-per-user section refuses a second row.

    `one_per_user` sections (profile, experience, availability, role, company) are shown by the SPA as
    element [0]; the unique constraint on `user` backs this check up under concurrent creates.
    """

    one_per_user = True
    contact_fields: tuple[str, ...] = ()
    """Fields that tell how to reach the owner: shown to the owner and staff only (README, Privacy)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.contact_fields and not self._viewer_may_contact(instance):
            for name in self.contact_fields:
                data.pop(name, None)
        return data

    def _viewer_may_contact(self, instance):
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        return viewer is not None and (viewer.is_portal_staff or viewer.pk == instance.user_id)

    def validate(self, attrs):
        if self.instance is None and self.one_per_user:
            existing = self.Meta.model.objects.filter(user=self.context["request"].user).first()
            if existing is not None:
                name = self.Meta.model._meta.verbose_name
                raise serializers.ValidationError(
                    f"You already have a {name} (id {existing.pk}); update it with PUT instead.",
                    code="exists",
                )
        return attrs

    def current(self, attrs, field):
        """The value `field` will have after this (possibly partial) write."""
        if field in attrs:
            return attrs[field]
        return getattr(self.instance, field, None)


def picture_url_field():
    """A stored picture as an absolute URL (the storage's own URL on S3), or null when there is none."""
    return serializers.FileField(read_only=True, allow_null=True, use_url=True)


class ProfileSerializer(SectionSerializer):
    contact_fields = ("phone",)
    photo = picture_url_field()
    photo_thumbnail = picture_url_field()

    class Meta:
        model = models.Profile
        fields = [
            "id",
            "user",
            "first_name",
            "last_name",
            "city",
            "country",
            "phone",
            "bio",
            "github_link",
            "linkedin_link",
            "photo",
            "photo_thumbnail",
        ]
        read_only_fields = ["user"]


class ExperienceSerializer(SectionSerializer):
    # The SPA sends these from text inputs, as strings like "4"; IntegerField converts them.
    years_of_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)
    years_of_remote_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)

    class Meta:
        model = models.Experience
        fields = ["id", "user", "years_of_experience", "years_of_remote_experience", "english_proficiency"]
        read_only_fields = ["user"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        total = self.current(attrs, "years_of_experience")
        remote = self.current(attrs, "years_of_remote_experience")
        if total is not None and remote is not None and remote > total:
            raise serializers.ValidationError(
                {"years_of_remote_experience": "Remote years cannot exceed total years of experience."}
            )
        return attrs


class AvailabilitySerializer(SectionSerializer):
    class Meta:
        model = models.Availability
        fields = ["id", "user", "availability_type", "ready_to_start_in"]
        read_only_fields = ["user"]


class RoleSalarySerializer(SectionSerializer):
    """The role and salary section; the job preferences (issue 23) are optional: the SPA sends none."""

    preferred_countries = RemoteRegionsField(
        regions=False, required=False, help_text='ISO 3166-1 alpha-2 codes, e.g. ["DE", "NL"].'
    )
    min_salary_currency = currency_field(required=False, allow_blank=True, help_text="ISO 4217, e.g. EUR.")

    class Meta:
        model = models.RoleSalary
        fields = [
            "id",
            "user",
            "preferred_role",
            "current_salary",
            "preferred_workplace",
            "preferred_countries",
            "min_salary",
            "min_salary_currency",
        ]
        read_only_fields = ["user"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.current(attrs, "min_salary") is not None and not self.current(attrs, "min_salary_currency"):
            raise serializers.ValidationError({"min_salary_currency": ["Say the currency of min_salary."]})
        return attrs


class BlankAsNullDateField(serializers.DateField):
    """A cleared date input arrives as `''`; it means "no date", like null."""

    def to_internal_value(self, value):
        if value == "":
            return None
        return super().to_internal_value(value)


class EducationSerializer(SectionSerializer):
    one_per_user = False
    start_date = serializers.DateField(input_formats=["%Y-%m-%d"])
    end_date = BlankAsNullDateField(input_formats=["%Y-%m-%d"], required=False, allow_null=True)

    class Meta:
        model = models.Education
        fields = ["id", "user", "degree", "college", "start_date", "end_date"]
        read_only_fields = ["user"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = self.current(attrs, "start_date")
        end = self.current(attrs, "end_date")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"end_date": "The end date cannot be before the start date."})
        return attrs


class UserSkillSerializer(SectionSerializer):
    """A skill `{id, user, name, rating}`; the name is stored in its canonical spelling."""

    one_per_user = False
    rating = serializers.IntegerField(min_value=1, max_value=10)

    class Meta:
        model = models.UserSkill
        fields = ["id", "user", "name", "rating"]
        read_only_fields = ["user"]
        # GET /user/user_skills/list is every candidate's skills, read whole by the SPA.
        list_serializer_class = ValuesListSerializer

    def validate_name(self, value):
        name = models.UserSkill._meta.get_field("name").to_python(value)
        owner = self.instance.user if self.instance is not None else self.context["request"].user
        same = models.UserSkill.objects.filter(user=owner, name__iexact=name)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise serializers.ValidationError(f"You already have the skill {name}.", code="exists")
        return name


class CompanyProfileSerializer(SectionSerializer):
    logo = picture_url_field()
    logo_thumbnail = picture_url_field()

    class Meta:
        model = models.Company
        fields = [
            "id",
            "user",
            "name",
            "about",
            "phone",
            "address",
            "website",
            "linkedin_link",
            "twitter_link",
            "logo",
            "logo_thumbnail",
            "contact_public",
        ]
        read_only_fields = ["user"]


@extend_schema_field({"type": "string", "format": "binary"})
class UploadedFileField(serializers.FileField):
    """A file part of a multipart body (documented as binary, not as the URL a FileField answers)."""


class PictureUploadSerializer(serializers.Serializer):
    """A multipart/form-data body with one file part, `image`.

    What the file is comes from its content, never its name or declared type. The validated `image`
    is the processed picture (`helpers.images.Picture`), ready to store.
    """

    image = UploadedFileField(
        help_text="A PNG, JPEG or WebP image, at most IMAGE_MAX_BYTES bytes and IMAGE_MAX_PIXELS pixels."
    )

    def validate_image(self, upload):
        try:
            return picture_from_upload(
                upload, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS
            )
        except PictureRejected as rejected:
            raise serializers.ValidationError(rejected.message, code=rejected.code) from rejected


class PublicCandidateSerializer(UserSerializer):
    """A candidate as companies read them: no contact details (README, Privacy), read-only."""

    class Meta(UserSerializer.Meta):
        fields = ["id", "name", "type"]
        read_only_fields = fields
        # GET /user/list is every listed candidate, read whole by the SPA.
        list_serializer_class = ValuesListSerializer
