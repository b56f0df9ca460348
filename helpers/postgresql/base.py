"""Django's PostgreSQL backend with a client-side deadline on every wait for the server.

`connect_timeout` bounds a new connection and the server's `statement_timeout` a slow query, but a
hung server (stopped, or a network path that drops packets) answers neither: the kernel still
accepts the bytes, and psycopg2 would wait until gunicorn kills the worker. With a psycopg2 wait
callback every wait is a `select()` with a deadline of CLIENT_TIMEOUT seconds (settings: the
statement timeout plus two seconds); past it the connection is closed and an OperationalError
raised, which the API answers with a 503 (helpers.middleware.DatabaseUnavailableMiddleware).
"""

import select
import time

import psycopg2
from django.db.backends.postgresql import base
from psycopg2 import extensions

_deadline_seconds: float | None = None


def wait_with_deadline(conn):
    """psycopg2 wait callback: like `psycopg2.extras.wait_select`, but never longer than the deadline."""
    deadline = None if not _deadline_seconds else time.monotonic() + _deadline_seconds
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            waiting = ([conn.fileno()], [], [])
        elif state == extensions.POLL_WRITE:
            waiting = ([], [conn.fileno()], [])
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and (remaining <= 0 or not any(select.select(*waiting, remaining))):
            conn.close()
            raise psycopg2.OperationalError(f"the database did not answer within {_deadline_seconds:g} s")


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        global _deadline_seconds
        _deadline_seconds = self.settings_dict.get("CLIENT_TIMEOUT")
        extensions.set_wait_callback(wait_with_deadline if _deadline_seconds else None)
        return super().get_new_connection(conn_params)


class client_deadline:  # noqa: N801 - used as a context manager, like contextlib's
    """Within the block, waits for the server end after `seconds` (a readiness probe's own limit)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        global _deadline_seconds
        self.saved, _deadline_seconds = _deadline_seconds, self.seconds
        extensions.set_wait_callback(wait_with_deadline)

    def __exit__(self, *exc_info):
        global _deadline_seconds
        _deadline_seconds = self.saved
        extensions.set_wait_callback(wait_with_deadline if self.saved else None)
