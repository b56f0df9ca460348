from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import social_api, views
from helpers.urls import route

router = SimpleRouter()
router.register("users", views.AccountViewSet, basename="user")

urlpatterns = [
    path("jwt/create/", views.LoginView.as_view(), name="jwt-create"),
    path("jwt/refresh/", views.RefreshView.as_view(), name="jwt-refresh"),
    path("jwt/verify/", views.VerifyView.as_view(), name="jwt-verify"),
    path("jwt/blacklist/", views.LogoutView.as_view(), name="jwt-blacklist"),
    route("users/me/access", views.OwnAccessListView.as_view(), name="user-me-access"),
    path("o/<str:provider>/", social_api.ProviderAuthView.as_view(), name="provider-auth"),
    *router.urls,
]
