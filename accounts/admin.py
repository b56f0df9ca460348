from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter

from accounts.models import UserAccount
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
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Account", {"fields": ["name", "type", "is_active", "date_joined", "last_login"]}),
        ("Permissions", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "type", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]
