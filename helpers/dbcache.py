"""The cache without Redis: one table in the primary database, shared by every process, atomic counters.

Without REDIS_URL every gunicorn worker and host must still see the same throttle counts, login
failures and replica pins, so they live in `helpers.models.CacheEntry`. Each operation is one SQL
statement, committed on its own in autocommit (ATOMIC_REQUESTS is off and the throttles run before
any view; inside a caller's transaction it joins that transaction). `add` is an INSERT ... ON CONFLICT
that replaces only an expired row; `incr` is an UPDATE ... SET number = number + delta ... RETURNING,
and `incr_or_add` an upsert doing both, so two processes counting at once both count (Django's own
DatabaseCache reads the value and writes it back). Integers have their own column for that; other
values are pickled.

Always the primary (`default`), by SQL on its connection: the database router never sees these
queries, so a read replica never answers them. An expired row reads as missing; a write also deletes
up to CULL_BATCH expired rows with probability `OPTIONS["CULL_PROBABILITY"]` (0.01), which keeps the
table the size of what is live. A database outage raises as any query does, so the request gets the
503 it would get at the view's first query (helpers.middleware.DatabaseUnavailableMiddleware) and a
hung server costs one deadline, not two.
"""

import pickle
import random
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import DEFAULT_DB_ALIAS, connections

clock = time.time
CULL_BATCH = 1000
TABLE = "helpers_cacheentry"
_BIGINT = range(-(2**63), 2**63)
_LIVE = "({table}.expires IS NULL OR {table}.expires > %s)"


def _encode(value) -> tuple[bytes | None, int | None]:
    if type(value) is int and value in _BIGINT:
        return None, value
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL), None


def _decode(blob, number):
    return number if number is not None else pickle.loads(bytes(blob))


class SharedDatabaseCache(BaseCache):
    in_database = True  # /ready/ reports the database's state for it

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS") or {}
        self.cull_probability = float(options.get("CULL_PROBABILITY", 0.01))

    def _run(self, sql: str, params=()) -> tuple[list, int]:
        """Rows (when the statement returns any) and the row count, on the primary."""
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)
            return (cursor.fetchall() if cursor.description else []), cursor.rowcount

    def _expiry(self, timeout) -> float | None:
        """The Unix time a value set now with `timeout` expires (Django's rules: None never, 0 at once)."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        elif timeout == 0:
            timeout = -1
        return None if timeout is None else clock() + timeout

    def _wrote(self) -> None:
        if self.cull_probability and random.random() < self.cull_probability:
            self.cull()

    def cull(self) -> int:
        """Delete up to CULL_BATCH expired rows; how many went."""
        _, deleted = self._run(
            "DELETE FROM {table} WHERE key IN (SELECT key FROM {table} WHERE expires <= %s LIMIT %s)",
            (clock(), CULL_BATCH),
        )
        return deleted

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        rows, _ = self._run(f"SELECT value, number FROM {{table}} WHERE key = %s AND {_LIVE}", (key, clock()))
        return _decode(*rows[0]) if rows else default

    def get_many(self, keys, version=None):
        asked = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not asked:
            return {}
        marks = ", ".join(["%s"] * len(asked))
        rows, _ = self._run(
            f"SELECT key, value, number FROM {{table}} WHERE key IN ({marks}) AND {_LIVE}",
            (*asked, clock()),
        )
        return {asked[key]: _decode(blob, number) for key, blob, number in rows}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        rows, _ = self._run(f"SELECT 1 FROM {{table}} WHERE key = %s AND {_LIVE}", (key, clock()))
        return bool(rows)

    def _upsert(self, key, value, timeout, only_if_expired: bool) -> bool:
        blob, number = _encode(value)
        condition = " WHERE NOT " + _LIVE if only_if_expired else ""
        rows, _ = self._run(
            "INSERT INTO {table} (key, value, number, expires) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, number = excluded.number, "
            f"expires = excluded.expires{condition} RETURNING key",
            (key, blob, number, self._expiry(timeout), *([clock()] if only_if_expired else [])),
        )
        self._wrote()
        return bool(rows)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store `value` unless a live value is there; True when stored."""
        return self._upsert(self.make_and_validate_key(key, version=version), value, timeout, True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._upsert(self.make_and_validate_key(key, version=version), value, timeout, False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            self.set(key, value, timeout, version)
        return []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        _, touched = self._run(
            f"UPDATE {{table}} SET expires = %s WHERE key = %s AND {_LIVE}",
            (self._expiry(timeout), key, clock()),
        )
        return touched > 0

    def incr(self, key, delta=1, version=None):
        """Add `delta` to a live integer in one statement; ValueError when there is none."""
        made = self.make_and_validate_key(key, version=version)
        rows, _ = self._run(
            f"UPDATE {{table}} SET number = number + %s WHERE key = %s AND number IS NOT NULL AND {_LIVE} "
            "RETURNING number",
            (delta, made, clock()),
        )
        if not rows:
            raise ValueError(f"Key '{key}' not found (or not an integer).")
        return rows[0][0]

    def incr_or_add(self, key, delta=1, timeout=DEFAULT_TIMEOUT, version=None) -> int:
        """A counter hit in one statement: the live integer plus `delta`, else `delta` stored with
        `timeout` (a counter's expiry is set when it starts, not moved by later hits)."""
        key = self.make_and_validate_key(key, version=version)
        restart = "{table}.number IS NULL OR NOT " + _LIVE
        rows, _ = self._run(
            "INSERT INTO {table} (key, value, number, expires) VALUES (%s, NULL, %s, %s) "
            f"ON CONFLICT (key) DO UPDATE SET value = NULL, "
            f"number = CASE WHEN {restart} THEN excluded.number ELSE {{table}}.number + excluded.number END, "
            f"expires = CASE WHEN {restart} THEN excluded.expires ELSE {{table}}.expires END "
            "RETURNING number",
            (key, delta, self._expiry(timeout), clock(), clock()),
        )
        self._wrote()
        return rows[0][0]

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        _, deleted = self._run("DELETE FROM {table} WHERE key = %s", (key,))
        return deleted > 0

    def delete_many(self, keys, version=None):
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        if made:
            self._run(f"DELETE FROM {{table}} WHERE key IN ({', '.join(['%s'] * len(made))})", made)

    def clear(self):
        self._run("DELETE FROM {table}")
