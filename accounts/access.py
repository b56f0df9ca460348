"""Who read which candidate, and the daily cap computed from it (docs/access-ledger.md).

Every read of one candidate's data by a company side (the company account, or a recruiter acting
for it, over the API or in the admin) is a `CandidateAccess` row: company, actor, candidate, what
was read (public data or contact details), when and from which address. Portal staff and the
candidate themself are not recorded.

The cap: a company reads at most CANDIDATE_READS_PER_DAY distinct candidates per UTC day, all its
logins together. The day's distinct candidates are the day's ledger rows; a new one is admitted
under the lock of the company's `CandidateReadCount` row (increment, then compare), so parallel
requests on any number of workers or servers cannot pass it, with or without Redis. Past it the
read is refused with 429 and `Retry-After` = the seconds until midnight UTC; a candidate already
read that day is always read again. Callers record only candidates that exist and are readable,
so a 404 costs nothing. Reads of a company's own applicants are recorded but not capped (they
applied, or were sourced, to that company).
"""

import ipaddress
import logging
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from rest_framework.exceptions import Throttled

from accounts.models import CandidateAccess, CandidateReadCount
from accounts.throttling import client_address

logger = logging.getLogger("job_portal.privacy")

PUBLIC = CandidateAccess.Kind.PUBLIC
CONTACT = CandidateAccess.Kind.CONTACT


def _now() -> datetime:
    return datetime.now(UTC)


def seconds_to_midnight(now: datetime) -> int:
    """Whole seconds until the next UTC midnight, rounded up, so a client waiting them is past it."""
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((tomorrow - now).total_seconds()))


class CandidateReadsExhausted(Throttled):
    """429: the company has read its CANDIDATE_READS_PER_DAY distinct candidates today."""

    def __init__(self, now: datetime):
        super().__init__(
            wait=seconds_to_midnight(now),
            detail=(
                f"Your company has read {settings.CANDIDATE_READS_PER_DAY} different candidates today, "
                "the daily limit. Try again after midnight UTC."
            ),
        )


def reading_company_id(user) -> int | None:
    """The company a read by `user` counts against: its own account, or the one a recruiter acts for.

    None for portal staff, candidates and anonymous callers, whose reads are not recorded.
    """
    if not user.is_authenticated or user.is_portal_staff:
        return None
    if user.recruiter_for_id is not None:
        return user.recruiter_for_id
    return user.pk if user.is_company else None


def _address(request) -> str | None:
    """The client address as the throttles see it, or None when it is not an IP (a bad X-Forwarded-For)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def candidates_read_today(
    company_id: int, candidate_ids: Iterable[int] | None = None, day: date | None = None
) -> set[int]:
    """Which of `candidate_ids` (default: any) the company has read today (one query, company-day index)."""
    reads = CandidateAccess.objects.filter(company_id=company_id, day=day or _now().date())
    if candidate_ids is not None:
        reads = reads.filter(candidate_id__in=list(candidate_ids))
    return set(reads.values_list("candidate_id", flat=True))


def reads_left_today(company_id: int) -> int:
    """New candidates the company may still read today (one query)."""
    used = (
        CandidateReadCount.objects.filter(company_id=company_id, day=_now().date())
        .values_list("candidates", flat=True)
        .first()
    )
    return max(0, settings.CANDIDATE_READS_PER_DAY - (used or 0))


def _admit(company_id: int, day: date, fresh: set[int], now: datetime) -> set[int]:
    """The candidates of `fresh` (not read today when last looked) that may be read now: those read
    meanwhile by a parallel request, and the new ones that fit under the cap.

    Runs in the caller's transaction, under the lock of the company's counter row, which every new
    candidate of the day takes: the re-read of the day's candidates and the increment are exact.
    """
    counters = CandidateReadCount.objects.select_for_update().filter(company_id=company_id, day=day)
    counter = counters.first()
    if counter is None:  # the company's first new candidate of the day
        CandidateReadCount.objects.bulk_create(
            [CandidateReadCount(company_id=company_id, day=day)], ignore_conflicts=True
        )
        counter = counters.get()
    read_meanwhile = candidates_read_today(company_id, fresh, day)  # by a request we waited for
    fresh = fresh - read_meanwhile
    admitted = set(sorted(fresh)[: max(0, settings.CANDIDATE_READS_PER_DAY - counter.candidates)])
    if admitted:
        counter.candidates += len(admitted)
        counter.save(update_fields=["candidates"])
    if len(admitted) < len(fresh) and counter.refused_at is None:
        counter.refused_at = now
        counter.save(update_fields=["refused_at"])
        logger.warning(
            "company account %s reached CANDIDATE_READS_PER_DAY (%s distinct candidates today); "
            "further candidate reads are refused until midnight UTC",
            company_id,
            settings.CANDIDATE_READS_PER_DAY,
        )
    return read_meanwhile | admitted


def candidate_reads_record(request, kinds: Mapping[int, str], *, route: str, capped: bool = True) -> set[int]:
    """Record the caller's reads of the candidates in `kinds` ({candidate id: PUBLIC or CONTACT}).

    Returns the ids the caller may be shown: all of them for uncapped reads, for staff and for
    candidates; under the cap, those read today plus the new ones that fit. Queries: one INSERT for
    all the rows, after one SELECT of today's reads when capped; new candidates add a transaction
    with the counter's lock and update. `route` names what was read ("profile", "csv"...).
    """
    company_id = reading_company_id(request.user)
    if company_id is None or not kinds:
        return set(kinds)
    now = _now()
    shown = set(kinds)
    fresh = shown - candidates_read_today(company_id, shown, now.date()) if capped else set()
    if not fresh:
        _insert(request, company_id, kinds, shown, route, now)
        return shown
    with transaction.atomic():  # the new candidates' rows go in under the counter's lock
        shown = (shown - fresh) | _admit(company_id, now.date(), fresh, now)
        _insert(request, company_id, kinds, shown, route, now)
    return shown


def _insert(request, company_id: int, kinds: Mapping[int, str], shown: set[int], route: str, now: datetime):
    ip = _address(request)
    CandidateAccess.objects.bulk_create(
        CandidateAccess(
            company_id=company_id,
            actor_id=request.user.pk,
            candidate_id=candidate_id,
            kind=kinds[candidate_id],
            route=route,
            day=now.date(),
            created_at=now,
            ip=ip,
        )
        for candidate_id in sorted(shown)
    )


def candidate_read(
    request, candidate_id: int, *, route: str, kind: str = PUBLIC, capped: bool = True
) -> None:
    """Record one read of one existing, readable candidate; raise `CandidateReadsExhausted` past the cap."""
    if not candidate_reads_record(request, {candidate_id: kind}, route=route, capped=capped):
        raise CandidateReadsExhausted(_now())


def detail_shown_today(user) -> set[int] | None:
    """Whose per-candidate detail (an assessment result) a ranked list may carry for `user`.

    None means everyone's: portal staff, and a company under its cap. A company that reached the
    cap gets the candidates it read today, whose detail a capped read would still answer (2 queries).
    """
    company_id = reading_company_id(user)
    if company_id is None or reads_left_today(company_id) > 0:
        return None
    return candidates_read_today(company_id)


def within_cap(details: dict[int, object], shown: set[int] | None) -> dict[int, object]:
    """`details` ({candidate id: detail}) without those `detail_shown_today` withholds."""
    if shown is None:
        return details
    return {candidate_id: detail for candidate_id, detail in details.items() if candidate_id in shown}


def access_days_of(candidate) -> QuerySet:
    """The ledger as the candidate reads it: one row per company and UTC day, newest first.

    Rows are dicts: company_id, company_name, day, reads, public_reads, contact_reads, first_at,
    last_at. Who acted for the company (which recruiter) and from where stay with staff.
    """
    return (
        CandidateAccess.objects.filter(candidate=candidate)
        .values("company_id", "day")
        .annotate(
            company_name=Max("company__name"),
            reads=Count("id"),
            public_reads=Count("id", filter=Q(kind=PUBLIC)),
            contact_reads=Count("id", filter=Q(kind=CONTACT)),
            first_at=Min("created_at"),
            last_at=Max("created_at"),
        )
        .order_by("-day", "-last_at", "company_id")
    )
