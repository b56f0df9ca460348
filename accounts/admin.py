"""The accounts' admin: the account page (with the parts other apps add), failed emails, the login limits.

The account page is registered here once. Apps above accounts add their parts of it, since
accounts may not import them: profiles adds the developer's sections and the company profile
(`ACCOUNT_INLINES`), assessments the developer's test result (`CANDIDATE_FIELDSETS`). What a
recruiter sees of a candidate is accounts.recruiters.
"""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, RelatedOnlyDropdownFilter

from accounts.mail import failed_emails_resend
from accounts.models import CandidateAccess, FailedEmail, UserAccount
from accounts.recruiters import CandidatesForRecruiters, acting_company_id, contact_or_dash, shown_to_viewer
from accounts.services import user_password_change
from accounts.throttling import LoginThrottled, client_address, login_failed, login_guard, login_succeeded


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin login counts against the same limits as `POST /auth/jwt/create/` (accounts/throttling.py)."""

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        try:
            login_guard(email, address)
        except LoginThrottled as throttled:
            raise ValidationError(
                f"{throttled.detail} Try again in {throttled.retry_after} seconds.", code="throttled"
            ) from None
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                login_failed(email, address)
            raise
        login_succeeded(email, address)
        return cleaned_data


admin.site.login_form = ThrottledAdminLoginForm


class AccountCreationForm(BaseUserCreationForm):
    class Meta:
        model = UserAccount
        fields = ["email", "name", "type"]


class AccountChangeForm(UserChangeForm):
    class Meta:
        model = UserAccount
        fields = "__all__"


class RevokingPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password page ends the person's sessions exactly as the API's password change
    does: both go through accounts.services.user_password_change."""

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        usable = self.cleaned_data["set_usable_password"]
        user_password_change(user=self.user, password=self.cleaned_data["password1"] if usable else None)
        return self.user


CONTACT_EMAIL = {"email": "contact_email"}
"""What a recruiter sees in place of an account's email: the email only where the candidate applied."""

ACCOUNT_INLINES: dict[str, list] = {UserAccount.Type.USER: [], UserAccount.Type.COMPANY: []}
"""The inlines of an account's page, by account type (profiles adds its sections)."""

CANDIDATE_FIELDSETS: list[tuple[str, Callable[[UserAccount], str]]] = []
"""(title, read-only field) added to a developer's page: a function of the account with an
`admin.display` description (assessments adds the test result)."""


@admin.register(UserAccount)
class UserAccountAdmin(CandidatesForRecruiters, UserAdmin):
    """Accounts; for a recruiter, the candidates of accounts.recruiters only, the email (column,
    field, search, page title) and the profile's phone only where the candidate applied."""

    candidate_via = ""
    recruiter_template = "admin/accounts/useraccount/recruiter_change_form.html"
    add_form = AccountCreationForm
    form = AccountChangeForm
    change_password_form = RevokingPasswordChangeForm
    list_display = ["id", "name", "email", "type", "is_active", "date_joined"]
    list_filter = [("type", ChoiceDropdownFilter), "is_active", "is_staff"]
    search_fields = ["email", "name"]
    ordering = ["-date_joined"]
    readonly_fields = ["date_joined", "last_login", "linked_providers"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Account", {"fields": ["name", "type", "is_active", "date_joined", "last_login"]}),
        ("Sign-in providers", {"fields": ["linked_providers"]}),
        (
            "Permissions",
            {"fields": ["is_staff", "is_superuser", "recruiter_for", "groups", "user_permissions"]},
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "type", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]
    raw_id_fields = ["recruiter_for"]

    def get_queryset(self, request):
        """Erased candidates' tombstones (privacy/) are not accounts any more: nobody lists them here."""
        return super().get_queryset(request).filter(erased_at__isnull=True)

    def get_list_display(self, request):
        return shown_to_viewer(request, self.list_display, CONTACT_EMAIL)

    def get_search_fields(self, request):
        """Recruiters search by name. The autocomplete view prints accounts as their email, so it has
        nothing to search for them (Django answers 404)."""
        if acting_company_id(request) is None:
            return self.search_fields
        match = getattr(request, "resolver_match", None)
        return [] if match is not None and match.url_name == "autocomplete" else ["name"]

    def get_readonly_fields(self, request, obj=None):
        added = [field for _, field in CANDIDATE_FIELDSETS]
        return [*super().get_readonly_fields(request, obj), *added, "contact_email"]

    def get_fieldsets(self, request, obj=None):
        """Permissions, groups and the recruiter link are for superusers only; a recruiter does not
        see the social-auth links, the password or the email (only `contact_email`) either."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        if not request.user.is_superuser:
            hidden = {"Permissions"}
            if request.user.recruiter_for_id is not None:
                hidden.add("Sign-in providers")
            fieldsets = [fieldset for fieldset in fieldsets if fieldset[0] not in hidden]
        if acting_company_id(request) is not None:
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            CONTACT_EMAIL.get(field, field)
                            for field in options["fields"]
                            if field != "password"
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        if not obj.is_candidate:
            return fieldsets
        return [*fieldsets, *((title, {"fields": [field]}) for title, field in CANDIDATE_FIELDSETS)]

    def get_inlines(self, request, obj):
        """A developer's page shows their profile sections and skills; a company's, its company profile."""
        return [] if obj is None else ACCOUNT_INLINES[obj.type]

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

    def get_list_filter(self, request):
        return (
            self.list_filter if request.user.is_superuser else [("type", ChoiceDropdownFilter), "is_active"]
        )

    @admin.display(description="Linked providers")
    def linked_providers(self, obj):
        """Each provider identity that signs in to this account, with a link to remove it."""
        links = obj.social_auth.order_by("provider", "id")
        if not links:
            return "None: this account signs in with its password only."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{} (id {}), linked {} <a href="{}">remove</a></li>',
                (
                    (
                        link.provider,
                        link.uid,
                        link.created.strftime("%Y-%m-%d"),
                        reverse("admin:social_django_usersocialauth_delete", args=[link.pk]),
                    )
                    for link in links
                ),
            ),
        )


@admin.register(FailedEmail)
class FailedEmailAdmin(admin.ModelAdmin):
    """Messages SMTP refused after every retry; "Resend" queues them again."""

    list_display = ["created_at", "subject", "recipients", "attempts", "error", "resent_at"]
    list_filter = ["resent_at"]
    search_fields = ["subject", "to", "error"]
    readonly_fields = [
        "created_at",
        "subject",
        "body",
        "html",
        "from_email",
        "to",
        "attempts",
        "error",
        "resent_at",
    ]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description="Resend the selected emails")
    def resend(self, request, queryset):
        count = failed_emails_resend(queryset)
        self.message_user(request, f"{count} email(s) queued again.")


@admin.register(CandidateAccess)
class CandidateAccessAdmin(admin.ModelAdmin):
    """The whole access ledger, read-only, for portal staff (a recruiter would see other companies')."""

    list_display = ["created_at", "company", "actor", "candidate", "kind", "route", "ip"]
    list_filter = [
        ("company", RelatedOnlyDropdownFilter),
        ("candidate", RelatedOnlyDropdownFilter),
        ("kind", ChoiceDropdownFilter),
        "route",
    ]
    list_select_related = ["company", "actor", "candidate"]
    search_fields = ["company__email", "company__name", "candidate__email", "candidate__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_portal_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
