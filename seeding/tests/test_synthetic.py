"""The synthetic developer generator behind `insert_dev --synthetic N --seed S` (used by bench/)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import UserAccount
from profiles.models import Availability, AvailabilityType, Experience, Profile, RoleSalary, UserSkill
from seeding.synthetic import SKILL_VOCABULARY, create_synthetic_developers, synthetic_email

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


def skills_by_email():
    skills = {}
    for email, name, rating in UserSkill.objects.values_list("user__email", "name", "rating"):
        skills.setdefault(email, set()).add((name, rating))
    return skills


def test_generator_creates_complete_active_developers_in_batches():
    created = create_synthetic_developers(60, seed=1, batch_size=7)

    assert created == 60
    users = UserAccount.objects.all()
    assert users.count() == 60
    assert set(users.values_list("type", "is_active", "is_staff")) == {("user", True, False)}
    assert set(users.values_list("email", flat=True)) == {synthetic_email(1, i) for i in range(60)}
    for model in (Profile, Experience, Availability, RoleSalary):
        assert model.objects.count() == 60, model.__name__
    per_user = Counter(UserSkill.objects.values_list("user_id", flat=True))
    assert len(per_user) == 60
    assert set(per_user.values()) <= set(range(3, 9))
    assert {rating for _, rating in UserSkill.objects.values_list("name", "rating")} <= set(range(1, 11))
    assert set(UserSkill.objects.values_list("name", flat=True)) <= set(SKILL_VOCABULARY)
    assert len(set(Availability.objects.values_list("availability_type", flat=True))) == len(AvailabilityType)


def test_vocabulary_is_about_fifty_canonical_names():
    assert 45 <= len(SKILL_VOCABULARY) == len(set(SKILL_VOCABULARY)) <= 60


def test_same_seed_gives_the_same_developers_and_another_seed_does_not():
    create_synthetic_developers(25, seed=7)
    first = skills_by_email()
    UserAccount.objects.all().delete()

    create_synthetic_developers(25, seed=7, batch_size=4)
    assert skills_by_email() == first

    create_synthetic_developers(25, seed=8)
    other = {
        email.replace("synth-8-", "synth-7-"): s for email, s in skills_by_email().items() if "-8-" in email
    }
    assert other != first


def test_rerunning_a_seed_creates_only_the_missing_developers():
    create_synthetic_developers(10, seed=3)
    ten = skills_by_email()

    assert create_synthetic_developers(10, seed=3) == 0
    assert create_synthetic_developers(15, seed=3) == 5
    assert UserAccount.objects.count() == 15
    assert {email: s for email, s in skills_by_email().items() if email in ten} == ten


def test_all_accounts_share_one_password_hash_that_logs_in(api_client):
    create_synthetic_developers(3, seed=2)

    assert UserAccount.objects.values("password").distinct().count() == 1
    response = api_client.post(
        "/auth/jwt/create/",
        {"email": synthetic_email(2, 0), "password": "synthetic-dev-password"},
        format="json",
    )
    assert response.status_code == 200


def test_queries_grow_with_batches_not_with_developers(django_assert_num_queries):
    # 1 lookup of existing emails, then per batch: savepoint, 6 bulk inserts, release.
    with django_assert_num_queries(1 + 2 * 8):
        create_synthetic_developers(40, seed=4, batch_size=20, method="insert")


@postgresql_only
def test_copy_queries_grow_with_batches_not_with_developers(django_assert_num_queries):
    # Lookup, savepoint, no statement timeout, one id reservation; per batch 6 COPYs; release.
    with django_assert_num_queries(4 + 3 * 6 + 1):
        create_synthetic_developers(45, seed=4, batch_size=15)


def test_command_generates_and_prints_the_summary_line():
    out = StringIO()

    call_command("insert_dev", "--synthetic", "12", "--seed", "5", stdout=out, stderr=StringIO())

    assert out.getvalue().strip() == "created 12, updated 0, unchanged 0, skipped 0"
    assert UserAccount.objects.filter(email__startswith="synth-5-").count() == 12


def test_command_dry_run_writes_nothing():
    out = StringIO()

    call_command("insert_dev", "--synthetic", "5", "--dry-run", stdout=out, stderr=StringIO())

    assert out.getvalue().strip() == "created 5, updated 0, unchanged 0, skipped 0 (dry run: nothing written)"
    assert not UserAccount.objects.exists()


def test_progress_is_reported_after_each_batch():
    calls = []

    create_synthetic_developers(
        10, seed=6, batch_size=4, progress=lambda done, total: calls.append((done, total))
    )

    assert calls == [(4, 10), (8, 10), (10, 10)]


class TerminalStringIO(StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("stderr", "drawn"), [(TerminalStringIO, True), (StringIO, False)])
def test_progress_bar_is_drawn_on_a_terminal_only(stderr, drawn):
    out, err = StringIO(), stderr()

    call_command("insert_dev", "--synthetic", "300", stdout=out, stderr=err)

    assert ("300/300" in err.getvalue() and "100%" in err.getvalue()) is drawn
    assert out.getvalue().strip() == "created 300, updated 0, unchanged 0, skipped 0"


@postgresql_only
def test_insert_dev_refreshes_the_planner_statistics_on_postgresql():
    call_command("insert_dev", "--synthetic", "40", "--seed", "3", stdout=StringIO(), stderr=StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'accounts_useraccount'")
        estimated = cursor.fetchone()[0]
    assert estimated == UserAccount.objects.count()
