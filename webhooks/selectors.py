"""Reads of webhooks: a company's endpoints and an endpoint's delivery log."""

from django.db.models import Prefetch

from webhooks.models import Attempt, Delivery, Endpoint


def endpoints_of(company_id: int):
    return Endpoint.objects.filter(company_id=company_id).order_by("id")


def deliveries_of(endpoint_id: int):
    """The endpoint's deliveries, newest first, with their message and attempts (two queries a page)."""
    return (
        Delivery.objects.filter(endpoint_id=endpoint_id)
        .select_related("message")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("id")))
        .order_by("-id")
    )
