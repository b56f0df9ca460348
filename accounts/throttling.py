"""Every limit on logging in, in one place: the API login, the admin login and (later) social sign-in.

The interface is four calls around whatever checks the credentials:

    address = client_address(request)
    login_guard(email, address)          # raises LoginThrottled(retry_after, detail): answer 429
    ... check the password ...
    login_failed(email, address)         # or
    login_succeeded(email, address)

The limits, all counted in the cache (Redis with REDIS_URL, so every app server shares them):

- **Per (email, client address):** LOGIN_FAILURE_LIMIT failures in a sliding window of
  LOGIN_FAILURE_WINDOW_SECONDS. A stranger's failures never block the owner's own address.
- **Per email:** a higher ceiling, LOGIN_FAILURE_EMAIL_LIMIT failures in the same window from all
  addresses together. Past it, addresses that have not logged in to this account before are slowed
  (429 with Retry-After until the count decays below the ceiling); an address the owner has logged
  in from (within LOGIN_KNOWN_ADDRESS_DAYS) is never held back by it.
- **Global:** LOGIN_RATE attempts per second over all emails, so password hashing cannot
  saturate the CPU.

Windows slide (in fifteenths of the window, one atomic counter each), so no boundary lets twice the
limit through and a block lasts as long as the failures that caused it stay recent. `clock` is a module
attribute so tests step a fake clock. When the cache is down the counters fail open
(helpers/cache.py): logins keep working, unthrottled.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

clock = time.time


class LoginThrottled(Exception):
    def __init__(self, retry_after: int, detail: str):
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


class AuthRateThrottle(SimpleRateThrottle):
    """All `/auth/` endpoints together, per client address (AUTH_THROTTLE_RATE)."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def client_address(request) -> str:
    """The caller's address as the throttles see it (REMOTE_ADDR, or X-Forwarded-For past NUM_PROXIES)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


SLOTS_PER_WINDOW = 15


@dataclass(frozen=True)
class SlidingWindow:
    """A count of hits over the last `seconds`, kept in 15 slots (one atomic counter per slot).

    The window slides one slot at a time (a minute for the 15-minute default), so a burst at a
    boundary gains nothing and a block ends when the failures that caused it are a window old.
    """

    key: str
    limit: int
    seconds: int

    @property
    def slot_seconds(self) -> int:
        return max(1, self.seconds // SLOTS_PER_WINDOW)

    def _keys(self, now: float) -> list[str]:
        """The slot keys inside the window, newest first."""
        slot = int(now // self.slot_seconds)
        count = math.ceil(self.seconds / self.slot_seconds)
        return [f"{self.key}:{slot - back}" for back in range(count)]

    def retry_after(self, now: float) -> int | None:
        """Seconds until the count drops below the limit without new hits; None when it is below."""
        keys = self._keys(now)
        found = cache.get_many(keys)
        counts = [found.get(key, 0) for key in keys]
        remaining = sum(counts)
        if remaining < self.limit:
            return None
        next_slot = self.slot_seconds - now % self.slot_seconds
        for dropped, oldest in enumerate(reversed(counts)):
            remaining -= oldest
            if remaining < self.limit:
                return max(1, math.ceil(next_slot + dropped * self.slot_seconds))
        raise AssertionError("unreachable: an empty window is below any positive limit")

    def hit(self, now: float) -> None:
        key, timeout = self._keys(now)[0], self.seconds + self.slot_seconds
        cache.add(key, 0, timeout=timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)

    def clear(self, now: float) -> None:
        cache.delete_many(self._keys(now))


def _pair_window(email: str, address: str) -> SlidingWindow:
    return SlidingWindow(
        f"login:pair:{_digest(_normalise(email), address)}",
        settings.LOGIN_FAILURE_LIMIT,
        settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )


def _email_window(email: str) -> SlidingWindow:
    return SlidingWindow(
        f"login:email:{_digest(_normalise(email))}",
        settings.LOGIN_FAILURE_EMAIL_LIMIT,
        settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )


def _known_address_key(email: str, address: str) -> str:
    return f"login:known:{_digest(_normalise(email), address)}"


def _global_rate() -> tuple[int, int]:
    """LOGIN_RATE as (attempts, seconds), e.g. "30/second" -> (30, 1)."""
    count, _, unit = settings.LOGIN_RATE.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600}[unit.strip()[:1].lower()]
    return int(count), seconds


def login_guard(email: str, address: str) -> None:
    """Raise LoginThrottled when this attempt must wait; otherwise count it against the global rate."""
    now = clock()
    limit, seconds = _global_rate()
    global_key = f"login:global:{int(now // seconds)}"
    cache.add(global_key, 0, timeout=seconds + 1)
    try:
        attempts = cache.incr(global_key)
    except ValueError:
        attempts = 0
    if attempts > limit:
        raise LoginThrottled(max(1, math.ceil(seconds - now % seconds)), "Too many logins right now.")
    if not _normalise(email):
        return
    wait = _pair_window(email, address).retry_after(now)
    if wait is not None:
        raise LoginThrottled(wait, "Too many failed logins for this email from your address.")
    if cache.get(_known_address_key(email, address)):
        return
    wait = _email_window(email).retry_after(now)
    if wait is not None:
        raise LoginThrottled(wait, "Too many failed logins for this email; try again later.")


def login_failed(email: str, address: str) -> None:
    if not _normalise(email):
        return
    now = clock()
    _pair_window(email, address).hit(now)
    _email_window(email).hit(now)


def login_succeeded(email: str, address: str) -> None:
    """Clears this address's failures and remembers it as the owner's, above the per-email ceiling."""
    now = clock()
    _pair_window(email, address).clear(now)
    cache.set(_known_address_key(email, address), 1, timeout=settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)
