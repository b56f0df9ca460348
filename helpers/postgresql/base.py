"""Django's PostgreSQL backend with a client-side deadline on every wait for the server.

`connect_timeout` bounds a new connection and the server's `statement_timeout` a slow query, but a
hung server (stopped, or a network path that drops packets) answers neither: the kernel still
accepts the bytes, and psycopg2 would wait until gunicorn kills the worker. With a psycopg2 wait
callback every wait is a `select()` with a deadline of CLIENT_TIMEOUT seconds (settings: the
statement timeout plus two seconds); past it the connection is closed and an OperationalError
raised, which the API answers with a 503 (helpers.middleware.DatabaseUnavailableMiddleware).
"""

import contextlib
import os
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
            _abandon(conn)
            raise psycopg2.OperationalError(f"the database did not answer within {_deadline_seconds:g} s")


def _abandon(conn):
    """Cut off a connection whose server does not answer, without waiting for it.

    `conn.close()` cannot be called here (psycopg2 holds the connection's lock while it waits), and
    closing the descriptor under libpq would let the number be reused. So the descriptor is pointed
    at /dev/null, which closes the socket: any later use of the connection, and Django's own close
    of it, reads end-of-file at once instead of waiting for the server.
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        os.dup2(devnull, conn.fileno())
    finally:
        os.close(devnull)


class DatabaseWrapper(base.DatabaseWrapper):
    """Queries wait at most CLIENT_TIMEOUT; connecting and the reuse health check at most connect_timeout.

    (With a wait callback psycopg2 connects asynchronously, where libpq ignores `connect_timeout`,
    so the deadline enforces it.) A hung server thus costs a request about two connect timeouts
    (the health check of its persistent connection, then a new connection), not two query deadlines.
    """

    def _connect_deadline(self):
        connect_timeout = (self.settings_dict.get("OPTIONS") or {}).get("connect_timeout")
        if not _deadline_seconds or not connect_timeout:
            return contextlib.nullcontext()
        return client_deadline(connect_timeout)

    def get_new_connection(self, conn_params):
        global _deadline_seconds
        _deadline_seconds = self.settings_dict.get("CLIENT_TIMEOUT")
        extensions.set_wait_callback(wait_with_deadline if _deadline_seconds else None)
        with self._connect_deadline():
            return super().get_new_connection(conn_params)

    def is_usable(self):
        with self._connect_deadline():
            return super().is_usable()


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


@contextlib.contextmanager
def without_client_deadline():
    """Within the block, no wait callback: what COPY needs (psycopg2 refuses COPY under one).

    For bulk loads only (`insert_dev --synthetic`), which also lift the server's statement timeout
    for their transaction; web requests never enter this block.
    """
    global _deadline_seconds
    saved = _deadline_seconds
    _deadline_seconds = None
    extensions.set_wait_callback(None)
    try:
        yield
    finally:
        _deadline_seconds = saved
        extensions.set_wait_callback(wait_with_deadline if saved else None)
