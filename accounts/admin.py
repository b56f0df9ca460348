from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter

from accounts.models import UserAccount


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
        ("Permissions", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "type", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]

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
