"""Skill names are canonical in storage whatever the write path, and old spellings are migrated."""

import pytest
from django.db import connection

from helpers.fields import canonicalise_stored_skill_names
from jobs.models import JobSkill
from jobs.tests.factories import JobFactory
from profiles.models import UserSkill
from profiles.tests.factories import UserSkillFactory

pytestmark = pytest.mark.django_db


def test_save_and_bulk_create_store_the_canonical_spelling(candidate):
    UserSkill.objects.create(user=candidate, name="  nodejs ", rating=5)
    UserSkill.objects.bulk_create([UserSkill(user=candidate, name="golang", rating=4)])
    job = JobFactory()
    JobSkill.objects.bulk_create([JobSkill(job=job, name="reactjs", rating=3)])

    assert sorted(UserSkill.objects.values_list("name", flat=True)) == ["Go", "Node.js"]
    assert list(JobSkill.objects.values_list("name", flat=True)) == ["React"]


def test_the_synthetic_bulk_writer_obeys_the_field(db):
    from accounts.tests.factories import CandidateFactory
    from seeding.synthetic import _insert_rows

    owner = CandidateFactory()
    _insert_rows(UserSkill, [{"user_id": owner.pk, "name": "csharp", "rating": 6}])

    assert list(UserSkill.objects.values_list("name", flat=True)) == ["C#"]


def _store_raw(skill, name):
    """A spelling written before the field existed: straight to the table, past the field's rules."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(skill._meta.db_table)
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", [name, skill.pk])


def test_the_migration_rewrites_old_spellings_and_merges_duplicates_keeping_the_higher_rating(candidate):
    low = UserSkillFactory(user=candidate, name="Python", rating=3)
    high = UserSkillFactory(user=candidate, name="Go", rating=9)
    _store_raw(low, "PYTHON ")  # two spellings of one skill that the constraint on Lower(name) allowed
    _store_raw(high, "python")
    other = UserSkillFactory(user=candidate, name="Rust", rating=4)
    _store_raw(other, "rust")
    untouched = UserSkillFactory(name="Python", rating=2)

    changed = canonicalise_stored_skill_names(UserSkill, "user_id")

    assert changed == 3
    assert sorted(UserSkill.objects.filter(user=candidate).values_list("name", "rating")) == [
        ("Python", 9),
        ("Rust", 4),
    ]
    assert UserSkill.objects.get(pk=untouched.pk).name == "Python"


def test_the_migration_of_job_skills_is_per_job():
    first, second = JobFactory(), JobFactory()
    skill = JobSkill.objects.create(job=first, name="Vue.js", rating=7)
    _store_raw(skill, "vuejs")
    JobSkill.objects.create(job=second, name="Vue.js", rating=2)

    canonicalise_stored_skill_names(JobSkill, "job_id")

    assert sorted(JobSkill.objects.values_list("job_id", "name", "rating")) == [
        (first.pk, "Vue.js", 7),
        (second.pk, "Vue.js", 2),
    ]
