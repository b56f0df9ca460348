"""Test support shared by every app's tests (imported by tests only, never by application code)."""

from functools import partial

from django.http import HttpResponse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken


class ReadingAPIClient(APIClient):
    """An APIClient that reads a streamed answer to its end, as a browser does, so tests use
    `.content` and `.json()` on every answer; `response.streamed` tells which were streamed."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if not response.streaming:
            response.streamed = False
            return response
        body = b"".join(response.streaming_content)  # the test client closes it at the end
        read = HttpResponse(body, status=response.status_code, headers=dict(response.items()))
        for name in ("wsgi_request", "request", "templates", "context", "resolver_match", "client"):
            if hasattr(response, name):
                setattr(read, name, getattr(response, name))
        read.json = partial(self._parse_json, read)
        read.streamed = True
        return read


def client_for(user=None) -> APIClient:
    """An APIClient sending the SPA's `Authorization: JWT <access>` header for `user` (anonymous if None)."""
    client = ReadingAPIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(user)}")
    return client


def cache_clear_own(cache) -> None:
    """Empty `cache` of this run's keys only: on a shared Redis, `clear()` would flush every run's data."""
    prefix = getattr(cache, "key_prefix", "")
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None or not prefix:
        cache.clear()  # a per-process memory cache holds nobody else's keys
        return
    client = client_of(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def login_header(user) -> dict:
    """The `Authorization` header the SPA sends for `user`."""
    return {"Authorization": f"JWT {AccessToken.for_user(user)}"}
