"""Every limit on logging in, in one place: the API login, the admin login and (later) social sign-in.

The interface is four calls around whatever checks the credentials:

    address = client_address(request)
    login_guard(email, address)          # raises LoginThrottled(retry_after, detail): answer 429
    ... check the password ...
    login_failed(email, address)         # or
    login_succeeded(email, address)

The limits, all counted in the shared cache (Redis with REDIS_URL, else a table in the database:
helpers/dbcache.py), so every process and app server counts the same:

- **Per (email, client address):** LOGIN_FAILURE_LIMIT failures in a sliding window of
  LOGIN_FAILURE_WINDOW_SECONDS. A stranger's failures never block the owner's own address.
- **Per email:** a higher ceiling, LOGIN_FAILURE_EMAIL_LIMIT failures in the same window from all
  addresses together. Past it, addresses that have not logged in to this account before are slowed
  (429 with Retry-After until the count decays below the ceiling); an address the owner has logged
  in from (within LOGIN_KNOWN_ADDRESS_DAYS) is never held back by it.
- **Global:** LOGIN_RATE attempts per second over all emails, so password hashing cannot
  saturate the CPU.

Windows slide (helpers.throttling.SlidingWindow: fifteenths of the window, one atomic counter each),
so no boundary lets twice the limit through and a block lasts as long as the failures that caused it
stay recent. `clock` is a module attribute so tests step a fake clock. When Redis is down the
counters fail open (helpers/cache.py): logins keep working, unthrottled.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from helpers.throttling import RateThrottle, SlidingWindow, counter_add, parse_rate

clock = time.time


class LoginThrottled(Exception):
    def __init__(self, retry_after: int, detail: str):
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


class AuthRateThrottle(RateThrottle):
    """All `/auth/` endpoints together, per client address (AUTH_THROTTLE_RATE)."""

    scope = "auth"
    per_address = True


def client_address(request) -> str:
    """The caller's address as the throttles see it (REMOTE_ADDR, or X-Forwarded-For past NUM_PROXIES)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


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


def login_guard(email: str, address: str) -> None:
    """Raise LoginThrottled when this attempt must wait; otherwise count it against the global rate."""
    now = clock()
    limit, seconds = parse_rate(settings.LOGIN_RATE)
    attempts = counter_add(f"login:global:{int(now // seconds)}", seconds + 1)
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
