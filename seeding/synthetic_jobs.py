"""`insert_dev --synthetic-jobs N`: N open jobs of realistic text, for search benchmarks and demos.

Deterministic for a seed. Jobs are spread over 200 synthetic companies (created once, reused on a
second run) with a title from a seniority, a stack and a role, a description of 5-8 sentences
(40-90 words) from job-ad templates with many fillers (tasks, products, domains, perks, values,
technologies), 3 to 6 skills, a workplace, a country and city (remote jobs name EU, EEA, a pair or
nothing), a salary in the country's currency for 70%, an employment type and a seniority. Written
with `bulk_create` in batches of 5,000, so the database triggers keep the search index and the data
version current.
"""

import random
from collections.abc import Callable
from contextlib import nullcontext

from django.db import connection, transaction

from accounts.models import UserAccount
from jobs.models import CompanySize, EmploymentType, HiringNeeds, Job, JobSkill, Seniority, Workplace
from seeding.copy_load import bulk_load_session

COMPANIES = 200
BATCH = 5000
ROLES = ["Developer", "Engineer", "Architect", "Consultant", "Lead", "Specialist", "Programmer"]
STACKS = {
    "Backend": ["Python", "Django", "PostgreSQL", "Go", "Java", "Kafka", "Redis"],
    "Frontend": ["React", "TypeScript", "JavaScript", "Vue.js", "CSS", "Next.js"],
    "Full Stack": ["Python", "React", "Node.js", "TypeScript", "PostgreSQL"],
    "Data": ["Python", "SQL", "Spark", "Airflow", "dbt", "Pandas"],
    "Machine Learning": ["Python", "PyTorch", "TensorFlow", "SQL", "Kubernetes"],
    "DevOps": ["Kubernetes", "Terraform", "AWS", "Docker", "Linux", "Go"],
    "Mobile": ["Swift", "Kotlin", "React Native", "Flutter"],
    "Security": ["Linux", "Python", "AWS", "Go", "Networking"],
    "QA": ["Selenium", "Python", "JavaScript", "Playwright"],
    "Embedded": ["C", "C++", "Rust", "Linux"],
}
DOMAINS = [
    "payments", "logistics", "healthcare", "e-commerce", "insurance", "energy", "travel", "education",
    "gaming", "media", "agriculture", "real estate", "telecom", "banking", "retail", "public sector",
]  # fmt: skip
TASKS = [
    "design and build", "maintain and improve", "scale", "monitor", "migrate", "test", "document",
    "secure", "optimise", "refactor", "operate", "prototype",
]  # fmt: skip
THINGS = [
    "APIs", "data pipelines", "mobile apps", "internal tools", "customer dashboards", "search services",
    "billing systems", "recommendation models", "deployment tooling", "event streams", "reporting",
    "identity services", "checkout flows", "analytics warehouses",
]  # fmt: skip
STYLES = [
    "in small autonomous squads", "closely with product and design", "across three time zones",
    "with weekly releases", "with continuous deployment", "in pairs most days", "from a quiet office",
]  # fmt: skip
LEVELS = ["required", "a strong plus", "nice to have", "expected after onboarding"]
PERKS = [
    "a learning budget", "flexible hours", "a generous parental leave", "stock options", "a pension plan",
    "four-day weeks in summer", "a home-office allowance", "private health insurance", "sabbaticals",
    "paid conference trips", "a bike lease", "relocation support",
]  # fmt: skip
VALUES = [
    "clear writing", "code review", "accessibility", "calm on-call rotations", "privacy by design",
    "mentoring", "testing at every level", "small reversible changes", "observability", "kindness",
]  # fmt: skip
EVERY_TECH = sorted({tech for stack in STACKS.values() for tech in stack})
PLACES = [
    ("DE", "Berlin", "EUR"), ("DE", "Munich", "EUR"), ("FR", "Paris", "EUR"), ("NL", "Amsterdam", "EUR"),
    ("ES", "Madrid", "EUR"), ("PL", "Warsaw", "PLN"), ("GB", "London", "GBP"), ("GB", "Manchester", "GBP"),
    ("US", "New York", "USD"), ("US", "Austin", "USD"), ("CA", "Toronto", "CAD"), ("IN", "Bengaluru", "INR"),
    ("PK", "Lahore", "PKR"), ("SE", "Stockholm", "SEK"), ("CH", "Zurich", "CHF"), ("BR", "São Paulo", "BRL"),
]  # fmt: skip
REMOTE_REGIONS = [[], ["EU"], ["EEA"], ["EU", "GB"], ["US", "CA"]]


def _companies() -> list[UserAccount]:
    emails = [f"synthetic-company-{n}@company.example" for n in range(COMPANIES)]
    existing = {user.email: user for user in UserAccount.objects.filter(email__in=emails)}
    missing = [
        UserAccount(
            email=email, name=f"Synthetic Company {n}", type=UserAccount.Type.COMPANY, password="!synthetic"
        )
        for n, email in enumerate(emails)
        if email not in existing
    ]
    UserAccount.objects.bulk_create(missing)  # an unusable password: nobody logs in as them
    return list(UserAccount.objects.filter(email__in=emails).order_by("email"))


def _description(rng: random.Random, stack: str) -> str:
    """Five to eight sentences of a job ad, from templates with many fillers (~120 words), so word
    frequencies spread as in real ads rather than every phrase being in half the jobs."""
    makers = [
        lambda: f"You will {rng.choice(TASKS)} {rng.choice(THINGS)} for our {rng.choice(DOMAINS)} customers.",
        lambda: f"The team works {rng.choice(STYLES)} and owns its services end to end.",
        lambda: f"Experience with {rng.choice(STACKS[stack])} is {rng.choice(LEVELS)}.",
        lambda: f"Knowing {rng.choice(EVERY_TECH)} or {rng.choice(EVERY_TECH)} is {rng.choice(LEVELS)}.",
        lambda: f"We offer {rng.choice(PERKS)} and {rng.choice(PERKS)}.",
        lambda: f"We value {rng.choice(VALUES)}, {rng.choice(VALUES)} and {rng.choice(VALUES)}.",
        lambda: (
            f"Last year we helped {rng.randrange(2, 90)} {rng.choice(DOMAINS)} companies {rng.choice(TASKS)} "
            f"their {rng.choice(THINGS)}."
        ),
    ]
    return " ".join(rng.choice(makers)() for _ in range(rng.randint(5, 8)))


def _job(rng: random.Random, company: UserAccount) -> tuple[Job, list[str]]:
    stack = rng.choice(list(STACKS))
    seniority = rng.choice(Seniority.values)
    workplace = rng.choices(Workplace.values, weights=[4, 3, 3])[0]
    country, city, currency = rng.choice(PLACES)
    low = rng.randrange(30, 120) * 1000
    paid = rng.random() < 0.7
    job = Job(
        user=company,
        title=f"{seniority.title()} {stack} {rng.choice(ROLES)}",
        description=_description(rng, stack),
        work_email="jobs@company.example",
        hiring_needs=rng.choice(HiringNeeds.values),
        current_employees=rng.choice(CompanySize.values),
        name=company.name,
        workplace=workplace,
        city="" if workplace == Workplace.REMOTE else city,
        country=country,
        remote_regions=rng.choice(REMOTE_REGIONS) if workplace == Workplace.REMOTE else [],
        salary_min=low if paid else None,
        salary_max=low + rng.randrange(0, 40) * 1000 if paid else None,
        salary_currency=currency if paid else "",
        salary_period="year" if paid else "",
        employment_type=rng.choices(EmploymentType.values, weights=[8, 2, 3, 1])[0],
        seniority=seniority,
    )
    return job, rng.sample(STACKS[stack], min(len(STACKS[stack]), rng.randint(3, 6)))


def create_synthetic_jobs(
    count: int, seed: int = 0, progress: Callable[[int, int], None] | None = None
) -> int:
    """Make sure `count` synthetic jobs exist; return how many were created now.

    Job i is drawn the same way for a seed whether or not it is written, so a second run with the same
    seed creates nothing and a larger N adds only the jobs past those already there.
    `progress(done, count)` after each batch.
    """
    rng = random.Random(seed)
    companies = _companies()
    existing = Job.objects.filter(user__in=companies).count()
    created = 0
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        drafts = [_job(rng, companies[(start + n) % COMPANIES]) for n in range(size)]
        ratings = [[rng.randint(3, 9) for _ in names] for _, names in drafts]
        fresh = [n for n in range(size) if start + n >= existing]
        if fresh:
            # A batch's search-vector triggers can outlast a request's statement timeout (PostgreSQL).
            lifted = bulk_load_session() if connection.vendor == "postgresql" else nullcontext()
            with transaction.atomic(), lifted:
                jobs = Job.objects.bulk_create([drafts[n][0] for n in fresh])
                JobSkill.objects.bulk_create(
                    JobSkill(job=job, name=name, rating=rating)
                    for job, n in zip(jobs, fresh, strict=True)
                    for name, rating in zip(drafts[n][1], ratings[n], strict=True)
                )
            created += len(fresh)
        if progress is not None:
            progress(start + size, count)
    return created
