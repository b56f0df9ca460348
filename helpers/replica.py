"""Reads that may lag a little go to a PostgreSQL read replica (`DATABASE_REPLICA_URL`).

Only views marked with `LagTolerantReadMixin` (recruiter lists, rankings, the public board) read
from the `replica` alias, and only for a caller who has not written anything in the last
`REPLICA_PIN_SECONDS`: right after their own write a caller reads from the primary, so they never
miss what they just did. Writes always go to the primary (`default`), also inside a lag-tolerant
view (an access-ledger row, say). Without a replica configured nothing here does any work.

The pin ("this caller wrote at t") is kept in the shared cache, so every worker and app server sees
it: Redis with REDIS_URL, else the cache table on the primary (helpers/dbcache.py, which never reads
from the replica). A pin that cannot be written (the database or Redis failing right after the
write) is logged and skipped: the write is done, and the caller may at worst read a lagging answer.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("job_portal.database")

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reads_may_lag: ContextVar[bool] = ContextVar("reads_may_lag", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _pin_key(user_id: int) -> str:
    return f"primary-pin:{user_id}"


def caller_pinned_to_primary(user_id: int | None) -> bool:
    return user_id is not None and bool(cache.get(_pin_key(user_id)))


def pin_caller_to_primary(user_id: int) -> None:
    cache.set(_pin_key(user_id), 1, settings.REPLICA_PIN_SECONDS)


@contextmanager
def reads_from_replica(user_id: int | None) -> Iterator[bool]:
    """Route this block's reads to the replica unless there is none or the caller just wrote."""
    use_replica = replica_configured() and not caller_pinned_to_primary(user_id)
    token = _reads_may_lag.set(use_replica)
    try:
        yield use_replica
    finally:
        _reads_may_lag.reset(token)


class ReplicaRouter:
    """Reads go to the replica inside `reads_from_replica`; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reads_may_lag.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both: an object read from the replica may be linked and saved

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by streaming replication


class LagTolerantReadMixin:
    """For a DRF view whose answer may be a few seconds old: its reads are served by the replica.

    `lag_tolerant = True` also tells `PrimaryAfterWriteMiddleware` that a POST to this view (the
    ranking is a POST) is a read, not a write that should pin the caller to the primary.
    """

    lag_tolerant = True

    def initial(self, request, *args, **kwargs):
        # Authentication runs in `initial`, so the caller is known only from here on.
        super().initial(request, *args, **kwargs)
        self._replica_reads = reads_from_replica(request.user.pk if request.user.is_authenticated else None)
        self._replica_reads.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        replica_reads = getattr(self, "_replica_reads", None)
        if replica_reads is not None:
            self._replica_reads = None
            replica_reads.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


class PrimaryAfterWriteMiddleware:
    """After a caller's successful write, pin their reads to the primary for REPLICA_PIN_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400 and replica_configured():
            user = getattr(request, "user", None)  # DRF sets the token's user on the Django request
            view_class = getattr(getattr(request, "resolver_match", None), "func", None)
            view_class = getattr(view_class, "cls", None)
            if user is not None and user.is_authenticated and not getattr(view_class, "lag_tolerant", False):
                try:
                    pin_caller_to_primary(user.pk)
                except (OperationalError, InterfaceError) as error:  # an outage, not a bug
                    logger.error(
                        "replica pin not written after %s %s: %s", request.method, request.path, error
                    )
        return response
