"""Whole lists are serialised from `.values()` rows; they must equal the per-instance serializer."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from helpers import renderers
from jobs.models import Job, JobSkill
from jobs.serializers import JobSerializer, JobSkillSerializer
from jobs.tests.factories import JobFactory, JobSkillFactory

pytestmark = pytest.mark.django_db


def test_job_list_from_values_equals_the_instance_serializer():
    JobFactory.create_batch(3)
    Job.objects.filter(pk=Job.objects.first().pk).update(
        created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    queryset = Job.objects.all()

    from_values = JobSerializer(queryset, many=True).data
    from_instances = [JobSerializer(job).data for job in queryset]

    assert from_values == from_instances
    assert from_values[-1]["created_at"] == "2024-01-02T03:04:05Z"


def test_skill_list_from_values_equals_the_instance_serializer():
    JobSkillFactory.create_batch(4)
    queryset = JobSkill.objects.all()

    assert JobSkillSerializer(queryset, many=True).data == [JobSkillSerializer(s).data for s in queryset]


@pytest.mark.parametrize("url", ["/job/list", "/job/skills", "/job/"])
def test_whole_list_and_a_page_give_the_same_objects(company, company_client, url):
    for job in JobFactory.create_batch(3, user=company):
        JobSkillFactory(job=job)

    whole = company_client.get(url).json()
    page = company_client.get(f"{url}?limit=100").json()["results"]

    assert whole == page
    assert len(whole) == 3


def test_single_job_has_the_same_shape_as_in_the_list(candidate_client):
    job = JobFactory()

    assert candidate_client.get(f"/job/{job.pk}/single").json() == candidate_client.get("/job/list").json()


@pytest.mark.parametrize("chunk_rows", [3, renderers.CHUNK_ROWS])
def test_whole_lists_are_byte_for_byte_what_drf_renders(monkeypatch, candidate_client, chunk_rows):
    monkeypatch.setattr(renderers, "CHUNK_ROWS", chunk_rows)
    for i, text in enumerate(["", "Zoë \u2028 ✓", 'a "quoted" \\ line\nbreak', "🚀" * 10, "plain"]):
        job = JobFactory(title=text or "untitled", description=text, name=text, phone=text, website=text)
        JobSkillFactory(job=job, name=text or f"Skill {i}", rating=1 + i)
        JobSkillFactory(job=job, name=f"Other {i}")
    Job.objects.filter(pk=job.pk).update(
        created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    )

    def drf(serializer_class, queryset):
        return JSONRenderer().render(serializers.ListSerializer(queryset, child=serializer_class()).data)

    assert candidate_client.get("/job/list").content == drf(JobSerializer, Job.objects.all())
    assert candidate_client.get("/job/skills").content == drf(JobSkillSerializer, JobSkill.objects.all())
