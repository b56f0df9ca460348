"""Login-failure counting: brute force against one email is stopped whatever address it comes from.

Counts live in the cache (Redis when REDIS_URL is set) in fixed windows, so several app servers
share them. `clock` is a module attribute so tests can step a fake clock instead of sleeping.
"""

import time

from django.conf import settings
from django.core.cache import cache

from accounts.models import UserAccountManager

clock = time.time


def _window():
    seconds = settings.LOGIN_FAILURE_WINDOW_SECONDS
    now = clock()
    start = int(now // seconds) * seconds
    return start, seconds


def _key(email: str, start: int) -> str:
    return f"login-failures:{UserAccountManager.normalize_email(email)}:{start}"


def login_retry_after(email: str) -> int | None:
    """Seconds until `email` may try again, or None when it is below the failure limit."""
    start, seconds = _window()
    if cache.get(_key(email, start), 0) < settings.LOGIN_FAILURE_LIMIT:
        return None
    return max(1, int(start + seconds - clock()))


def login_failure_record(email: str) -> None:
    start, seconds = _window()
    key = _key(email, start)
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)


def login_failures_clear(email: str) -> None:
    start, _ = _window()
    cache.delete(_key(email, start))
