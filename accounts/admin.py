from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter

from accounts.mail import failed_emails_resend
from accounts.models import FailedEmail, UserAccount
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


@admin.register(UserAccount)
class UserAccountAdmin(UserAdmin):
    add_form = AccountCreationForm
    form = AccountChangeForm
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
        """A recruiter (staff acting for one company) reads candidates only, never other accounts."""
        queryset = super().get_queryset(request)
        if request.user.recruiter_for_id is not None and not request.user.is_superuser:
            queryset = queryset.filter(type=UserAccount.Type.USER, is_active=True)
        return queryset

    def get_fieldsets(self, request, obj=None):
        """Permissions, groups and the recruiter link are for superusers only; a recruiter does not
        see the social-auth links either."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        hidden = {"Permissions"}
        if request.user.recruiter_for_id is not None:
            hidden.add("Sign-in providers")
        return [fieldset for fieldset in fieldsets if fieldset[0] not in hidden]

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
