"""Synthetic developers for benchmarks: many realistic candidates, fast, the same for the same seed.

Rows are built in memory one batch at a time and written with `bulk_create` (which returns the new
account ids on PostgreSQL and SQLite 3.35+), so 100,000 developers take well under two minutes and
memory stays bounded by the batch size. Every account shares one password hash, computed once.
"""

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import UserAccount
from helpers.skills import CANONICAL_SKILLS, canonical_skill_name
from profiles.models import (
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

SYNTHETIC_PASSWORD = "synthetic-dev-password"
SKILL_VOCABULARY = [canonical_skill_name(name) for name in CANONICAL_SKILLS]

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

Progress = Callable[[int, int], None]


def synthetic_email(seed: int, index: int) -> str:
    return f"synth-{seed}-{index}@dev.example"


def create_synthetic_developers(
    count: int, seed: int, *, batch_size: int = 5000, progress: Progress | None = None
) -> int:
    """Create `count` developers numbered 0..count-1 for `seed`; return how many were new.

    Developer i always gets the same data for the same seed (the generator draws for every index,
    even one that already exists), so re-running with the same seed creates nothing and a larger
    count only adds the missing developers. `progress(done, count)` is called after each batch.
    """
    rng = random.Random(seed)
    password = make_password(SYNTHETIC_PASSWORD)
    existing = set(
        UserAccount.objects.filter(email__startswith=f"synth-{seed}-").values_list("email", flat=True)
    )
    created = 0
    for start in range(0, count, batch_size):
        drafts = []
        for index in range(start, min(start + batch_size, count)):
            draft = _draw_developer(rng, seed, index)
            if draft["email"] not in existing:
                drafts.append(draft)
        created += _write_batch(drafts, password)
        if progress:
            progress(min(start + batch_size, count), count)
    return created


def _draw_developer(rng: random.Random, seed: int, index: int) -> dict:
    years = rng.randint(0, 20)
    return {
        "email": synthetic_email(seed, index),
        "first_name": rng.choice(_FIRST_NAMES),
        "last_name": rng.choice(_LAST_NAMES),
        "country": rng.choice(_COUNTRIES),
        "years": years,
        "remote_years": rng.randint(0, years),
        "english": rng.choice(EnglishProficiency.values),
        "availability": rng.choice(AvailabilityType.values),
        "ready": rng.choice(ReadyToStart.values),
        "role": rng.choice(PreferredRole.values),
        "salary": str(rng.randrange(300_000, 5_000_000, 50_000)),
        "skills": [(name, rng.randint(1, 10)) for name in rng.sample(SKILL_VOCABULARY, rng.randint(3, 8))],
    }


@transaction.atomic
def _write_batch(drafts: list[dict], password: str) -> int:
    if not drafts:
        return 0
    users = UserAccount.objects.bulk_create(
        UserAccount(
            email=d["email"],
            name=f"{d['first_name']} {d['last_name']}",
            type=UserAccount.Type.USER,
            password=password,
        )
        for d in drafts
    )
    pairs = list(zip(users, drafts, strict=True))
    Profile.objects.bulk_create(
        Profile(
            user=u,
            first_name=d["first_name"],
            last_name=d["last_name"],
            country=d["country"],
            bio="Synthetic developer generated for benchmarks.",
        )
        for u, d in pairs
    )
    Experience.objects.bulk_create(
        Experience(
            user=u,
            years_of_experience=d["years"],
            years_of_remote_experience=d["remote_years"],
            english_proficiency=d["english"],
        )
        for u, d in pairs
    )
    Availability.objects.bulk_create(
        Availability(user=u, availability_type=d["availability"], ready_to_start_in=d["ready"])
        for u, d in pairs
    )
    RoleSalary.objects.bulk_create(
        RoleSalary(user=u, preferred_role=d["role"], current_salary=d["salary"]) for u, d in pairs
    )
    UserSkill.objects.bulk_create(
        UserSkill(user=u, name=name, rating=rating) for u, d in pairs for name, rating in d["skills"]
    )
    return len(users)
