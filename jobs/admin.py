"""The recruiters' admin: jobs with their skills and ranked candidates, and the hiring pipeline.

A recruiter (`manage.py add_recruiter`) is a staff login acting for one company: every page here
shows only that company's jobs, skills and applications, and another company's object answers 404.
Superusers and portal staff see everything. Stage changes go through jobs.services, so each one
writes its ApplicationEvent.

Contact details (README, Privacy): a recruiter sees a candidate's email only where the candidate
applied to the recruiter's company (jobs.contact, through accounts.recruiters). The list annotates
`contact_shared` on its rows, so the rule costs no query per row; where a readonly link to the
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
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django_admin_listfilter_dropdown.filters import (
    ChoiceDropdownFilter,
    DropdownFilter,
    RelatedOnlyDropdownFilter,
)

from accounts import access
from accounts.models import UserAccount
from accounts.recruiters import (
    CompanyScopedAdmin,
    NoContactLookupsForRecruiters,
    acting_company_id,
    shown_to_viewer,
    with_contact_shared,
)
from assessments.selectors import assessment_summaries
from helpers.admin import CanonicalSkillInlineFormSet, SkillRatingForm
from helpers.recommend import RankedCandidate
from jobs import services, webhook_events
from jobs.forms import JobAdminForm
from jobs.models import Application, ApplicationEvent, Job, JobSkill, RejectionReason, Stage
from jobs.pipeline import ACTIVE_CANDIDATE, scores_of_applications
from jobs.ranking import CandidateRanking, job_ranking_with_stages, scorer_inputs

RANKED_ON_JOB_PAGE = 50


class JobSkillInline(admin.TabularInline):
    model = JobSkill
    form = SkillRatingForm
    formset = CanonicalSkillInlineFormSet
    extra = 1
    fields = ["name", "rating"]


def ranked_table_rows(ranking: CandidateRanking, shown: list[RankedCandidate], stages: dict) -> list[dict]:
    """The rows of admin/jobs/job/ranked_candidates_table.html: the items of POST
    /user/recommend/list, with the skills split into matching, weaker and missing, and the stage."""
    rows = []
    for item in ranking.items(shown):
        skills = item["explanation"]["skills"]
        rows.append(
            {
                **item,
                "matching": _skills_text(
                    s for s in skills if (s["candidate_rating"] or 0) >= s["job_rating"]
                ),
                "weaker": _skills_text(
                    s
                    for s in skills
                    if s["candidate_rating"] is not None and s["candidate_rating"] < s["job_rating"]
                ),
                "missing": ", ".join(item["explanation"]["missing_skills"]),
                "availability_factor": item["explanation"]["availability_factor"],
                "stage": stages.get(item["id"]),
            }
        )
    return rows


def _skills_text(skills) -> str:
    return ", ".join(f"{s['name']} ({s['candidate_rating']}/{s['job_rating']})" for s in skills)


@admin.register(Job)
class JobAdmin(CompanyScopedAdmin):
    form = JobAdminForm
    list_display = ["title", "name", "user", "hiring_needs", "current_employees", "status", "created_at"]
    list_select_related = ["user"]
    _dropdowns = "hiring_needs current_employees status workplace employment_type seniority"
    list_filter = [(field, ChoiceDropdownFilter) for field in _dropdowns.split()]
    search_fields = ["title", "description", "name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at", "ranked_candidates"]
    date_hierarchy = "created_at"
    inlines = [JobSkillInline]

    def get_exclude(self, request, obj=None):
        """A recruiter's jobs belong to its company: the owner is not theirs to choose."""
        return ["user"] if acting_company_id(request) else super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        """Then the company's `job.*` webhook event, as the API sends it for POST /job/ and PUT/PATCH
        /job/<id> (skills are not part of the job's read, nor of its events); no change, no event."""
        company = acting_company_id(request)
        if company is not None:
            obj.user_id = company
        super().save_model(request, obj, form, change)
        if not change or form.has_changed():
            webhook_events.job_saved(obj, previous_status=form.initial.get("status") if change else None)

    def get_object(self, request, object_id, from_field=None):
        """The job, knowing who looks at its ranked candidates (whose assessments past the cap)."""
        job = super().get_object(request, object_id, from_field)
        if job is not None:
            job.viewer = request.user
        return job

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
        ranking, stages = job_ranking_with_stages(job.pk, viewer=job.viewer)
        rows = ranked_table_rows(ranking, ranking.ranked[:RANKED_ON_JOB_PAGE], stages)
        context = {"rows": rows, "job_id": job.pk, "total": len(ranking.ranked)}
        return render_to_string("admin/jobs/job/ranked_candidates_field.html", context)

    def _visible_job(self, request, object_id) -> Job:
        self._404_unless_visible(request, object_id)
        return self.get_queryset(request).get(pk=unquote(object_id))

    def candidates_view(self, request, object_id):
        """Every ranked candidate of the job, 50 a page, with the same sourcing form."""
        job = self._visible_job(request, object_id)
        if not self.has_view_or_change_permission(request, job):
            raise PermissionDenied
        ranking, stages = job_ranking_with_stages(job.pk, viewer=request.user)
        page = Paginator(ranking.ranked, RANKED_ON_JOB_PAGE).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "job": job,
            "title": f"Ranked candidates for {job}",
            "page": page,
            "rows": ranked_table_rows(ranking, list(page.object_list), stages),
            "source_url": reverse("admin:jobs_job_source", args=[job.pk]),
        }
        return TemplateResponse(request, "admin/jobs/job/ranked_candidates.html", context)

    def source_view(self, request, object_id):
        """Add the selected ranked candidates to the job's pipeline (source `sourced`, stage screening)."""
        job = self._visible_job(request, object_id)
        if not request.user.has_perm("jobs.add_application"):
            raise PermissionDenied
        wanted = {int(value) for value in request.POST.getlist("source_candidate") if value.isdigit()}
        ranking, stages = job_ranking_with_stages(job.pk, viewer=request.user)
        ranked_ids = {candidate.candidate_id for candidate in ranking.ranked}
        added = 0
        for candidate in UserAccount.objects.filter(pk__in=(wanted & ranked_ids) - set(stages)):
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
        scores = scores_of_applications(self.result_list)
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
        return shown_to_viewer(request, super().get_fields(request, obj), {"actor": "actor_name"})

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
            queryset = queryset.filter(ACTIVE_CANDIDATE)
        return with_contact_shared(queryset, request, via="candidate__")

    def get_search_fields(self, request):
        """Recruiters search by name: an email search would confirm the address of someone who has
        not applied."""
        return self.search_fields if acting_company_id(request) is None else ["candidate__name"]

    def get_fields(self, request, obj=None):
        """The candidate by `candidate_name` for recruiters: a readonly link prints the account's email."""
        return shown_to_viewer(request, super().get_fields(request, obj), {"candidate": "candidate_name"})

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "candidate_name"]

    def get_changelist(self, request, **kwargs):
        return ScoredChangeList

    def has_add_permission(self, request):
        return False  # candidates apply through the API; recruiters source them from the job's page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An applicant's page is a read of the candidate, recorded in the access ledger (contact
        details when shared); not capped: the candidate applied, or was sourced, to this company."""
        application = self.get_object(request, unquote(object_id))
        if application is not None:
            kind = access.CONTACT if application.contact_shared else access.PUBLIC
            access.candidate_read(
                request, application.candidate_id, route="admin:applicant", kind=kind, capped=False
            )
        return super().change_view(request, object_id, form_url, extra_context)

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
        scores = scores_of_applications(applications)
        assessments = assessment_summaries({a.candidate_id for a in applications})
        inputs = scorer_inputs(Q(pk__in={a.candidate_id for a in applications}))
        access.candidate_reads_record(
            request,
            {a.candidate_id: access.CONTACT if a.contact_shared else access.PUBLIC for a in applications},
            route="csv",
            capped=False,
        )
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
                        f"{name} {rating}" for name, rating in inputs[application.candidate_id].skills.items()
                    ),
                    "" if assessment is None else assessment["percent"],
                ]
            )
        return response
