"""Admin for the profile sections, and the inlines they add to the account page (accounts/admin.py).

A recruiter reads the sections of the candidates they may see, without contact details unless the
candidate applied to their company (accounts.recruiters).

Photos and logos: thumbnails in the lists and on the pages; an upload on the profile's or company's
page passes the API's checks (helpers.images) and is stored by the same service (profiles.pictures);
during a storage outage nothing is saved and the page says why.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, DropdownFilter

from accounts.admin import ACCOUNT_INLINES
from accounts.models import UserAccount
from accounts.recruiters import CandidateRowsForRecruiters, acting_company_id
from helpers.admin import CanonicalSkillInlineFormSet, SkillRatingForm
from helpers.images import PictureRejected, picture_from_upload
from profiles import models, pictures

OWNER_SEARCH = ["user__email", "user__name"]


class OwnedRowAdmin(CandidateRowsForRecruiters, admin.ModelAdmin):
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    search_fields = OWNER_SEARCH


class PictureForm(forms.ModelForm):
    """The row's fields plus a new picture (checked like the API's) or a request to remove it."""

    new_picture = forms.FileField(
        required=False,
        label="Upload a picture",
        help_text="PNG, JPEG or WebP; it is stored upright, without metadata, at most 1024 px.",
    )
    remove_picture = forms.BooleanField(required=False, label="Remove the picture")

    def clean_new_picture(self):
        upload = self.cleaned_data.get("new_picture")
        if not upload:
            return None
        try:
            return picture_from_upload(
                upload, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS
            )
        except PictureRejected as rejected:
            raise forms.ValidationError(rejected.message, code=rejected.code) from rejected


def _image_tag(stored, side):
    if not stored:
        return "-"
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" style="object-fit: contain">', stored.url, side, side
    )


class PictureDisplayMixin:
    """Thumbnail columns and a preview, for the ModelAdmins and the inlines of profiles and companies."""

    @admin.display(description="picture")
    def thumbnail(self, row):
        return _image_tag(getattr(row, pictures.SLOTS[type(row)].thumbnail), 48)

    @admin.display(description="current picture")
    def picture_preview(self, row):
        if row is None or row.pk is None:
            return "-"
        return _image_tag(getattr(row, pictures.SLOTS[type(row)].picture), 256)


class PictureAdmin(PictureDisplayMixin, OwnedRowAdmin):
    form = PictureForm
    readonly_fields = ["picture_preview", *OwnedRowAdmin.readonly_fields]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A storage outage during an upload undoes the whole save (the admin's transaction) and
        brings the page back with the reason, as the API answers 503: never a 500."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except pictures.StorageUnavailable:
            self.message_user(
                request,
                "The picture storage is unavailable, so nothing was saved; try again shortly.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_picture"):
            pictures.picture_replace(row=obj, picture=form.cleaned_data["new_picture"])
        elif form.cleaned_data.get("remove_picture"):
            pictures.picture_remove(row=obj)


@admin.register(models.Profile)
class ProfileAdmin(PictureAdmin):
    list_display = ["id", "thumbnail", "first_name", "last_name", "user", "country", "phone", "updated_at"]
    search_fields = [*OWNER_SEARCH, "first_name", "last_name", "country", "phone", "bio"]
    list_filter = [("country", DropdownFilter)]


@admin.register(models.Experience)
class ExperienceAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "years_of_experience", "years_of_remote_experience", "english_proficiency"]
    list_filter = [("english_proficiency", ChoiceDropdownFilter)]


@admin.register(models.Availability)
class AvailabilityAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "availability_type", "ready_to_start_in", "updated_at"]
    list_filter = [("availability_type", ChoiceDropdownFilter), ("ready_to_start_in", ChoiceDropdownFilter)]


@admin.register(models.RoleSalary)
class RoleSalaryAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "preferred_role", "current_salary", "updated_at"]
    list_filter = [("preferred_role", ChoiceDropdownFilter), ("preferred_workplace", ChoiceDropdownFilter)]


@admin.register(models.Education)
class EducationAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "degree", "college", "start_date", "end_date"]
    search_fields = [*OWNER_SEARCH, "degree", "college"]
    list_filter = [("college", DropdownFilter)]
    date_hierarchy = "start_date"


@admin.register(models.UserSkill)
class UserSkillAdmin(OwnedRowAdmin):
    form = SkillRatingForm
    list_display = ["id", "user", "name", "rating", "updated_at"]
    search_fields = [*OWNER_SEARCH, "name"]
    list_filter = [("name", DropdownFilter), "rating"]


@admin.register(models.Company)
class CompanyAdmin(PictureAdmin):
    list_display = ["id", "thumbnail", "name", "user", "phone", "website", "updated_at"]
    search_fields = [*OWNER_SEARCH, "name", "about", "address", "website"]


class OnePerUserInline(admin.StackedInline):
    max_num = 1
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


class ProfileInline(PictureDisplayMixin, OnePerUserInline):
    model = models.Profile
    readonly_fields = ["picture_preview", *OnePerUserInline.readonly_fields]

    def get_exclude(self, request, obj=None):
        """No phone for a recruiter unless the candidate applied (the account carries `contact_shared`)."""
        excluded = list(super().get_exclude(request, obj) or [])
        if acting_company_id(request) is None or getattr(obj, "contact_shared", False):
            return excluded
        return [*excluded, "phone"]


class ExperienceInline(OnePerUserInline):
    model = models.Experience


class AvailabilityInline(OnePerUserInline):
    model = models.Availability


class RoleSalaryInline(OnePerUserInline):
    model = models.RoleSalary


class CompanyInline(PictureDisplayMixin, OnePerUserInline):
    model = models.Company
    readonly_fields = ["picture_preview", *OnePerUserInline.readonly_fields]


class EducationInline(admin.TabularInline):
    model = models.Education
    extra = 0
    fields = ["degree", "college", "start_date", "end_date"]


class UserSkillInline(admin.TabularInline):
    model = models.UserSkill
    form = SkillRatingForm
    formset = CanonicalSkillInlineFormSet
    extra = 0
    fields = ["name", "rating"]


ACCOUNT_INLINES[UserAccount.Type.USER] += [
    ProfileInline,
    ExperienceInline,
    AvailabilityInline,
    RoleSalaryInline,
    EducationInline,
    UserSkillInline,
]
ACCOUNT_INLINES[UserAccount.Type.COMPANY] += [CompanyInline]
