"""Pages ranked from the skill holders' bitmaps (PostgreSQL: jobs.topk.ranking_top_by_holders) are the
whole ranking's slices, with its count, over populations large enough to fill several levels: random
jobs, many equal scores, availability against the hiring needs, unlisted accounts, the levels read
together or one at a time (narrowed by the page's last rate, jobs.topk.within_budget), and pages that
give up midway for the summed points (past HOLDERS_READ_LIMIT)."""

import random

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import UserAccount
from helpers.testing import client_for
from jobs import topk
from jobs.models import HiringNeeds
from jobs.tests.test_recommend_api import RECOMMEND, make_candidate, make_job
from profiles.models import Availability, AvailabilityType, UserSkill

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bitmaps are kept on PostgreSQL only"),
]

NAMES = ["Python", "Go", "SQL", "Rust", "Java", "C"]


def _population(size: int, seed: int, tied: bool) -> None:
    """`size` accounts holding random skills (ratings 4 or 8 when `tied`), a few of them unlisted."""
    rng = random.Random(seed)
    users = UserAccount.objects.bulk_create(
        UserAccount(
            email=f"level-{seed}-{i}@example.com",
            name=f"Level {i}",
            password="!",
            searchable=rng.random() > 0.1,
            is_active=rng.random() > 0.05,
        )
        for i in range(size)
    )
    UserSkill.objects.bulk_create(
        UserSkill(user=user, name=name, rating=rng.choice([4, 8]) if tied else rng.randint(1, 10))
        for user in users
        for name in NAMES
        if rng.random() < 0.45
    )
    Availability.objects.bulk_create(
        Availability(
            user=user, availability_type=rng.choice(AvailabilityType.values), ready_to_start_in="now"
        )
        for user in users
        if rng.random() < 0.7
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10**6),
    size=st.sampled_from([30, 120, 400]),
    tied=st.booleans(),
    skills=st.dictionaries(
        st.sampled_from(NAMES), st.sampled_from([4, 8]) | st.integers(1, 10), min_size=1, max_size=len(NAMES)
    ),
    hiring_needs=st.sampled_from(HiringNeeds.values),
    min_rate=st.sampled_from([0, 1]),
    first_read=st.sampled_from([1, 2, topk.FIRST_READ]),
    read_limit=st.sampled_from([topk.HOLDERS_READ_LIMIT, topk.HOLDERS_READ_LIMIT, 25]),
    pages=st.lists(
        st.tuples(st.sampled_from([1, 3, 10, 20]), st.sampled_from([0, 0, 2, 15])), min_size=1, max_size=3
    ),
)
def test_pages_from_the_bitmaps_are_the_whole_rankings_slices(
    company, monkeypatch, seed, size, tied, skills, hiring_needs, min_rate, first_read, read_limit, pages
):
    monkeypatch.setattr(topk, "FIRST_READ", first_read)
    monkeypatch.setattr(topk, "HOLDERS_READ_LIMIT", read_limit)  # 25: most pages give up midway
    with transaction.atomic():
        job = make_job(owner=company, skills=skills.items(), hiring_needs=hiring_needs)
        _population(size, seed, tied)
        client = client_for(company)

        whole = client.post(f"{RECOMMEND}?min_rate={min_rate}", {"job": job.pk}, format="json").json()
        for limit, offset in pages:
            page = client.post(
                f"{RECOMMEND}?min_rate={min_rate}&limit={limit}&offset={offset}",
                {"job": job.pk},
                format="json",
            ).json()

            assert page["count"] == len(whole)
            assert page["results"] == whole[offset : offset + limit]
        transaction.set_rollback(True)


def test_a_page_reads_the_bitmaps_not_everyone(company, monkeypatch):
    """The bitmaps serve the page (no fallback to summed points) and only the leading levels are read."""
    job = make_job(owner=company, skills=[("Python", 8), ("Go", 5), ("SQL", 3)])
    _population(400, seed=7, tied=False)
    monkeypatch.setattr(topk, "NARROW_ABOVE", 1)  # narrow every level larger than the first read, as at scale
    read = []
    monkeypatch.setattr(
        topk, "top_and_counts", lambda *args, **kwargs: pytest.fail("ranked by summed points")
    )
    original = topk._Reading.flush
    monkeypatch.setattr(topk._Reading, "flush", lambda self: read.append(len(self.pending)) or original(self))

    body = client_for(company).post(f"{RECOMMEND}?limit=5", {"job": job.pk}, format="json").json()

    assert len(body["results"]) == 5
    assert body["count"] > 250
    assert sum(read) < body["count"] // 3


def test_a_candidate_holding_fewer_skills_who_ties_the_page_by_the_bound_comes_first_by_id(
    company, monkeypatch
):
    """Holding two of three skills exactly reaches the bound of that level (66), which a candidate
    holding all three (but further off) also rates: the tie is broken by id, so the level is read."""
    monkeypatch.setattr(topk, "FIRST_READ", 1)  # read the three-skill level alone first
    job = make_job(owner=company, skills=[("Python", 5), ("Go", 5), ("SQL", 5)])
    fewer = make_candidate(skills=[("Python", 5), ("Go", 5)])
    more = make_candidate(skills=[("Python", 5), ("Go", 10), ("SQL", 10)])

    body = client_for(company).post(f"{RECOMMEND}?limit=1", {"job": job.pk}, format="json").json()

    assert body["count"] == 2
    assert [(item["id"], item["rate"]) for item in body["results"]] == [(fewer.pk, 66)]
    assert more.pk > fewer.pk
