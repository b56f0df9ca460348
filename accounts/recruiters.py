"""What a recruiter sees of candidates in the admin, for every app's admin that shows them.

A recruiter (`manage.py add_recruiter`) is a staff login acting for one company. They see listed
candidates, and candidates who applied to their company (even if not searchable); a candidate's
email and phone only where they applied (README, Privacy). Superusers and portal staff see all.
The account page (accounts), the profile sections (profiles) and the answers (assessments) use
the mixins below; each app registers its own models once. `CompanyScopedAdmin` limits a company's
own rows (jobs, applications, webhook endpoints) to its recruiters.

Who applied to a company is known to jobs, above accounts, so the rule is plugged in once at
startup: jobs.apps calls `contact_rule_set(jobs.contact.candidates_sharing_contact_with)`. Nothing
here imports jobs, and the rule has one home.
"""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponse

from accounts import access
from accounts.models import active_candidate, listed_candidate

_contact_rule: Callable[[int], QuerySet] | None = None
CONTACT_FIELDS = {"email", "phone"}


def contact_rule_set(rule: Callable[[int], QuerySet]) -> None:
    """Set the rule: `rule(company_id)` is a subquery of the ids of the candidates who shared their
    contact details with that company."""
    global _contact_rule
    _contact_rule = rule


def candidates_sharing_contact_with(company_id: int) -> QuerySet:
    if _contact_rule is None:
        raise ImproperlyConfigured("No contact rule: jobs.apps sets it when the jobs app is ready.")
    return _contact_rule(company_id)


def acting_company_id(request) -> int | None:
    """The company a recruiter acts for; None for superusers and portal staff, who see everything."""
    if request.user.is_superuser:
        return None
    return request.user.recruiter_for_id


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


def candidate_seen_by_company(company_id: int, via: str = "") -> Q:
    """The candidates a company's recruiter may look at: listed ones, and active ones who applied to
    the company. `via` is the path to the account, as in `listed_candidate`."""
    return listed_candidate(via) | (
        active_candidate(via) & Q(**{f"{via}pk__in": candidates_sharing_contact_with(company_id)})
    )


def with_contact_shared(queryset, request, *, via: str):
    """The rows annotated with `contact_shared`: may this viewer see the candidate's email and phone?

    `via` is the path from a row to the candidate's account ("" for accounts, "user__" for rows).
    """
    company = acting_company_id(request)
    if company is None:
        return queryset.annotate(contact_shared=Value(True))
    shared = Q(**{f"{via}pk__in": candidates_sharing_contact_with(company)})
    return queryset.annotate(contact_shared=ExpressionWrapper(shared, output_field=BooleanField()))


def shown_to_viewer(request, fields, replaced: dict[str, str]) -> list:
    """`fields` with, for a recruiter, each of `replaced` by what they see instead (a name where a
    link to an account would print its email; `contact_email` where an email would be)."""
    if acting_company_id(request) is None:
        return list(fields)
    return [replaced.get(field, field) for field in fields]


def contact_or_dash(row, value: str) -> str:
    """`value` (an email or phone) if the candidate shared their contact details with the viewer."""
    return value if getattr(row, "contact_shared", False) and value else "-"


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


def refused_page(refused: access.CandidateReadsExhausted) -> HttpResponse:
    """The admin's 429 for a read past the company's daily cap, with the API's Retry-After."""
    response = HttpResponse(refused.detail, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(refused.wait)
    return response


def recorded_page(request, obj, candidate_id: int, *, route: str, capped: bool, view):
    """Record a recruiter's read of `obj`'s candidate in the access ledger, then answer `view()`.

    Contact details when `obj.contact_shared`; a 429 page past the daily cap when `capped`.
    """
    kind = access.CONTACT if getattr(obj, "contact_shared", False) else access.PUBLIC
    try:
        access.candidate_read(request, candidate_id, route=route, kind=kind, capped=capped)
    except access.CandidateReadsExhausted as refused:
        return refused_page(refused)
    return view()


class CandidatesForRecruiters(NoContactLookupsForRecruiters):
    """A ModelAdmin mixin: for a recruiter, only rows of the candidates they may see; every row
    carries `contact_shared`. `candidate_via` is the path from a row to the candidate's account.

    A recruiter's opening of a row's page is a read of its candidate: recorded in the access ledger
    and capped per company and day (accounts/access.py); a row they may not see costs nothing.
    """

    candidate_via = "user__"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        def page():
            return super(CandidatesForRecruiters, self).change_view(
                request, object_id, form_url, extra_context
            )

        obj = self.get_object(request, unquote(object_id))
        if obj is None or access.reading_company_id(request.user) is None:
            return page()
        candidate_id = obj.pk if not self.candidate_via else getattr(obj, f"{self.candidate_via[:-2]}_id")
        return recorded_page(
            request, obj, candidate_id, route=f"admin:{self.opts.model_name}", capped=True, view=page
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        company = acting_company_id(request)
        if company is not None:
            queryset = queryset.filter(candidate_seen_by_company(company, self.candidate_via))
        return with_contact_shared(queryset, request, via=self.candidate_via)


class CandidateRowsForRecruiters(CandidatesForRecruiters):
    """A candidate's rows (profile sections, skills, assessment answers) as a recruiter reads them.

    The candidate by name (their account prints as its email), the phone only where they applied,
    no search by email or phone. Superusers and portal staff keep the plain admin.
    """

    contact_columns = {"user": "candidate", "phone": "contact_phone"}

    def get_list_display(self, request):
        return shown_to_viewer(request, super().get_list_display(request), self.contact_columns)

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
