"""Routes under /job/webhooks (included from job_portal/urls.py ahead of jobs.urls)."""

from helpers.urls import route
from webhooks import views

urlpatterns = [
    route("webhooks", views.EndpointListCreateView.as_view(), name="webhook-list"),
    route("webhooks/<int:pk>", views.EndpointDetailView.as_view(), name="webhook-detail"),
    route("webhooks/<int:pk>/rotate-secret", views.RotateSecretView.as_view(), name="webhook-rotate-secret"),
    route("webhooks/<int:pk>/test", views.TestEventView.as_view(), name="webhook-test"),
    route("webhooks/<int:pk>/deliveries", views.DeliveryListView.as_view(), name="webhook-deliveries"),
    route(
        "webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver",
        views.RedeliverView.as_view(),
        name="webhook-redeliver",
    ),
]
