"""The recruiters' admin: jobs with their skills and ranked candidates, and the hiring pipeline.

A recruiter (`manage.py add_recruiter`) is a staff login acting for one company: every page here
shows only that company's jobs, skills and applications, and another company's object answers 404.
Superusers and portal staff see everything. Stage changes go through jobs.services, so each one
writes its ApplicationEvent.

Contact details (README, Privacy): a recruiter sees a candidate's email and phone only where the
candidate applied to the recruiter's company (`selectors.shares_contact`), and sees candidates who are
not searchable only if they applied. Each list annotates `contact_shared` on its rows (True for
superusers and portal staff), so the rule costs no query per row; where a readonly link to the
account would print its email (str of an account), a recruiter gets the name instead.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Value
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_admin_listfilter_dropdown.filters import (
    ChoiceDropdownFilter,
    DropdownFilter,
    RelatedOnlyDropdownFilter,
)

from accounts.models import UserAccount
from assessments.admin import UserAnswerAdmin
from assessments.models import UserAnswer
from assessments.selectors import assessment_summaries
from helpers.admin import CanonicalSkillInlineFormSet, SkillRatingForm
from jobs import selectors, services
from jobs.models import Application, ApplicationEvent, Job, JobSkill, RejectionReason, Stage
from profiles import admin as profile_admins
from profiles import models as profile_models
from profiles.admin import AccountWithSectionsAdmin, ProfileInline

RANKED_ON_JOB_PAGE = 50


def acting_company_id(request) -> int | None:
    """The company a recruiter acts for; None for superusers and portal staff, who see everything."""
    if request.user.is_superuser:
        return None
    return request.user.recruiter_for_id


def with_contact_shared(queryset, request, *, candidate: str, company: str | None = None):
    """The rows annotated with `contact_shared`: may this viewer see the candidate's email and phone?

    `candidate` is the path to the candidate's id; `company`, if given, the path to the company of
    the row (else the recruiter's company is used). Superusers and portal staff see every contact.
    """
    acting = acting_company_id(request)
    if acting is None:
        return queryset.annotate(contact_shared=Value(True))
    if company is not None:
        return queryset.annotate(
            contact_shared=selectors.shares_contact(candidate=candidate, company=company)
        )
    return queryset.annotate(contact_shared=selectors.contact_shared_with(acting, candidate=candidate))


CONTACT_FIELDS = {"email", "phone"}


class NoContactLookupsForRecruiters:
    """A recruiter may not filter a list by email or phone (`?email__startswith=...` would confirm an
    address row by row); Django answers such a URL 400."""

    def lookup_allowed(self, lookup, value, request=None):
        if (
            request is not None
            and acting_company_id(request) is not None
            and CONTACT_FIELDS & set(lookup.split(LOOKUP_SEP))
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


def contact_or_dash(row, value: str) -> str:
    """`value` (an email or phone) if the candidate shared their contact details with the viewer."""
    return value if getattr(row, "contact_shared", False) and value else "-"


class CompanyScopedAdmin(admin.ModelAdmin):
    """Rows of the recruiter's own company only; another company's object is a 404, not a redirect."""

    company_field = "user_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        company = acting_company_id(request)
        return queryset if company is None else queryset.filter(**{self.company_field: company})

    def _404_unless_visible(self, request, object_id):
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            raise Http404("No such object.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)


class JobSkillInline(admin.TabularInline):
    model = JobSkill
    form = SkillRatingForm
    formset = CanonicalSkillInlineFormSet
    extra = 1
    fields = ["name", "rating"]


def _skills_text(skills: list[dict], wanted) -> str:
    return (
        ", ".join(f"{s['name']} ({s['candidate_rating']}/{s['job_rating']})" for s in skills if wanted(s))
        or "-"
    )


def ranked_candidates_table(rows: list[dict], stages: dict[int, str]) -> str:
    """The ranked candidates as an HTML table with a checkbox for each one not yet in the pipeline."""
    header = (
        "<th></th><th>Candidate</th><th>Score</th><th>Matching</th><th>Weaker</th>"
        "<th>Missing</th><th>Availability factor</th><th>Assessment</th><th>Stage</th>"
    )
    body = format_html_join(
        "",
        "<tr class='ranked-candidate'><td>{}</td><td><a href='{}'>{}</a></td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                format_html("<input type='checkbox' name='source_candidate' value='{}'>", row["id"])
                if row["id"] not in stages
                else "",
                reverse("admin:accounts_useraccount_change", args=[row["id"]]),
                row["name"],
                row["rate"],
                _skills_text(
                    row["explanation"]["skills"], lambda s: (s["candidate_rating"] or 0) >= s["job_rating"]
                ),
                _skills_text(
                    row["explanation"]["skills"],
                    lambda s: s["candidate_rating"] is not None and s["candidate_rating"] < s["job_rating"],
                ),
                ", ".join(row["explanation"]["missing_skills"]) or "-",
                row["explanation"]["availability_factor"],
                "-" if row["assessment"] is None else f"{row['assessment']['percent']}%",
                stages.get(row["id"], "-"),
            )
            for row in rows
        ),
    )
    return format_html("<table class='ranked-candidates'><tr>{}</tr>{}</table>", mark_safe(header), body)


@admin.register(Job)
class JobAdmin(CompanyScopedAdmin):
    list_display = ["title", "name", "user", "hiring_needs", "current_employees", "status", "created_at"]
    list_select_related = ["user"]
    list_filter = [
        ("hiring_needs", ChoiceDropdownFilter),
        ("current_employees", ChoiceDropdownFilter),
        ("status", ChoiceDropdownFilter),
    ]
    search_fields = ["title", "description", "name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at", "ranked_candidates"]
    date_hierarchy = "created_at"
    inlines = [JobSkillInline]

    def get_exclude(self, request, obj=None):
        """A recruiter's jobs belong to its company: the owner is not theirs to choose."""
        return ["user"] if acting_company_id(request) else super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        company = acting_company_id(request)
        if company is not None:
            obj.user_id = company
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/candidates/",
                self.admin_site.admin_view(self.candidates_view),
                name="jobs_job_candidates",
            ),
            path(
                "<path:object_id>/source/",
                self.admin_site.admin_view(require_POST(self.source_view)),
                name="jobs_job_source",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="ranked candidates")
    def ranked_candidates(self, job):
        """The best candidates (helpers.recommend, as POST /user/recommend/list) with a way to source them."""
        if job.pk is None:
            return "-"
        ranked = selectors.job_ranking_with_stages(job.pk)
        if not ranked.ranked:
            return "No candidate scores above 0."
        rows = selectors.ranked_rows(ranked, ranked.ranked[:RANKED_ON_JOB_PAGE])
        return format_html(
            "{}<p><button type='submit' class='button' formaction='{}' name='_source'>Add selected to the "
            "pipeline (screening)</button> <a href='{}'>All {} ranked candidates</a></p>",
            ranked_candidates_table(rows, ranked.stages),
            reverse("admin:jobs_job_source", args=[job.pk]),
            reverse("admin:jobs_job_candidates", args=[job.pk]),
            len(ranked.ranked),
        )

    def _visible_job(self, request, object_id) -> Job:
        self._404_unless_visible(request, object_id)
        return self.get_queryset(request).get(pk=unquote(object_id))

    def candidates_view(self, request, object_id):
        """Every ranked candidate of the job, 50 a page, with the same sourcing form."""
        job = self._visible_job(request, object_id)
        if not self.has_view_or_change_permission(request, job):
            raise PermissionDenied
        ranked = selectors.job_ranking_with_stages(job.pk)
        page = Paginator(ranked.ranked, RANKED_ON_JOB_PAGE).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "job": job,
            "title": f"Ranked candidates for {job}",
            "page": page,
            "table": ranked_candidates_table(
                selectors.ranked_rows(ranked, list(page.object_list)), ranked.stages
            ),
            "source_url": reverse("admin:jobs_job_source", args=[job.pk]),
        }
        return TemplateResponse(request, "admin/jobs/job/ranked_candidates.html", context)

    def source_view(self, request, object_id):
        """Add the selected ranked candidates to the job's pipeline (source `sourced`, stage screening)."""
        job = self._visible_job(request, object_id)
        if not request.user.has_perm("jobs.add_application"):
            raise PermissionDenied
        wanted = {int(value) for value in request.POST.getlist("source_candidate") if value.isdigit()}
        ranked = selectors.job_ranking_with_stages(job.pk)
        ranked_ids = {candidate.candidate_id for candidate in ranked.ranked}
        added = 0
        for candidate in UserAccount.objects.filter(pk__in=(wanted & ranked_ids) - set(ranked.stages)):
            services.application_source(candidate=candidate, job=job, actor=request.user)
            added += 1
        if added:
            self.message_user(request, f"Added {added} candidate(s) to the pipeline in screening.")
        else:
            self.message_user(
                request, "Select ranked candidates who are not in the pipeline yet.", messages.WARNING
            )
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))


@admin.register(JobSkill)
class JobSkillAdmin(CompanyScopedAdmin):
    company_field = "job__user_id"
    form = SkillRatingForm
    list_display = ["name", "rating", "job", "job_company"]
    list_select_related = ["job"]
    list_filter = [("name", DropdownFilter), ("rating", DropdownFilter)]
    search_fields = ["name", "job__title", "job__name"]
    autocomplete_fields = ["job"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        company = acting_company_id(request)
        if db_field.name == "job" and company is not None:
            kwargs["queryset"] = Job.objects.filter(user_id=company)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="company name", ordering="job__name")
    def job_company(self, obj):
        return obj.job.name


class StageActionForm(ActionForm):
    """The action bar: a rejection's reason and an optional note go with the selected action."""

    reason = forms.ChoiceField(
        choices=[("", "reason (rejections)"), *RejectionReason.choices], required=False
    )
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.TextInput(attrs={"placeholder": "note"})
    )


class ScoredChangeList(ChangeList):
    """Scores and assessment results of the shown page in a fixed number of queries, not one per row."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        scores = selectors.scores_of_applications(self.result_list)
        assessments = assessment_summaries({application.candidate_id for application in self.result_list})
        for application in self.result_list:
            application.score = scores[application.pk].rate
            application.assessment = assessments.get(application.candidate_id)


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ["created_at", "from_stage", "to_stage", "reason", "note", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        """A recruiter reads who acted by name: an account prints as its email (a candidate's, when
        they applied or withdrew)."""
        fields = super().get_fields(request, obj)
        if acting_company_id(request) is None:
            return fields
        return ["actor_name" if field == "actor" else field for field in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "actor_name"]

    @admin.display(description="actor")
    def actor_name(self, event):
        return "-" if event.actor is None else event.actor.name


def _move_action(stage: str):
    def action(modeladmin, request, queryset):
        modeladmin.move_selected(request, queryset, stage)

    action.__name__ = f"move_to_{stage}"
    action.short_description = f"Move selected to {stage}" if stage != Stage.REJECTED else "Reject selected"
    action.allowed_permissions = ("change",)
    return action


@admin.register(Application)
class ApplicationAdmin(NoContactLookupsForRecruiters, CompanyScopedAdmin):
    company_field = "job__user_id"
    list_display = ["candidate_name", "job", "stage", "source", "score", "assessment_percent", "updated_at"]
    list_select_related = ["candidate", "job"]
    list_filter = [("job", RelatedOnlyDropdownFilter), ("stage", ChoiceDropdownFilter)]
    search_fields = ["candidate__name", "candidate__email"]
    ordering = ["-updated_at", "-id"]
    action_form = StageActionForm
    actions = [
        *(_move_action(stage) for stage in (Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)),
        _move_action(Stage.REJECTED),
        "export_csv",
    ]
    fields = ["candidate", "job", "stage", "source", "cover_note", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [ApplicationEventInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if acting_company_id(request) is not None:
            queryset = queryset.filter(selectors.ACTIVE_CANDIDATE)
        return with_contact_shared(queryset, request, candidate="candidate_id", company="job__user_id")

    def get_search_fields(self, request):
        """Recruiters search by name: an email search would confirm the address of someone who has
        not applied."""
        return self.search_fields if acting_company_id(request) is None else ["candidate__name"]

    def get_fields(self, request, obj=None):
        """The candidate by `candidate_name` for recruiters: a readonly link prints the account's email."""
        fields = super().get_fields(request, obj)
        if acting_company_id(request) is None:
            return fields
        return ["candidate_name" if field == "candidate" else field for field in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "candidate_name"]

    def get_changelist(self, request, **kwargs):
        return ScoredChangeList

    def has_add_permission(self, request):
        return False  # candidates apply through the API; recruiters source them from the job's page

    @admin.display(description="candidate", ordering="candidate__name")
    def candidate_name(self, application):
        """`name <email>` where the candidate shared their contact details, else the name alone."""
        if application.contact_shared:
            return f"{application.candidate.name} <{application.candidate.email}>"
        return application.candidate.name

    @admin.display(description="score")
    def score(self, application):
        return getattr(application, "score", "-")

    @admin.display(description="assessment")
    def assessment_percent(self, application):
        assessment = getattr(application, "assessment", None)
        return "-" if assessment is None else f"{assessment['percent']}%"

    def move_selected(self, request, queryset, stage):
        reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
        moved, refused = 0, []
        for application in queryset.select_related("candidate"):
            try:
                services.application_move(
                    application=application, actor=request.user, stage=stage, reason=reason, note=note
                )
                moved += 1
            except ValidationError as error:
                problems = "; ".join(
                    message for messages_ in error.message_dict.values() for message in messages_
                )
                refused.append(f"{application.candidate.name}: {problems}")
        if moved:
            self.message_user(request, f"Moved {moved} application(s) to {stage}.")
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        applications = list(queryset.select_related("candidate", "job").order_by("job_id", "id"))
        scores = selectors.scores_of_applications(applications)
        assessments = assessment_summaries({a.candidate_id for a in applications})
        skills = selectors.skills_of_candidates({a.candidate_id for a in applications})
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="applications.csv"'
        writer = csv.writer(response)
        writer.writerow(["candidate", "email", "job", "stage", "score", "skills", "assessment percent"])
        for application in applications:
            assessment = assessments.get(application.candidate_id)
            writer.writerow(
                [
                    application.candidate.name,
                    application.candidate.email if application.contact_shared else "",
                    application.job.title,
                    application.stage,
                    scores[application.pk].rate,
                    "; ".join(
                        f"{name} {rating}" for name, rating in skills.get(application.candidate_id, [])
                    ),
                    "" if assessment is None else assessment["percent"],
                ]
            )
        return response


class ProfileInlineForRecruiters(ProfileInline):
    """The profile on a candidate's page, without the phone unless they applied to the recruiter's
    company (the parent account carries `contact_shared`)."""

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if getattr(obj, "contact_shared", False) else [*excluded, "phone"]


admin.site.unregister(UserAccount)


@admin.register(UserAccount)
class CandidateAccountAdmin(NoContactLookupsForRecruiters, AccountWithSectionsAdmin):
    """The account page, one layer up again: a developer's page also shows their assessment result
    (profiles may not import assessments; jobs may).

    For a recruiter: listed candidates and those who applied to its company only; the email (column,
    field, search, page title) and the profile's phone only where the candidate applied.
    """

    recruiter_template = "admin/accounts/useraccount/recruiter_change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        company = acting_company_id(request)
        if company is not None:
            queryset = queryset.filter(selectors.candidate_seen_by_company(company))
        return with_contact_shared(queryset, request, candidate="pk")

    def get_list_display(self, request):
        if acting_company_id(request) is None:
            return self.list_display
        return ["contact_email" if field == "email" else field for field in self.list_display]

    def get_search_fields(self, request):
        """Recruiters search by name. The autocomplete view prints accounts as their email, so it has
        nothing to search for them (Django answers 404)."""
        if acting_company_id(request) is None:
            return self.search_fields
        match = getattr(request, "resolver_match", None)
        return [] if match is not None and match.url_name == "autocomplete" else ["name"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "assessment_result", "contact_email"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and acting_company_id(request) is not None:
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            "contact_email" if field == "email" else field
                            for field in options["fields"]
                            if field != "password"
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        if obj is None or not obj.is_candidate:
            return fieldsets
        return [*fieldsets, ("Assessment", {"fields": ["assessment_result"]})]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if acting_company_id(request) is None:
            return inlines
        return [ProfileInlineForRecruiters if inline is ProfileInline else inline for inline in inlines]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """A recruiter's page is titled by the candidate's name: an account prints as its email."""
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None and acting_company_id(request) is not None:
            response.context_data["subtitle"] = obj.name
            response.template_name = [self.recruiter_template]
        return response

    def history_view(self, request, object_id, extra_context=None):
        """Staff's change log of an account names it by email; recruiters change no accounts anyway."""
        if acting_company_id(request) is not None:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    @admin.display(description="email")
    def contact_email(self, account):
        return contact_or_dash(account, account.email)

    @admin.display(description="result")
    def assessment_result(self, account):
        summary = assessment_summaries([account.pk]).get(account.pk)
        if summary is None:
            return "Not taken."
        return (
            f"{summary['correct']} of {summary['total']} correct ({summary['percent']}%), "
            f"{summary['answered']} answered"
        )


class CandidateRowsForRecruiters(NoContactLookupsForRecruiters):
    """A candidate's rows (profile sections, skills, assessment answers) as a recruiter reads them.

    Rows of listed candidates and of those who applied to the recruiter's company; the candidate by
    name (their account prints as its email), and the phone only where they applied. No search by
    email or phone. Superusers and portal staff keep the plain admin.
    """

    contact_columns = {"user": "candidate", "phone": "contact_phone"}

    def candidates_for_recruiter(self, request):
        return selectors.candidate_seen_by_company(acting_company_id(request), "user__")

    def get_queryset(self, request):
        return with_contact_shared(super().get_queryset(request), request, candidate="user_id")

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if acting_company_id(request) is None:
            return columns
        return [self.contact_columns.get(name, name) for name in columns]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if acting_company_id(request) is None:
            return fields
        return [field for field in fields if field not in ("user__email", "phone")]

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if acting_company_id(request) is None else [*excluded, *self.contact_columns]

    def get_readonly_fields(self, request, obj=None):
        """For recruiters the excluded `user` and `phone` come back as `candidate` and `contact_phone`."""
        readonly = list(super().get_readonly_fields(request, obj))
        if acting_company_id(request) is None:
            return readonly
        fields = {field.name for field in self.model._meta.fields}
        return [*(shown for field, shown in self.contact_columns.items() if field in fields), *readonly]

    @admin.display(description="candidate", ordering="user__name")
    def candidate(self, row):
        return row.user.name

    @admin.display(description="phone")
    def contact_phone(self, row):
        return contact_or_dash(row, row.phone)


class ProfileAdmin(CandidateRowsForRecruiters, profile_admins.ProfileAdmin):
    pass


class ExperienceAdmin(CandidateRowsForRecruiters, profile_admins.ExperienceAdmin):
    pass


class AvailabilityAdmin(CandidateRowsForRecruiters, profile_admins.AvailabilityAdmin):
    pass


class RoleSalaryAdmin(CandidateRowsForRecruiters, profile_admins.RoleSalaryAdmin):
    pass


class EducationAdmin(CandidateRowsForRecruiters, profile_admins.EducationAdmin):
    pass


class UserSkillAdmin(CandidateRowsForRecruiters, profile_admins.UserSkillAdmin):
    pass


class CandidateAnswerAdmin(CandidateRowsForRecruiters, UserAnswerAdmin):
    def get_queryset(self, request):
        """The assessments app does not scope answers; a recruiter reads those it may see the candidate of."""
        queryset = super().get_queryset(request)
        if acting_company_id(request) is None:
            return queryset
        return queryset.filter(self.candidates_for_recruiter(request))


for model, model_admin in [
    (profile_models.Profile, ProfileAdmin),
    (profile_models.Experience, ExperienceAdmin),
    (profile_models.Availability, AvailabilityAdmin),
    (profile_models.RoleSalary, RoleSalaryAdmin),
    (profile_models.Education, EducationAdmin),
    (profile_models.UserSkill, UserSkillAdmin),
    (UserAnswer, CandidateAnswerAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
