"""Creating or updating developers from parsed sheet rows, one transaction per developer.

A developer is identified by their email (`firstname@dev.com`, or `firstname.lastname@dev.com` for
a later row with a first name already used in the file), so importing the same file twice creates
nothing the second time. The import compares the fields the sheet describes and saves only what
changed. Values the sheet does not carry (password, bio, ready-to-start, role and salary) are set
when the developer is created and never overwritten. An import never deletes anything: a changed
Tech Stack or college adds a skill or an education next to the ones the developer already has.
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from accounts.models import UserAccount
from profiles.models import (
    Availability,
    Education,
    Experience,
    PreferredRole,
    Profile,
    ReadyToStart,
    RoleSalary,
    UserSkill,
)
from seeding.sheet import (
    FIRST_NAME,
    LAST_NAME,
    DeveloperRow,
    RowError,
    SheetRow,
    email_local_part,
    parse_row,
)

DEFAULT_PASSWORD = "devpass-2024"
"""Password of every developer an import creates, unless `--password` is given."""
DEFAULT_ROLE = PreferredRole.OTHER
DEFAULT_SALARY = "0"
EMAIL_DOMAIN = "dev.com"

Progress = Callable[[int, int], None]


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(row number, reason) of every skipped row, in row order."""

    @property
    def skipped(self) -> int:
        return len(self.errors)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )


def developers_import(
    rows: Iterable[SheetRow], *, password: str = DEFAULT_PASSWORD, progress: Progress | None = None
) -> ImportReport:
    """Import every good row, each developer in its own transaction; report bad rows and skip them."""
    rows = list(rows)
    emails = assign_emails(rows)
    password_hash = _LazyHash(password)
    report = ImportReport()
    for done, raw in enumerate(rows, start=1):
        try:
            email = emails[raw.number]
            if isinstance(email, RowError):
                raise email
            row = parse_row(raw)
            report.count(developer_upsert(row=row, email=email, password_hash=password_hash))
        except RowError as exc:
            report.errors.append((raw.number, str(exc)))
        except (ValidationError, DatabaseError) as exc:
            report.errors.append((raw.number, f"not saved: {exc}"))
        if progress:
            progress(done, len(rows))
    return report


def assign_emails(rows: Iterable[SheetRow]) -> dict[int, str | RowError]:
    """Each row's email by row number: `first@dev.com`, then `first.last@dev.com` for a repeated first name.

    Decided from the names alone, before any other validation, so fixing an unrelated cell in an
    earlier row never moves a developer to another email.
    """
    emails: dict[int, str | RowError] = {}
    owners: dict[str, int] = {}
    for row in rows:
        first = email_local_part(str(row.values.get(FIRST_NAME) or ""))
        last = email_local_part(str(row.values.get(LAST_NAME) or ""))
        if not first:
            emails[row.number] = RowError(f"no {FIRST_NAME} usable in an email address")
            continue
        email = f"{first}@{EMAIL_DOMAIN}"
        if email in owners:
            email = f"{first}.{last}@{EMAIL_DOMAIN}"
        if email in owners:
            emails[row.number] = RowError(f"{email} is already used by row {owners[email]} (same name)")
            continue
        owners[email] = row.number
        emails[row.number] = email
    return emails


class _LazyHash:
    """The password hash, computed once and only if an account is created (hashing is slow on purpose)."""

    def __init__(self, password: str):
        self._password = password
        self._hash: str | None = None

    def __str__(self) -> str:
        if self._hash is None:
            self._hash = make_password(self._password)
        return self._hash


@transaction.atomic
def developer_upsert(*, row: DeveloperRow, email: str, password_hash: _LazyHash | str) -> Outcome:
    """Create or update the account and the sections the row describes; never half a developer."""
    user = UserAccount.objects.filter(email=email).first()
    name = f"{row.first_name} {row.last_name}"
    if user is None:
        user = UserAccount.objects.create(
            email=email, name=name, type=UserAccount.Type.USER, password=str(password_hash)
        )
        created, changed = True, False
    elif not user.is_candidate or user.is_staff:
        raise RowError(f"{email} belongs to an account that is not a developer")
    else:
        created, changed = False, _sync(user, name=name)

    changed |= _sync_one(
        Profile,
        user,
        fields={
            "first_name": row.first_name,
            "last_name": row.last_name,
            "city": row.city,
            "country": row.country,
            "phone": row.phone,
        },
        on_create={"bio": _default_bio(row)},
    )
    changed |= _sync_one(
        Experience,
        user,
        fields={
            "years_of_experience": row.years_of_experience,
            "years_of_remote_experience": row.years_of_experience,
            "english_proficiency": row.english_proficiency,
        },
    )
    changed |= _sync_one(
        Availability,
        user,
        fields={"availability_type": row.availability_type},
        on_create={"ready_to_start_in": ReadyToStart.NOW},
    )
    changed |= _sync_one(
        RoleSalary,
        user,
        fields={},
        on_create={"preferred_role": DEFAULT_ROLE, "current_salary": DEFAULT_SALARY},
    )
    if row.has_education:
        changed |= _sync_match(
            Education.objects.filter(user=user, degree__iexact=row.degree, college__iexact=row.college),
            user,
            {
                "degree": row.degree,
                "college": row.college,
                "start_date": row.start_date,
                "end_date": row.end_date,
            },
        )
    changed |= _sync_match(
        UserSkill.objects.filter(user=user, name__iexact=row.skill_name),
        user,
        {"name": row.skill_name, "rating": row.skill_rating},
    )
    if created:
        return Outcome.CREATED
    return Outcome.UPDATED if changed else Outcome.UNCHANGED


def _default_bio(row: DeveloperRow) -> str:
    place = ", ".join(part for part in (row.city, row.country) if part)
    return f"Software developer based in {place}." if place else "Software developer."


def _sync(obj: models.Model, **fields) -> bool:
    """Set the fields that differ and save only those; True if anything changed."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(obj, name, fields[name])
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        changed.append("updated_at")
    obj.save(update_fields=changed)
    return True


def _sync_one(
    model: type[models.Model], user: UserAccount, *, fields: dict, on_create: dict | None = None
) -> bool:
    """A one-per-user section: create it, or update the fields the sheet describes."""
    return _sync_match(model.objects.filter(user=user), user, fields, on_create)


def _sync_match(
    queryset: models.QuerySet, user: UserAccount, fields: dict, on_create: dict | None = None
) -> bool:
    existing = queryset.order_by("pk").first()
    if existing is None:
        queryset.model.objects.create(user=user, **fields, **(on_create or {}))
        return True
    return _sync(existing, **fields)
