import pytest

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
