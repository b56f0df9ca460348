"""The API's front door (`/`) and probes for load balancers: liveness (`/health/`), readiness (`/ready/`)."""

import contextlib

from django.core.cache import cache
from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

READY_DATABASE_TIMEOUT_SECONDS = 2

HealthSerializer = inline_serializer("Health", {"status": serializers.CharField()})
ReadySerializer = inline_serializer(
    "Ready",
    {
        "status": serializers.ChoiceField(choices=["ok", "error"]),
        "database": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "cache": serializers.ChoiceField(choices=["ok", "unavailable", "local"]),
    },
)


def _probe(view):
    """An anonymous, unthrottled GET view."""
    view = throttle_classes([])(permission_classes([AllowAny])(authentication_classes([])(view)))
    return api_view(["GET"])(view)


@extend_schema(responses={200: HealthSerializer})
@_probe
def health(request):
    """Liveness: the process answers HTTP. Touches neither the database nor Redis, so it never hangs."""
    return Response({"status": "ok"})


def _database_deadline():
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    from helpers.postgresql.base import client_deadline

    return client_deadline(READY_DATABASE_TIMEOUT_SECONDS)


def database_ready() -> bool:
    try:
        with _database_deadline(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return False
    return True


def cache_state(database_ok: bool) -> str:
    """Redis answers its ping; the database cache (no REDIS_URL) is as well as the database is."""
    if getattr(cache, "in_database", False):
        return "ok" if database_ok else "unavailable"
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    return "ok" if ping() else "unavailable"


@extend_schema(responses={200: ReadySerializer, 503: ReadySerializer})
@_probe
def ready(request):
    """Readiness: 200 when the database and Redis answer within their own short timeouts.

    503 names what is down. Without REDIS_URL the cache is a table in the database, so `cache` is
    the database's state (`local` only for a per-process cache configured by hand).
    """
    database_ok = database_ready()
    state = {"database": "ok" if database_ok else "unavailable", "cache": cache_state(database_ok)}
    healthy = "unavailable" not in state.values()
    return Response({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)


IndexSerializer = inline_serializer(
    "Index",
    {
        "name": serializers.CharField(),
        "docs": serializers.DictField(child=serializers.CharField()),
        "health": serializers.CharField(),
        "ready": serializers.CharField(),
        "admin": serializers.CharField(),
    },
)


@extend_schema(responses={200: IndexSerializer})
@_probe
def index(request):
    """`/`: where the documentation, the probes and the admin are."""
    return Response(
        {
            "name": "job_portal API",
            "docs": {
                "swagger_ui": request.build_absolute_uri("/schema/swagger-ui/"),
                "redoc": request.build_absolute_uri("/schema/redoc/"),
                "openapi": request.build_absolute_uri("/schema/"),
            },
            "health": request.build_absolute_uri("/health/"),
            "ready": request.build_absolute_uri("/ready/"),
            "admin": request.build_absolute_uri("/admin/"),
        }
    )
