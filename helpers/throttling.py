"""Counting in the shared cache: sliding windows of atomic counters, and the one DRF rate throttle.

Every count is "increment, then compare": a hit adds one to a counter in one atomic cache call
(Redis INCR, or an upsert on the database cache, helpers/dbcache.py) and only then reads the total,
so two requests at once can never both take the last place. A window slides in fifteenths (one
counter each), so no boundary lets twice the limit through. With Redis down the counters fail open
(helpers/cache.py); the database cache counts wherever the database answers.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

clock = time.time
SLOTS_PER_WINDOW = 15
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """A DRF rate as (hits, seconds): "30/hour" -> (30, 3600)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


def counter_add(key: str, timeout: int, delta: int = 1) -> int:
    """Add `delta` to the counter at `key` (created with `timeout` when missing) and return the total."""
    both = getattr(cache, "incr_or_add", None)
    if both is not None:
        return both(key, delta, timeout=timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        cache.set(key, delta, timeout=timeout)
        return delta


@dataclass(frozen=True)
class SlidingWindow:
    """A count of hits over the last `seconds`, kept in 15 slots (one atomic counter per slot).

    The window slides one slot at a time (a minute for a 15-minute window), so a burst at a
    boundary gains nothing and a block ends when the hits that caused it are a window old.
    """

    key: str
    limit: int
    seconds: int

    @property
    def slot_seconds(self) -> int:
        return max(1, self.seconds // SLOTS_PER_WINDOW)

    @property
    def timeout(self) -> int:
        return self.seconds + self.slot_seconds

    def _keys(self, now: float) -> list[str]:
        """The slot keys inside the window, newest first."""
        slot = int(now // self.slot_seconds)
        count = math.ceil(self.seconds / self.slot_seconds)
        return [f"{self.key}:{slot - back}" for back in range(count)]

    def _wait(self, counts: list[int], now: float) -> int | None:
        """Seconds until `counts` (newest first) sum below the limit as slots age out; None if below."""
        remaining = sum(counts)
        if remaining < self.limit:
            return None
        next_slot = self.slot_seconds - now % self.slot_seconds
        for dropped, oldest in enumerate(reversed(counts)):
            remaining -= oldest
            if remaining < self.limit:
                return max(1, math.ceil(next_slot + dropped * self.slot_seconds))
        raise AssertionError("unreachable: an empty window is below any positive limit")

    def retry_after(self, now: float) -> int | None:
        """Seconds until the count drops below the limit without new hits; None when it is below."""
        keys = self._keys(now)
        found = cache.get_many(keys)
        return self._wait([found.get(key, 0) for key in keys], now)

    def hit(self, now: float) -> None:
        counter_add(self._keys(now)[0], self.timeout)

    def admit(self, now: float) -> int | None:
        """Count this hit if it fits the limit: None, or the Retry-After seconds of a refusal.

        Increment, then compare: the slot's new total is the atomic increment's own answer, so of
        any number of concurrent hits exactly the places left are admitted. A refused hit is taken
        back, so refusals do not lengthen the wait.
        """
        keys = self._keys(now)
        newest = counter_add(keys[0], self.timeout)
        older = cache.get_many(keys[1:]) if len(keys) > 1 else {}
        counts = [newest] + [older.get(key, 0) for key in keys[1:]]
        if sum(counts) <= self.limit:
            return None
        counter_add(keys[0], self.timeout, -1)
        counts[0] -= 1
        return self._wait(counts, now)

    def clear(self, now: float) -> None:
        cache.delete_many(self._keys(now))


class RateThrottle(BaseThrottle):
    """DRF's rate throttle with a sliding window of atomic counters instead of a history list.

    DRF's SimpleRateThrottle reads a list of timestamps and writes it back, so two requests at
    once (two workers) both pass at the limit. This one counts with `SlidingWindow.admit`. The rate
    is the scope's in DEFAULT_THROTTLE_RATES (read per request, so settings overrides apply); the
    scope is the class's `scope` or the view's `throttle_scope`. Callers are told apart as DRF's
    ScopedRateThrottle does: the account when authenticated (unless `per_address`), else the
    client address (REMOTE_ADDR, or X-Forwarded-For past NUM_PROXIES), hashed into the key.
    """

    scope: str | None = None
    per_address = False

    def allow_request(self, request, view) -> bool:
        self.retry_after = None
        scope = self.scope or getattr(view, "throttle_scope", None)
        if scope is None:
            return True
        limit, seconds = parse_rate(api_settings.DEFAULT_THROTTLE_RATES[scope])
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self.per_address:
            ident = f"user:{user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.retry_after = SlidingWindow(f"throttle:{scope}:{digest}", limit, seconds).admit(clock())
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after
