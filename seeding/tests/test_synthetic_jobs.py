"""`insert_dev --synthetic-jobs N`: open jobs that search finds, the same for a seed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from helpers.testing import client_for
from jobs.models import Job, JobSkill

pytestmark = pytest.mark.django_db


def test_synthetic_jobs_are_open_valid_and_searchable(candidate):
    out = io.StringIO()
    call_command("insert_dev", "--synthetic-jobs", "40", "--seed", "3", stdout=out)

    assert "40 synthetic jobs created" in out.getvalue()
    assert Job.objects.open().count() == 40
    assert JobSkill.objects.count() >= 40 * 3
    for job in Job.objects.all():
        job.full_clean()
    some = Job.objects.filter(skills__name="Python").distinct().count()
    found = client_for(candidate).get("/job/list?q=python&limit=100").json()["count"]
    assert found >= some > 0


def test_the_same_seed_gives_the_same_jobs():
    call_command("insert_dev", "--synthetic-jobs", "10", "--seed", "5", stdout=io.StringIO())
    first = list(Job.objects.order_by("id").values_list("title", "country", "salary_min"))
    Job.objects.all().delete()
    call_command("insert_dev", "--synthetic-jobs", "10", "--seed", "5", stdout=io.StringIO())

    assert list(Job.objects.order_by("id").values_list("title", "country", "salary_min")) == first


def test_synthetic_jobs_do_not_combine_with_a_sheet():
    with pytest.raises(CommandError):
        call_command("insert_dev", "--synthetic-jobs", "1", "--file", "x.csv", stdout=io.StringIO())


def test_a_second_run_creates_nothing_and_a_larger_one_only_the_missing_jobs():
    call_command("insert_dev", "--synthetic-jobs", "12", "--seed", "2", stdout=io.StringIO())
    first = list(Job.objects.order_by("id").values_list("title", "description"))
    out = io.StringIO()
    call_command("insert_dev", "--synthetic-jobs", "12", "--seed", "2", stdout=out)
    assert "0 synthetic jobs created" in out.getvalue()

    call_command("insert_dev", "--synthetic-jobs", "15", "--seed", "2", stdout=io.StringIO())
    assert list(Job.objects.order_by("id").values_list("title", "description"))[:12] == first
    assert Job.objects.count() == 15
