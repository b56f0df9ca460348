import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import UserAccount
from accounts.tests.factories import CompanyFactory
from assessments.models import Answer, Question
from jobs.models import CompanySize

# What the SPA's add-job form sends (api-contract 2.4): note `Part time` and the ignored `user`.
SPA_JOB_FORM = {
    "user": 1,
    "title": "Senior Django Developer",
    "description": "Own our REST API end to end.",
    "work_email": "hiring@acme.example",
    "hiring_needs": "Part time",
    "current_employees": CompanySize.MEDIUM,
    "name": "Acme",
    "phone": "+92 300 0000000",
    "website": "acme.example",
}


@pytest.fixture
def job_form():
    return dict(SPA_JOB_FORM)


@pytest.fixture
def acme():
    return CompanyFactory(name="Acme", email="acme@company.example")


@pytest.fixture
def recruiter(acme, monkeypatch):
    """A recruiter for Acme, made as a person would: `manage.py add_recruiter`."""
    monkeypatch.setenv("RECRUITER_PASSWORD", "Recruit-Harbour-82")
    call_command("add_recruiter", "rita@acme.example", "--company", acme.email, stdout=io.StringIO())
    return UserAccount.objects.get(email="rita@acme.example")


@pytest.fixture
def recruiter_client(recruiter):
    client = Client()
    assert client.login(email=recruiter.email, password="Recruit-Harbour-82")
    return client


QUESTIONS = 4


@pytest.fixture
def questions():
    """A test of QUESTIONS questions, each with a right and a wrong answer."""
    made = [Question.objects.create(text=f"Q{i}", position=i) for i in range(QUESTIONS)]
    for question in made:
        Answer.objects.create(question=question, text="right", is_correct=True)
        Answer.objects.create(question=question, text="wrong", is_correct=False)
    return made
