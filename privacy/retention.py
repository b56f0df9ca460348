"""How long data is kept: candidates who stopped signing in, closed applications, the access ledger.

- A candidate who has not signed in for CANDIDATE_RETENTION_DAYS (their last sign-in, or their
  sign-up if they never signed in) is erased as `DELETE /auth/users/me/` erases them. A fortnight
  before, they get one email saying how to keep their data (sign in); once per expiry period,
  remembered in `RetentionNotice`. Nobody is erased sooner than WARNING_DAYS after their warning
  (on a first run, long-gone candidates are warned first), except accounts never activated.
- An application closed (hired, rejected, withdrawn) for APPLICATION_RETENTION_DAYS loses the
  candidate's traces: the cover note, and the recruiters' notes in its history.
- Ledger entries older than ACCESS_LOG_RETENTION_DAYS are deleted.

`retention_apply` does it (manage.py privacy_retention, the Celery beat task); `retention_plan`
counts what it would do. Both are idempotent: a second run finds nothing.
"""

from dataclasses import astuple, dataclass, fields
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from accounts.mail import Message, email_enqueue
from accounts.models import UserAccount
from jobs.models import OPEN_STAGES, Stage
from privacy import ledger
from privacy.models import RetentionNotice
from privacy.services import applications_anonymise, applications_with_traces, candidate_erase

WARNING_DAYS = 14
CLOSED_STAGES = [stage for stage in Stage.values if stage not in OPEN_STAGES]


@dataclass(frozen=True)
class RetentionReport:
    candidates_erased: int
    candidates_warned: int
    applications_anonymised: int
    access_entries_deleted: int

    def lines(self, *, dry_run: bool = False) -> list[str]:
        verb = "would be " if dry_run else ""
        labels = {
            "candidates_erased": "candidates {verb}erased",
            "candidates_warned": "candidates {verb}warned",
            "applications_anonymised": "applications {verb}anonymised",
            "access_entries_deleted": "access log entries {verb}deleted",
        }
        return [
            f"{labels[field.name].format(verb=verb)}: {value}"
            for field, value in zip(fields(self), astuple(self), strict=True)
        ]


def _candidates():
    """Developer accounts not yet erased, with `last_seen`: their last sign-in, else their sign-up."""
    return UserAccount.objects.filter(
        type=UserAccount.Type.USER, is_staff=False, is_superuser=False, erased_at__isnull=True
    ).annotate(last_seen=Coalesce("last_login", "date_joined"))


def _expiry_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.CANDIDATE_RETENTION_DAYS)


def _warned(**since):
    """This candidate was warned about their current period (and, with `sent_at__lte`, long enough ago)."""
    return Exists(
        RetentionNotice.objects.filter(user=OuterRef("pk"), last_seen=OuterRef("last_seen"), **since)
    )


def candidates_expired(now: datetime):
    """Candidates past CANDIDATE_RETENTION_DAYS, warned WARNING_DAYS ago (or who cannot be mailed:
    an account never activated), so nobody is erased without the fortnight's notice."""
    warned_in_time = _warned(sent_at__lte=now - timedelta(days=WARNING_DAYS))
    return (
        _candidates()
        .filter(last_seen__lt=_expiry_cutoff(now))
        .filter(Q(is_active=False) | warned_in_time)
        .order_by("id")
    )


def candidates_to_warn(now: datetime):
    """Active candidates whose data expires within WARNING_DAYS (or already has, unwarned) and who
    were not warned about this period."""
    return (
        _candidates()
        .filter(is_active=True, last_seen__lt=_expiry_cutoff(now) + timedelta(days=WARNING_DAYS))
        .exclude(_warned())
        .order_by("id")
    )


def applications_expired(now: datetime):
    cutoff = now - timedelta(days=settings.APPLICATION_RETENTION_DAYS)
    return applications_with_traces().filter(stage__in=CLOSED_STAGES, updated_at__lt=cutoff)


def _access_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


def retention_warning_send(candidate: UserAccount, *, now: datetime) -> None:
    """The fortnight's notice (templates in privacy/templates/privacy/emails), remembered once sent."""
    expires_on = max(
        candidate.last_seen + timedelta(days=settings.CANDIDATE_RETENTION_DAYS),
        now + timedelta(days=WARNING_DAYS),
    )
    context = {
        "candidate": candidate,
        "expires_on": expires_on,
        "site_name": settings.SITE_NAME,
        "frontend_url": settings.FRONTEND_URL,
    }
    with transaction.atomic():
        RetentionNotice.objects.update_or_create(
            user=candidate, defaults={"last_seen": candidate.last_seen, "sent_at": now}
        )
        email_enqueue(
            Message(
                subject=render_to_string("privacy/emails/retention_warning_subject.txt", context).strip(),
                body=render_to_string("privacy/emails/retention_warning.txt", context),
                html="",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[candidate.email],
            )
        )


def retention_plan(now: datetime) -> RetentionReport:
    """What `retention_apply(now)` would do, counted (--dry-run)."""
    return RetentionReport(
        candidates_erased=candidates_expired(now).count(),
        candidates_warned=candidates_to_warn(now).count(),
        applications_anonymised=applications_expired(now).count(),
        access_entries_deleted=ledger.entries_older_than(_access_cutoff(now)),
    )


def retention_apply(now: datetime) -> RetentionReport:
    """Erase, warn, anonymise and delete as the module docstring says; one transaction per candidate."""
    erased = sum(candidate_erase(candidate=candidate) for candidate in candidates_expired(now))
    warned = 0
    for candidate in candidates_to_warn(now):
        retention_warning_send(candidate, now=now)
        warned += 1
    with transaction.atomic():
        anonymised = applications_anonymise(applications_expired(now))
    return RetentionReport(
        candidates_erased=erased,
        candidates_warned=warned,
        applications_anonymised=anonymised,
        access_entries_deleted=ledger.entries_delete_older_than(_access_cutoff(now)),
    )
