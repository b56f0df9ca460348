"""The database refuses bad jobs and skills even when a code path forgets to check."""

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import CandidateFactory
from jobs.models import HiringNeeds, Job, normalise_choice
from jobs.tests.factories import JobFactory, JobSkillFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Part time", "Part Time"),
        ("  full TIME ", "Full Time"),
        ("Not Available", "Not Available"),
        ("Sometimes", "Sometimes"),
        ("", ""),
        (None, None),
        (3, 3),
    ],
)
def test_normalise_choice_finds_the_stored_spelling(value, expected):
    assert normalise_choice(value, HiringNeeds.values) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"hiring_needs": "Part time"},
        {"current_employees": "2-5"},
        {"status": "archived"},
    ],
)
def test_database_refuses_values_outside_the_choices(bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobFactory(**bad)


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 11])
def test_database_refuses_ratings_outside_one_to_ten(rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSkillFactory(rating=rating)


@pytest.mark.django_db
def test_database_refuses_the_same_skill_twice_on_a_job_in_any_case():
    skill = JobSkillFactory(name="Python")

    with pytest.raises(IntegrityError), transaction.atomic():
        JobSkillFactory(job=skill.job, name="PYTHON")


@pytest.mark.django_db
def test_database_refuses_a_blank_skill_name():
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSkillFactory(name="")


@pytest.mark.django_db
def test_visible_to_is_open_jobs_plus_the_callers_own():
    mine_closed = JobFactory(closed=True)
    open_job = JobFactory()
    JobFactory(closed=True)

    assert set(Job.objects.visible_to(mine_closed.user)) == {mine_closed, open_job}
    assert set(Job.objects.visible_to(CandidateFactory())) == {open_job}


def test_every_hiring_need_is_a_candidate_availability_so_the_matcher_compares_like_with_like():
    """helpers.recommend compares a job's hiring needs with a candidate's availability as strings."""
    from jobs.models import HiringNeeds
    from profiles.models import AvailabilityType

    assert set(HiringNeeds.values) <= set(AvailabilityType.values)
