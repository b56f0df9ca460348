from django.contrib import admin
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, DropdownFilter

from jobs.models import Job, JobSkill


class JobSkillInline(admin.TabularInline):
    model = JobSkill
    extra = 1
    fields = ["name", "rating"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "user", "hiring_needs", "current_employees", "status", "created_at"]
    list_select_related = ["user"]
    list_filter = [
        ("hiring_needs", ChoiceDropdownFilter),
        ("current_employees", ChoiceDropdownFilter),
        ("status", ChoiceDropdownFilter),
    ]
    search_fields = ["title", "description", "name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [JobSkillInline]


@admin.register(JobSkill)
class JobSkillAdmin(admin.ModelAdmin):
    list_display = ["name", "rating", "job", "job_company"]
    list_select_related = ["job"]
    list_filter = [("name", DropdownFilter), ("rating", DropdownFilter)]
    search_fields = ["name", "job__title", "job__name"]
    autocomplete_fields = ["job"]

    @admin.display(description="company name", ordering="job__name")
    def job_company(self, obj):
        return obj.job.name
