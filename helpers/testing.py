"""Test support shared by every app's tests (imported by tests only, never by application code)."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken


def client_for(user=None) -> APIClient:
    """An APIClient sending the SPA's `Authorization: JWT <access>` header for `user` (anonymous if None)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(user)}")
    return client
