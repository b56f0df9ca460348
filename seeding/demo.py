"""The demo portal: the shipped developers, a few companies with open jobs, and a short assessment.

Everything is found by a natural key before it is created (company accounts by email, jobs by
owner and title, job skills by job and name, questions by text, answers by question and text), so
loading the demo twice adds nothing. The job skills overlap the demo developers' Tech Stacks, so
every demo job has recommended candidates.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import UserAccount
from assessments.services import QuestionDraft, questions_upsert
from jobs.models import CompanySize, HiringNeeds, Job, JobSkill
from profiles.models import Company

DEMO_DEVELOPERS_FILE = Path(__file__).with_name("demo_developers.csv")


@dataclass(frozen=True)
class DemoJob:
    title: str
    description: str
    hiring_needs: str
    skills: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DemoCompany:
    email: str
    name: str
    about: str
    size: str
    website: str
    jobs: tuple[DemoJob, ...] = field(default=())


DEMO_COMPANIES = (
    DemoCompany(
        email="northwind@company.example",
        name="Northwind Apps",
        about="A product studio building mobile and web apps for retailers.",
        size=CompanySize.MEDIUM,
        website="https://northwind.example",
        jobs=(
            DemoJob(
                "Senior React Developer",
                "Own the customer-facing web shop: React, TypeScript and a Node.js backend-for-frontend.",
                HiringNeeds.FULL_TIME,
                (("React", 8), ("TypeScript", 6), ("Node.js", 6)),
            ),
            DemoJob(
                "React Native Engineer",
                "Ship our iOS and Android apps from one React Native codebase.",
                HiringNeeds.FULL_TIME,
                (("React Native", 7), ("Swift", 5), ("Android", 5)),
            ),
        ),
    ),
    DemoCompany(
        email="bluepeak@company.example",
        name="BluePeak Analytics",
        about="Data pipelines and machine-learning models for logistics companies.",
        size=CompanySize.SMALL,
        website="https://bluepeak.example",
        jobs=(
            DemoJob(
                "Python Backend Developer",
                "Build APIs with Django and keep our PostgreSQL data models healthy.",
                HiringNeeds.FULL_TIME,
                (("Python", 7), ("Django", 6), ("DevOps", 4)),
            ),
            DemoJob(
                "Machine Learning Engineer (part time)",
                "Train and deploy forecasting models; Python is a must.",
                HiringNeeds.PART_TIME,
                (("Machine Learning", 7), ("Python", 6)),
            ),
        ),
    ),
    DemoCompany(
        email="lumen@company.example",
        name="Lumen Payments",
        about="A payments platform for small merchants.",
        size=CompanySize.LARGE,
        website="https://lumen.example",
        jobs=(
            DemoJob(
                "Java / Go Platform Engineer",
                "Work on the ledger services written in Java and Go.",
                HiringNeeds.FULL_TIME,
                (("Java", 7), ("Go", 6), ("DevOps", 5)),
            ),
            DemoJob(
                "Full-stack PHP and Vue.js Developer",
                "Maintain the merchant dashboard (Laravel, Vue.js).",
                HiringNeeds.PART_TIME,
                (("PHP", 6), ("Vue.js", 6), ("Angular", 4)),
            ),
        ),
    ),
)

DEMO_QUESTIONS = (
    (
        "Which HTTP status code means that the request needs authentication?",
        (
            ("401 Unauthorized", True),
            ("403 Forbidden", False),
            ("404 Not Found", False),
            ("500 Error", False),
        ),
    ),
    (
        "In Python, what does `len({1, 1, 2})` return?",
        (("1", False), ("2", True), ("3", False)),
    ),
    (
        "Which SQL clause filters groups after aggregation?",
        (("WHERE", False), ("HAVING", True), ("ORDER BY", False), ("LIMIT", False)),
    ),
    (
        "What does `git rebase` do?",
        (
            ("Deletes the current branch", False),
            ("Replays commits on top of another base", True),
            ("Pushes commits to the remote", False),
        ),
    ),
    (
        "Which JavaScript keyword declares a block-scoped variable that cannot be reassigned?",
        (("var", False), ("let", False), ("const", True), ("static", False)),
    ),
)


@dataclass
class DemoReport:
    companies: int = 0
    jobs: int = 0
    questions: int = 0

    def summary(self) -> str:
        return (
            f"demo data: created {self.companies} companies, {self.jobs} jobs, "
            f"{self.questions} assessment questions"
        )


@transaction.atomic
def demo_extras_load(*, password: str) -> DemoReport:
    """Create whatever is missing of the demo companies, jobs and assessment.

    `password` is set only on company accounts created now; existing accounts keep theirs.
    """
    report = DemoReport()
    password_hash = None
    for demo in DEMO_COMPANIES:
        account = UserAccount.objects.filter(email=demo.email).first()
        if account is None:
            password_hash = password_hash or make_password(password)
            account = UserAccount.objects.create(
                email=demo.email, name=demo.name, type=UserAccount.Type.COMPANY, password=password_hash
            )
            report.companies += 1
        Company.objects.get_or_create(
            user=account, defaults={"name": demo.name, "about": demo.about, "website": demo.website}
        )
        for demo_job in demo.jobs:
            report.jobs += _job_get_or_create(account, demo, demo_job)
    drafts = [
        QuestionDraft(text=text, answers=[(0, answer, correct) for answer, correct in answers])
        for text, answers in DEMO_QUESTIONS
    ]
    report.questions = len(questions_upsert(drafts=drafts).created_questions)
    return report


def _job_get_or_create(account: UserAccount, demo: DemoCompany, demo_job: DemoJob) -> bool:
    job, created = Job.objects.get_or_create(
        user=account,
        title=demo_job.title,
        defaults={
            "description": demo_job.description,
            "work_email": demo.email,
            "hiring_needs": demo_job.hiring_needs,
            "current_employees": demo.size,
            "name": demo.name,
            "website": demo.website,
        },
    )
    for name, rating in demo_job.skills:
        if not job.skills.filter(name__iexact=name).exists():
            JobSkill.objects.create(job=job, name=name, rating=rating)
    return created
