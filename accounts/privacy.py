"""No bulk harvesting: companies read at most CANDIDATE_READS_PER_DAY distinct candidates a day.

A read of one candidate (their account, a profile section, skills or assessment result, by id) by a
company account counts that candidate once per UTC day, whatever the number of requests. Past the
limit the answer is 429 with `Retry-After` until midnight UTC, and one warning per company and day
is logged for staff. Counts live in the cache, so with REDIS_URL every app server shares them.
Staff and candidates are not counted; whole-table reads (which carry no contact details) neither.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger("job_portal.privacy")

_DAY_SECONDS = 24 * 60 * 60


def _now() -> datetime:
    return datetime.now(UTC)


def _seconds_to_midnight(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((tomorrow - now).total_seconds()))


def candidate_read_record(*, company_id: int, candidate_id: int) -> int | None:
    """Count a company's read of a candidate; None if allowed, else the seconds until it is again.

    A candidate read earlier the same day is always allowed again (the limit is on distinct
    candidates); a new candidate past the limit is refused and not counted.
    """
    now = _now()
    day = now.strftime("%Y%m%d")
    seen_key = f"candidate-read:{company_id}:{day}:{candidate_id}"
    count_key = f"candidate-reads:{company_id}:{day}"
    if cache.get(seen_key):
        return None
    limit = settings.CANDIDATE_READS_PER_DAY
    cache.add(count_key, 0, _DAY_SECONDS)
    if (cache.get(count_key) or 0) >= limit:
        if cache.add(f"candidate-reads-alert:{company_id}:{day}", 1, _DAY_SECONDS):
            logger.warning(
                "company account %s reached CANDIDATE_READS_PER_DAY (%s distinct candidates today); "
                "further candidate reads are refused until midnight UTC",
                company_id,
                limit,
            )
        return _seconds_to_midnight(now)
    if cache.add(seen_key, 1, _DAY_SECONDS):
        cache.incr(count_key)
    return None


class CandidateReadThrottle(BaseThrottle):
    """Applies `candidate_read_record` to views that read one candidate (`user_id` in the URL)."""

    def allow_request(self, request, view):
        user = request.user
        candidate_id = view.kwargs.get("user_id")
        if candidate_id is None or not user.is_authenticated or not user.is_company or user.is_portal_staff:
            return True
        retry_after = candidate_read_record(company_id=user.pk, candidate_id=int(candidate_id))
        if retry_after is not None:
            raise Throttled(
                wait=retry_after,
                detail=(
                    f"Your company has read {settings.CANDIDATE_READS_PER_DAY} different candidates today, "
                    "the daily limit. Try again after midnight UTC."
                ),
            )
        return True
