"""Synthetic jobs for benchmarks (`insert_dev --synthetic-jobs N --seed S`): open jobs owned by a
few hundred synthetic companies, each needing 3 to 8 skills from the developers' vocabulary.

Job i always gets the same data for the same seed (every index is drawn, even one that exists), so
re-running creates nothing and a larger N only adds the missing jobs. 10,000 jobs take a few seconds.
"""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import UserAccount
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill
from profiles.models import Company
from seeding.synthetic import SKILL_VOCABULARY, SYNTHETIC_PASSWORD

SYNTHETIC_COMPANIES = 300
_BATCH = 2000
_TITLES = ["Backend Engineer", "Frontend Engineer", "Fullstack Developer", "Mobile Developer",
           "Data Engineer", "DevOps Engineer", "ML Engineer", "QA Engineer"]  # fmt: skip
_HIRING_NEEDS = list(HiringNeeds.values)
_SIZES = list(CompanySize.values)


def synthetic_company_email(seed: int, index: int) -> str:
    return f"synth-company-{seed}-{index}@company.example"


def synthetic_job_title(seed: int, index: int, rng: random.Random) -> str:
    return f"{rng.choice(_TITLES)} #{seed}-{index}"


@transaction.atomic
def create_synthetic_jobs(count: int, seed: int, *, companies: int = SYNTHETIC_COMPANIES) -> int:
    """Create jobs 0..count-1 for `seed` (job i owned by company i mod `companies`); return the new ones."""
    owners = _companies(seed, min(companies, max(count, 1)))
    existing = set(Job.objects.filter(user_id__in=owners.values()).values_list("title", flat=True))
    rng = random.Random(f"jobs-{seed}")
    created = 0
    for start in range(0, count, _BATCH):
        drafts = []
        for index in range(start, min(start + _BATCH, count)):
            title = synthetic_job_title(seed, index, rng)
            owner = index % len(owners)
            job = Job(
                user_id=owners[owner],
                title=title,
                description="Synthetic job generated for benchmarks.",
                work_email=synthetic_company_email(seed, owner),
                hiring_needs=rng.choice(_HIRING_NEEDS),
                current_employees=rng.choice(_SIZES),
                name=f"Synthetic Co {seed}-{owner}",
            )
            skills = [(n, rng.randint(1, 10)) for n in rng.sample(SKILL_VOCABULARY, rng.randint(3, 8))]
            if title not in existing:
                drafts.append((job, skills))
        jobs = Job.objects.bulk_create([job for job, _ in drafts])
        JobSkill.objects.bulk_create(
            JobSkill(job=job, name=name, rating=rating)
            for job, (_, skills) in zip(jobs, drafts, strict=True)
            for name, rating in skills
        )
        created += len(jobs)
    return created


def _companies(seed: int, count: int) -> dict[int, int]:
    """Company index -> account id, creating the missing company accounts and profiles."""
    emails = {synthetic_company_email(seed, i): i for i in range(count)}
    found = dict(UserAccount.objects.filter(email__in=emails).values_list("email", "id"))
    missing = [email for email in emails if email not in found]
    if missing:
        password = make_password(SYNTHETIC_PASSWORD)
        accounts = UserAccount.objects.bulk_create(
            UserAccount(
                email=email,
                name=f"Synthetic Co {seed}-{emails[email]}",
                type=UserAccount.Type.COMPANY,
                password=password,
            )
            for email in missing
        )
        Company.objects.bulk_create(Company(user=account, name=account.name) for account in accounts)
        found.update((account.email, account.id) for account in accounts)
    return {emails[email]: account_id for email, account_id in found.items()}
