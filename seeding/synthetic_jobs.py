"""`insert_dev --synthetic-jobs N`: N open jobs of realistic text, for search benchmarks and demos.

Deterministic for a seed. Jobs are spread over 200 synthetic companies (created once, reused on a
second run) with a title from a role and a stack, a description of ~120 words drawn from job-ad
phrases, 3 to 6 skills, a workplace, a country (remote jobs name EU, EEA or nothing), a salary in
the country's currency for most, an employment type and a seniority. Written with `bulk_create` in
batches of 5,000, so the database triggers keep the search index and the data version current.
"""

import random
from collections.abc import Callable

from django.db import transaction

from accounts.models import UserAccount
from jobs.models import CompanySize, EmploymentType, HiringNeeds, Job, JobSkill, Seniority, Workplace

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
PHRASES = [
    "You will design, build and operate services used by millions of customers.",
    "Our team ships small changes many times a day behind feature flags.",
    "We value clear writing, code review and pairing with colleagues.",
    "You own features end to end, from the first sketch to monitoring in production.",
    "Experience with distributed systems, caching and message queues is a plus.",
    "We run on managed cloud infrastructure with infrastructure as code.",
    "You will mentor junior engineers and help shape our engineering practices.",
    "The role involves working closely with product managers and designers.",
    "We care about accessibility, performance and a calm on-call rotation.",
    "Our customers are hospitals, logistics companies and online retailers.",
    "You will improve the reliability of our data pipelines and reporting.",
    "We offer learning budgets, flexible hours and a generous parental leave.",
    "Testing is part of the work: unit, integration and end-to-end tests.",
    "You will help migrate a legacy monolith to well-defined services.",
    "Knowledge of security best practices and privacy by design is expected.",
    "Remote-friendly team spread across several time zones.",
]
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
        description=" ".join(rng.sample(PHRASES, 8)),
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
    """Create `count` open jobs with their skills; `progress(done, count)` after each batch."""
    rng = random.Random(seed)
    companies = _companies()
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        with transaction.atomic():
            drafts = [_job(rng, companies[(created + n) % COMPANIES]) for n in range(size)]
            jobs = Job.objects.bulk_create([job for job, _ in drafts])
            JobSkill.objects.bulk_create(
                JobSkill(job=job, name=name, rating=rng.randint(3, 9))
                for job, (_, names) in zip(jobs, drafts, strict=True)
                for name in names
            )
        created += size
        if progress is not None:
            progress(created, count)
    return created
