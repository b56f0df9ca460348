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
    """Empty `cache` of this run's keys only: on a shared Redis, `clear()` would flush every run's data.

    The database cache lives in this run's own test database, so `clear()` is this run's; a test
    without database access cannot have written to it (and may not clear it).
    """
    prefix = getattr(cache, "key_prefix", "")
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if getattr(cache, "in_database", False):
        try:
            cache.clear()
        except RuntimeError as error:  # pytest-django: "Database access not allowed"
            if "Database access not allowed" not in str(error):
                raise
        return
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


def throttle_rates(settings, **rates: str) -> None:
    """Override some DRF throttle rates for one test (pytest-django's `settings`), e.g. board="3/minute"."""
    framework = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **framework,
        "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], **rates},
    }


def cache_queries(calls: int) -> int:
    """What `calls` cache calls add to a query-count pin: one query each on the database cache
    (no REDIS_URL, helpers/dbcache.py), none on Redis."""
    from django.core.cache import cache

    return calls if getattr(cache, "in_database", False) else 0


class FakeClock:
    """A clock tests step by hand (`clock.now += 60`): monkeypatch it over a module's `clock`."""

    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now
