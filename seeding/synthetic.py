"""Synthetic developers for benchmarks: many realistic candidates, fast, the same for the same seed.

Rows are built in memory one batch at a time, so memory stays bounded by the batch size. On
PostgreSQL they are streamed with COPY (seeding.copy_load: a million developers in about a minute
and a half); elsewhere written with multi-row INSERTs that return the new account ids (SQLite
3.35+), about a minute per 100,000. Every account shares one password hash, computed once.
"""

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import UserAccount
from helpers.fields import SkillNameField
from helpers.skills import CANONICAL_SKILLS
from profiles import holders, listed
from profiles.models import (
    CANDIDATE_DATA_TABLES,
    Availability,
    AvailabilityType,
    EnglishProficiency,
    Experience,
    PreferredRole,
    Profile,
    ReadyToStart,
    RoleSalary,
    UserSkill,
)
from seeding.copy_load import (
    CopyTable,
    bulk_load_session,
    ids_reserve,
    in_background,
    secondary_indexes_build,
    secondary_indexes_drop,
)

SYNTHETIC_PASSWORD = "synthetic-dev-password"
_BIO = "Synthetic developer generated for benchmarks."
_MAX_PARAMS_PER_INSERT = 20_000
"""Parameters per INSERT statement, at most (smaller where the database needs it)."""

SKILL_VOCABULARY = list(CANONICAL_SKILLS)

_FIRST_NAMES = [
    "Amina", "Bilal", "Carla", "Dmitri", "Esra", "Farid", "Greta", "Hamza", "Ines", "Jonas",
    "Kiran", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tara",
    "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zara",
]  # fmt: skip
_LAST_NAMES = [
    "Ahmed", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Khan", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka",
    "Usman", "Varga", "Weber", "Yilmaz", "Zielinski",
]  # fmt: skip
_COUNTRIES = ["Pakistan", "Germany", "Brazil", "India", "Nigeria", "Poland", "Turkey", "Egypt", "Spain"]
# Plain lists: reading `.values` of a TextChoices costs more than drawing from it.
_ENGLISH_LEVELS = list(EnglishProficiency.values)
_AVAILABILITY_TYPES = list(AvailabilityType.values)
_READY_TO_START = list(ReadyToStart.values)
_ROLES = list(PreferredRole.values)

Progress = Callable[[int, int], None]


def synthetic_email(seed: int, index: int) -> str:
    return f"synth-{seed}-{index}@dev.example"


def create_synthetic_developers(
    count: int,
    seed: int,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    method: str | None = None,
    defer_indexes: bool | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> int:
    """Create `count` developers numbered 0..count-1 for `seed`; return how many were new.

    Developer i always gets the same data for the same seed (the generator draws for every index,
    even one that already exists), so re-running with the same seed creates nothing and a larger
    count only adds the missing developers. `progress(done, count)` is called after each batch.

    `method`: "copy" (PostgreSQL's default: one transaction of COPY batches, see seeding.copy_load)
    or "insert" (multi-row INSERTs, one transaction per batch; SQLite's). `defer_indexes` (COPY
    only): drop and rebuild the secondary indexes; by default when the load at least doubles the
    accounts table and is large. `on_stage(name)` hears the phases after the rows ("indexes").
    """
    method = method or ("copy" if connection.vendor == "postgresql" else "insert")
    if method not in ("copy", "insert"):
        raise ValueError(f"unknown method {method!r}")
    existing = set(
        UserAccount.objects.filter(email__startswith=f"synth-{seed}-").values_list("email", flat=True)
    )
    missing = sum(1 for index in range(count) if synthetic_email(seed, index) not in existing)
    if not missing:
        if progress and count:
            progress(count, count)
        return 0
    password = make_password(SYNTHETIC_PASSWORD)
    batches = _missing_batches(count, seed, existing, batch_size or _BATCH_SIZES[method])
    if method == "insert":
        created = 0
        for drafts, done in batches:
            created += _write_batch(drafts, password)
            if progress:
                progress(done, count)
        return created
    if defer_indexes is None:
        defer_indexes = missing >= DEFER_INDEXES_FROM and missing >= UserAccount.objects.count()
    return _copy_load(batches, password, count, missing, defer_indexes, progress, on_stage)


DEFER_INDEXES_FROM = 50_000
"""New developers from which a COPY load (that at least doubles the table) rebuilds indexes after."""
_BATCH_SIZES = {"insert": 5000, "copy": 20_000}


def _missing_batches(count: int, seed: int, existing: set[str], batch_size: int):
    """(drafts of the developers not in `existing`, how many indexes were drawn so far), per batch."""
    rng = random.Random(seed)
    for start in range(0, count, batch_size):
        drafts = []
        for index in range(start, min(start + batch_size, count)):
            draft = _draw_developer(rng, seed, index)
            if draft["email"] not in existing:
                drafts.append(draft)
        yield drafts, min(start + batch_size, count)


def _draw_developer(rng: random.Random, seed: int, index: int) -> dict:
    years = rng.randint(0, 20)
    return {
        "email": synthetic_email(seed, index),
        "first_name": rng.choice(_FIRST_NAMES),
        "last_name": rng.choice(_LAST_NAMES),
        "country": rng.choice(_COUNTRIES),
        "years": years,
        "remote_years": rng.randint(0, years),
        "english": rng.choice(_ENGLISH_LEVELS),
        "availability": rng.choice(_AVAILABILITY_TYPES),
        "ready": rng.choice(_READY_TO_START),
        "role": rng.choice(_ROLES),
        "salary": str(rng.randrange(300_000, 5_000_000, 50_000)),
        "skills": [(name, rng.randint(1, 10)) for name in rng.sample(SKILL_VOCABULARY, rng.randint(3, 8))],
    }


@transaction.atomic
def _write_batch(drafts: list[dict], password: str) -> int:
    if not drafts:
        return 0
    user_type = UserAccount.Type.USER.value
    user_ids = _insert_rows(
        UserAccount,
        [
            {
                "email": d["email"],
                "name": f"{d['first_name']} {d['last_name']}",
                "type": user_type,
                "password": password,
            }
            for d in drafts
        ],
        return_ids=True,
    )
    pairs = list(zip(user_ids, drafts, strict=True))
    bio = _BIO
    _insert_rows(
        Profile,
        [
            {
                "user_id": i,
                "first_name": d["first_name"],
                "last_name": d["last_name"],
                "country": d["country"],
                "bio": bio,
            }
            for i, d in pairs
        ],
    )
    _insert_rows(
        Experience,
        [
            {
                "user_id": i,
                "years_of_experience": d["years"],
                "years_of_remote_experience": d["remote_years"],
                "english_proficiency": d["english"],
            }
            for i, d in pairs
        ],
    )
    _insert_rows(
        Availability,
        [
            {"user_id": i, "availability_type": d["availability"], "ready_to_start_in": d["ready"]}
            for i, d in pairs
        ],
    )
    _insert_rows(
        RoleSalary,
        [{"user_id": i, "preferred_role": d["role"], "current_salary": d["salary"]} for i, d in pairs],
    )
    _insert_rows(
        UserSkill,
        [{"user_id": i, "name": name, "rating": rating} for i, d in pairs for name, rating in d["skills"]],
    )
    return len(user_ids)


@transaction.atomic
def _copy_load(batches, password: str, count: int, missing: int, defer: bool, progress, on_stage) -> int:
    """All batches in one transaction, so indexes dropped for the load are back before commit.

    The ids are reserved first, so the batches' text is built in a thread (`in_background`) while
    the connection copies the previous batch."""
    account = CopyTable(UserAccount, ["id", "email", "name", "type", "password"])
    profile = CopyTable(Profile, ["user_id", "first_name", "last_name", "country", "bio"])
    experience = CopyTable(
        Experience, ["user_id", "years_of_experience", "years_of_remote_experience", "english_proficiency"]
    )
    availability = CopyTable(Availability, ["user_id", "availability_type", "ready_to_start_in"])
    role = CopyTable(RoleSalary, ["user_id", "preferred_role", "current_salary"])
    skill = CopyTable(UserSkill, ["user_id", "name", "rating"])
    tables = (account, profile, experience, availability, role, skill)
    user_type = UserAccount.Type.USER.value
    created = 0
    with bulk_load_session() as cursor:
        rebuild = secondary_indexes_drop(cursor, CANDIDATE_DATA_TABLES) if defer else []
        if defer:  # the triggers' transition tables would hold every row: rebuilt once instead
            cursor.execute(f"ALTER TABLE {UserSkill._meta.db_table} DISABLE TRIGGER {holders.TRIGGER}")
            cursor.execute(f"ALTER TABLE {UserAccount._meta.db_table} DISABLE TRIGGER {listed.TRIGGER}")
        ids = iter(ids_reserve(cursor, UserAccount, missing))

        def buffers():
            for drafts, done in batches:
                pairs = [(next(ids), d) for d in drafts]
                yield (
                    done,
                    len(pairs),
                    [
                        account.text(
                            (i, d["email"], f"{d['first_name']} {d['last_name']}", user_type, password)
                            for i, d in pairs
                        ),
                        profile.text(
                            (i, d["first_name"], d["last_name"], d["country"], _BIO) for i, d in pairs
                        ),
                        experience.text((i, d["years"], d["remote_years"], d["english"]) for i, d in pairs),
                        availability.text((i, d["availability"], d["ready"]) for i, d in pairs),
                        role.text((i, d["role"], d["salary"]) for i, d in pairs),
                        skill.text((i, name, rating) for i, d in pairs for name, rating in d["skills"]),
                    ],
                )

        for done, written, texts in in_background(buffers()):
            for table, text in zip(tables, texts, strict=True):
                table.copy(cursor, text)
            created += written
            if progress:
                progress(done, count)
        if rebuild:
            if on_stage:
                on_stage("indexes")
            secondary_indexes_build(cursor, rebuild)
        if defer:
            cursor.execute(f"ALTER TABLE {UserSkill._meta.db_table} ENABLE TRIGGER {holders.TRIGGER}")
            cursor.execute(f"ALTER TABLE {UserAccount._meta.db_table} ENABLE TRIGGER {listed.TRIGGER}")
            holders.holders_rebuild()
            listed.listed_rebuild()
    return created


def _insert_rows(model: type[models.Model], rows: list[dict], *, return_ids: bool = False) -> list[int]:
    """Multi-row INSERTs of plain values keyed by attname; the new ids in row order if asked.

    What `bulk_create` does, without building a model instance and preparing every value per row
    (two thirds of its time at this volume). Columns a row leaves out get the field's default,
    prepared once per call; `auto_now`/`auto_now_add` fields get the current time. Values given
    must already be database-ready (plain strings and numbers); fields that clean their own values
    (SkillNameField) still do, so this writer obeys the same rules as `save`. Ids come back through
    RETURNING in insertion order, as `bulk_create` relies on for PostgreSQL and SQLite.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: f.get_db_prep_save(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default(),
            connection,
        )
        for f in fields
    }
    attnames = [f.attname for f in fields]
    cleaners = {f.attname: f.to_python for f in fields if isinstance(f, SkillNameField)}
    if cleaners:
        rows = [
            {**row, **{name: clean(row[name]) for name, clean in cleaners.items() if name in row}}
            for row in rows
        ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    returning = f" RETURNING {quote(model._meta.pk.column)}" if return_ids else ""
    row_placeholder = f"({', '.join(['%s'] * len(fields))})"
    chunk_size = max(
        1, min(_MAX_PARAMS_PER_INSERT, connection.features.max_query_params or 10**9) // len(fields)
    )
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            params = [row.get(name, defaults[name]) for row in chunk for name in attnames]
            values = ", ".join([row_placeholder] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}{returning}", params
            )
            if return_ids:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids
