import datetime
import io

import pytest

from helpers.images import picture_from_upload
from helpers.tests import pictures
from jobs.models import listing_day
from jobs.tests.factories import JobFactory, JobSkillFactory
from profiles.pictures import picture_replace
from profiles.tests.factories import CompanyProfileFactory


@pytest.fixture
def acme(db):
    """Acme's public profile, with a logo stored as an upload stores it."""
    profile = CompanyProfileFactory(
        name="Acme",
        about="We make anvils.",
        website="acme.example",
        phone="+49 30 1234",
        address="1 Anvil Way",
    )
    logo = picture_from_upload(io.BytesIO(pictures.png(300, 200)), max_bytes=10**7, max_pixels=10**8)
    return picture_replace(row=profile, picture=logo)


@pytest.fixture
def remote_job(acme):
    """A remote job with every issue-23 field set."""
    job = JobFactory(
        user=acme.user,
        name="Acme",
        title="Senior Django Engineer",
        description="Own our REST API.\nShip weekly.",
        work_email="hiring@acme.example",
        phone="+49 30 5555",
        website="acme.example",
        workplace="remote",
        city="Berlin",
        country="DE",
        remote_regions=["EU", "GB"],
        salary_min=70000,
        salary_max=90000,
        salary_currency="EUR",
        salary_period="year",
        employment_type="full_time",
        seniority="senior",
        valid_through=listing_day() + datetime.timedelta(days=30),
    )
    JobSkillFactory(job=job, name="Python", rating=9)
    JobSkillFactory(job=job, name="Django", rating=8)
    return job


@pytest.fixture
def expired_job(acme):
    return JobFactory(user=acme.user, valid_through=listing_day() - datetime.timedelta(days=1))


@pytest.fixture
def closed_job(acme):
    return JobFactory(user=acme.user, closed=True)
