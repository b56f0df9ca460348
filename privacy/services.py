"""Erasure: a person leaves, and the companies they applied to keep anonymous hiring records.

A candidate's account becomes a tombstone (`candidate_erase`): the row stays, so every application
keeps its candidate, its constraints and its stage history, but it holds nothing about the person
(`erased_name`, `erased_email`, an unusable password, inactive, so `active_candidate` and every
listing leave it out). Every other row that points at the account is deleted, whatever its model:
a new model with a key to the account is erased without a change here. Only the hiring records
(`KEPT`) stay, with the candidate's own text and the recruiters' notes about them removed.

A company (or a recruiter login) is deleted outright (`company_delete`): its jobs go, and with them
the applications to those jobs. docs/data-rights.md is the reference.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import FailedEmail, UserAccount
from jobs import search, webhook_events
from jobs.models import OPEN_STAGES, Application, ApplicationEvent
from jobs.services import application_withdraw
from webhooks.models import Message

REMOVED = "[removed]"
"""What a recruiter's note on an erased candidate's application becomes."""

# (model label, field): the rows pointing at an erased candidate that stay, anonymised.
KEPT = {("jobs.Application", "candidate"), ("jobs.ApplicationEvent", "actor")}


def erased_name(account_id: int) -> str:
    return f"Deleted candidate #{account_id}"


def erased_email(account_id: int) -> str:
    """Unique (the id is) and no one's address: `.invalid` can never receive mail (RFC 2606)."""
    return f"deleted-{account_id}@erased.invalid"


def applications_with_traces():
    """Applications still holding something a candidate wrote or a recruiter noted about them."""
    noted = ApplicationEvent.objects.filter(application=OuterRef("pk")).exclude(note__in=["", REMOVED])
    return Application.objects.filter(~Q(cover_note="") | Exists(noted))


def applications_anonymise(applications) -> int:
    """Blank the cover notes and replace the notes of `applications`; returns how many had traces.

    Stages, dates and the history's shape stay: they are the company's record, not the person's.
    Running it again changes nothing and returns 0.
    """
    ids = list(
        applications_with_traces().filter(pk__in=applications.values("pk")).values_list("pk", flat=True)
    )
    Application.objects.filter(pk__in=ids).update(cover_note="")
    ApplicationEvent.objects.filter(application_id__in=ids).notes_redact(REMOVED)
    return len(ids)


def sessions_end(account_id: int) -> int:
    """Delete the database sessions (the admin, a sign-in in progress) logged in as the account."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(account_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _rows_pointing_at(account: UserAccount):
    """(model, queryset) for every row of any model that points at `account`, except `KEPT`."""
    # include_hidden: foreign keys with related_name="+" (the webhooks outbox's company) point at it too.
    for relation in UserAccount._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or not relation.is_relation:
            continue
        model = relation.related_model
        if (model._meta.label, relation.field.name) in KEPT or model is UserAccount:
            continue
        yield model, model._base_manager.filter(**{relation.field.name: account})


def _log_entries_about(model, ids) -> None:
    """The admin's history names the object (`object_repr`): it goes with the object."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).delete()


def _failed_emails_to(email: str) -> None:
    """Kept failures are few (accounts/mail.py); the address is inside a JSON list, so read them."""
    to_delete = [failed.pk for failed in FailedEmail.objects.only("pk", "to") if email in failed.to]
    FailedEmail.objects.filter(pk__in=to_delete).delete()


def _sign_in_end(account: UserAccount) -> None:
    """Tokens refused at once (inactive, new version, their records gone) and sessions ended."""
    OutstandingToken.objects.filter(user=account).delete()
    sessions_end(account.pk)


@transaction.atomic
def candidate_erase(*, candidate: UserAccount) -> bool:
    """Erase a candidate, keeping their applications anonymised; False if they already were.

    Open applications are withdrawn first (the company's history shows it), then everything else
    is removed; picture files go once this commits (profiles/pictures.py).
    """
    account = UserAccount.objects.select_for_update().get(pk=candidate.pk)
    if account.erased_at is not None:
        return False
    for application in Application.objects.filter(candidate=account, stage__in=OPEN_STAGES):
        application_withdraw(application=application, candidate=account)
    applications_anonymise(Application.objects.filter(candidate=account))
    for model, rows in _rows_pointing_at(account):
        _log_entries_about(model, rows.values_list("pk", flat=True))
        rows.delete()
    _log_entries_about(UserAccount, [account.pk])
    _failed_emails_to(account.email)
    _sign_in_end(account)
    account.groups.clear()
    account.user_permissions.clear()
    # Outbox messages already built from the candidate's applications carry their contact details.
    Message.objects.filter(body__icontains=account.email).delete()
    account.email = erased_email(account.pk)
    account.name = erased_name(account.pk)
    account.set_unusable_password()
    account.is_active = account.is_staff = account.is_superuser = account.searchable = False
    account.last_login = None
    account.recruiter_for = None
    account.erased_at = timezone.now()
    account.token_version = F("token_version") + 1
    account.save()
    # Outbox rows in this transaction: the companies hear of it only if the erasure commits.
    webhook_events.candidate_erased(
        list(Application.objects.filter(candidate=account).values_list("pk", flat=True))
    )
    candidate.erased_at = account.erased_at
    return True


@transaction.atomic
def company_delete(*, company: UserAccount) -> None:
    """Delete a company account (or any non-candidate login) and everything it owns.

    Its jobs go, and with them the applications to them and their history (the candidates' copies
    of those applications too); its profile and logo files; its recruiters' logins; its ledger rows.
    """
    logins = [company, *UserAccount.objects.filter(recruiter_for=company)]
    for login in logins:
        _sign_in_end(login)
        _log_entries_about(UserAccount, [login.pk])
        _failed_emails_to(login.email)
    company.delete()


def account_delete(*, account: UserAccount) -> None:
    """What `DELETE /auth/users/me/` does: candidates are erased, every other account deleted."""
    if account.is_candidate:
        candidate_erase(candidate=account)
    else:
        company_delete(company=account)
    search.index_compact()  # no word of the deleted jobs left in SQLite's full-text index
