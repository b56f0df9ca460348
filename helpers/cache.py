"""A Redis cache that fails open: an outage of the cache never takes a request down with it.

The cache holds only counters (throttles, login failures). When Redis refuses or hangs, a request
must still be answered: every operation then behaves as a miss (reads return the default, writes do
nothing) instead of raising. After a failure Redis is left alone for `retry_after` seconds, so a hung
server costs one socket timeout per process per interval, not one per cache call; one warning line
per outage says so. Socket timeouts come from the cache OPTIONS (see settings: CACHE_SOCKET_TIMEOUT).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("job_portal.cache")

clock = time.monotonic


class FailOpenRedisCache(RedisCache):
    retry_after = 5.0

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", self.retry_after))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0
        self._warned = False

    @property
    def available(self) -> bool:
        return clock() >= self._down_until

    def _guarded(self, operation, default, *args, **kwargs):
        if not self.available:
            return default
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            self._down_until = clock() + self.retry_after
            if not self._warned:
                logger.warning(
                    "cache unavailable (%s: %s); counters fail open, retrying every %.0f s",
                    type(error).__name__,
                    error,
                    self.retry_after,
                )
                self._warned = True
            return default
        if self._warned:
            logger.warning("cache available again")
            self._warned = False
        return result

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", 0, key, delta, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def clear(self):
        return self._guarded("clear", False)

    def ping(self) -> bool:
        """True when Redis answers now (used by /ready/; ignores the retry interval)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False
