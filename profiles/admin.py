"""Admin for the profile sections, and the account page extended with them as inlines.

The account admin (accounts/admin.py) knows nothing of profiles; this module, one layer up,
re-registers it with the sections of a developer or the company profile of a company.
"""

from django.contrib import admin
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, DropdownFilter

from accounts.admin import UserAccountAdmin
from accounts.models import UserAccount
from profiles import models

OWNER_SEARCH = ["user__email", "user__name"]


class OwnedRowAdmin(admin.ModelAdmin):
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    search_fields = OWNER_SEARCH


@admin.register(models.Profile)
class ProfileAdmin(OwnedRowAdmin):
    list_display = ["id", "first_name", "last_name", "user", "country", "phone", "updated_at"]
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
    list_filter = [("preferred_role", ChoiceDropdownFilter)]


@admin.register(models.Education)
class EducationAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "degree", "college", "start_date", "end_date"]
    search_fields = [*OWNER_SEARCH, "degree", "college"]
    list_filter = [("college", DropdownFilter)]
    date_hierarchy = "start_date"


@admin.register(models.UserSkill)
class UserSkillAdmin(OwnedRowAdmin):
    list_display = ["id", "user", "name", "rating", "updated_at"]
    search_fields = [*OWNER_SEARCH, "name"]
    list_filter = [("name", DropdownFilter), "rating"]


@admin.register(models.Company)
class CompanyAdmin(OwnedRowAdmin):
    list_display = ["id", "name", "user", "phone", "website", "updated_at"]
    search_fields = [*OWNER_SEARCH, "name", "about", "address", "website"]


class OnePerUserInline(admin.StackedInline):
    max_num = 1
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


class ProfileInline(OnePerUserInline):
    model = models.Profile


class ExperienceInline(OnePerUserInline):
    model = models.Experience


class AvailabilityInline(OnePerUserInline):
    model = models.Availability


class RoleSalaryInline(OnePerUserInline):
    model = models.RoleSalary


class CompanyInline(OnePerUserInline):
    model = models.Company


class EducationInline(admin.TabularInline):
    model = models.Education
    extra = 0
    fields = ["degree", "college", "start_date", "end_date"]


class UserSkillInline(admin.TabularInline):
    model = models.UserSkill
    extra = 0
    fields = ["name", "rating"]


CANDIDATE_INLINES = [
    ProfileInline,
    ExperienceInline,
    AvailabilityInline,
    RoleSalaryInline,
    EducationInline,
    UserSkillInline,
]
COMPANY_INLINES = [CompanyInline]


admin.site.unregister(UserAccount)


@admin.register(UserAccount)
class AccountWithSectionsAdmin(UserAccountAdmin):
    def get_inlines(self, request, obj):
        """A developer's page shows their profile sections and skills; a company's, its company profile."""
        if obj is None:
            return []
        return COMPANY_INLINES if obj.is_company else CANDIDATE_INLINES
