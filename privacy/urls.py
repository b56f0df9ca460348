"""Under /auth/, ahead of accounts' routes: the export, and the two account routes that delete."""

from rest_framework.routers import SimpleRouter

from helpers.urls import route
from privacy import views

_accounts = SimpleRouter()
_accounts.register("users", views.ErasingAccountViewSet, basename="user")

urlpatterns = [
    route("users/me/export", views.ExportView.as_view(), name="user-export"),
    *(pattern for pattern in _accounts.urls if pattern.name in ("user-me", "user-detail")),
]
