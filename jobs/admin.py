from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, DropdownFilter

from jobs.models import Job, JobSkill
from jobs.selectors import top_candidates_for_job


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
    readonly_fields = ["created_at", "updated_at", "top_candidates"]
    date_hierarchy = "created_at"
    inlines = [JobSkillInline]

    @admin.display(description="top candidates")
    def top_candidates(self, job):
        """The ten best-scoring candidates (helpers.recommend), so a recruiter sees who fits."""
        if job.pk is None:
            return "-"
        rows = top_candidates_for_job(job, limit=10)
        if not rows:
            return "No candidate scores above 0."
        return format_html(
            "<table><tr><th>Candidate</th><th>Email</th><th>Score</th><th>Missing skills</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        reverse("admin:accounts_useraccount_change", args=[row["id"]]),
                        row["name"],
                        row["email"],
                        row["rate"],
                        ", ".join(row["explanation"]["missing_skills"]) or "-",
                    )
                    for row in rows
                ),
            ),
        )


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
