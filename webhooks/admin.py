"""Webhook endpoints and their delivery log in the admin, for portal staff and recruiters.

A recruiter sees and manages only their company's endpoints and deliveries
(accounts.recruiters.CompanyScopedAdmin); a new endpoint is their company's, and its secret is
shown once, on saving.
Writes go through webhooks.services (URL safety, the 20-endpoint limit, rotation, redelivery).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from accounts.models import UserAccount
from accounts.recruiters import CompanyScopedAdmin, acting_company_id
from webhooks import events, services
from webhooks.models import Attempt, Delivery, Endpoint


class EndpointForm(forms.ModelForm):
    """The API's rules as form errors: a safe https URL and known event names."""

    url = forms.URLField(max_length=2000, assume_scheme="https")  # a bare host means https, as Django 6

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            services.endpoint_url_check(url)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["url"]) from error
        return url

    def clean_events(self):
        problem = events.events_problem(self.cleaned_data["events"])
        if problem:
            raise forms.ValidationError(problem)
        return self.cleaned_data["events"]


@admin.register(Endpoint)
class EndpointAdmin(CompanyScopedAdmin):
    form = EndpointForm
    company_field = "company_id"
    list_display = ["url", "company", "events", "active", "disabled_reason", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = [
        "disabled_reason",
        "failing_since",
        "previous_secret_until",
        "created_at",
        "updated_at",
    ]
    actions = ["rotate_secret", "send_test_event"]

    def get_fields(self, request, obj=None):
        fields = ["url", "events", "description", "active", *self.readonly_fields]
        return fields if acting_company_id(request) is not None else ["company", *fields]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "company"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {"url": obj.url, "events": obj.events, "description": obj.description, "active": obj.active}
        if change:
            services.endpoint_update(endpoint=obj, **values)
            return
        company = acting_company_id(request) or obj.company_id
        created = services.endpoint_create(company=UserAccount.objects.get(pk=company), **values)
        obj.pk = created.pk
        self.message_user(
            request, f"The endpoint's secret (shown only now): {created.secret}", messages.WARNING
        )

    @admin.action(description="Rotate the secret (the old one signs for 24 more hours)")
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            rotated = services.endpoint_rotate_secret(endpoint=endpoint)
            self.message_user(request, f"New secret for {endpoint.url}: {rotated.secret}", messages.WARNING)

    @admin.action(description="Send a webhook.test event")
    def send_test_event(self, request, queryset):
        for endpoint in queryset.filter(active=True):
            services.endpoint_test(endpoint=endpoint)
        self.message_user(request, "Test events queued for the active endpoints among those selected.")


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["attempted_at", "status_code", "error", "duration_ms", "response_body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(CompanyScopedAdmin):
    company_field = "endpoint__company_id"
    list_display = ["id", "event_type", "webhook_id", "endpoint", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "message__type"]
    list_select_related = ["message", "endpoint"]
    search_fields = ["message__webhook_id"]
    fields = ["endpoint", "message", "status", "attempts", "next_attempt_at", "created_at", "body"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="event type", ordering="message__type")
    def event_type(self, delivery):
        return delivery.message.type

    @admin.display(description="webhook-id")
    def webhook_id(self, delivery):
        return delivery.message.webhook_id

    @admin.display(description="body")
    def body(self, delivery):
        return delivery.message.body

    @admin.action(description="Replay (send again with the same webhook-id)", permissions=["view"])
    def replay(self, request, queryset):
        replayed = 0
        for delivery in queryset:
            try:
                services.delivery_redeliver(delivery=delivery)
                replayed += 1
            except ValidationError as error:
                self.message_user(
                    request, f"Delivery {delivery.pk}: {' '.join(error.messages)}", messages.ERROR
                )
        self.message_user(request, f"{replayed} delivery(ies) queued again.")
