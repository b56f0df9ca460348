"""The whole ranking (POST /user/recommend/list without ?limit=), read one coded row per candidate.

jobs.aligned has the database code each candidate's ratings of the job's skills and availability
mismatch in one integer; these tests hold it to the matcher scoring each candidate's own skills.
"""

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from accounts.models import UserAccount, listed_candidate
from bench.naive_recommend import naive_ranking
from helpers.recommend import MAX_CODED_SKILLS
from helpers.testing import client_for
from jobs.models import HiringNeeds
from jobs.ranking import candidate_ranking_for_job, job_for_ranking, scorer_inputs, scores_for_candidates
from jobs.tests.test_recommend_api import RECOMMEND, make_candidate, make_job
from jobs.tests.test_recommend_topk import _create, candidate

pytestmark = pytest.mark.django_db

NAMES = ["Python", "Go", "SQL", "Rust", "Java", "C"]


def expected_items(job) -> list[dict]:
    """Each listed candidate scored from their own skills by the matcher, best first, ties by id."""
    inputs = scorer_inputs(listed_candidate())
    scores = scores_for_candidates(job_for_ranking(job.pk), inputs)
    names = dict(UserAccount.objects.filter(pk__in=inputs).values_list("pk", "name"))
    items = [
        {
            "id": cid,
            "name": names[cid],
            "rate": match.rate,
            "explanation": match.explanation,
            "assessment": None,
        }
        for cid, match in scores.items()
        if match.rate > 0
    ]
    return sorted(items, key=lambda item: (-item["rate"], item["id"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skills=st.dictionaries(st.sampled_from(NAMES), st.integers(1, 10), min_size=1, max_size=len(NAMES)),
    hiring_needs=st.sampled_from(HiringNeeds.values),
    people=st.lists(candidate.map(lambda person: {**person, "correct": None}), max_size=14),
)
def test_the_whole_ranking_scores_each_listed_candidate_from_their_own_skills(
    company, skills, hiring_needs, people
):
    with transaction.atomic():
        job = make_job(owner=company, skills=skills.items(), hiring_needs=hiring_needs)
        _create(people, questions=[])

        response = client_for(company).post(RECOMMEND, {"job": job.pk}, format="json")

        assert response.status_code == 200
        assert response.json() == expected_items(job)
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "size", [MAX_CODED_SKILLS, MAX_CODED_SKILLS + 1], ids=["largest code", "one row per skill"]
)
def test_a_job_of_many_skills_ranks_as_the_original(company, company_client, size):
    skills = [(f"Skill {slot}", 1 + slot % 10) for slot in range(size)]
    job = make_job(owner=company, skills=skills, hiring_needs="Full Time")
    # Every rating 10 and another availability: the largest code a job of `size` skills has.
    make_candidate(skills=[(name, 10) for name, _ in skills], availability="Part Time")
    make_candidate(skills=skills[: size // 2], availability="Full Time")
    make_candidate(skills=[(skills[-1][0], 3)])

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert [(item["id"], item["rate"]) for item in response.json()] == naive_ranking(job)
    assert response.json() == expected_items(job)


names = st.sampled_from(
    ['Ann "the" Lee', "C:\\path\\", "Zoë 李", "tab\there", "line\u2028break", "🙂"]
) | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skills=st.dictionaries(st.sampled_from(NAMES[:4]), st.integers(1, 10), min_size=1, max_size=4),
    people=st.lists(candidate, min_size=1, max_size=12),
    shown_names=st.lists(names, min_size=40, max_size=40),
    min_rate=st.sampled_from([0, 0, 30, 70]),
    capped=st.booleans(),
)
def test_a_streamed_whole_ranking_has_the_bytes_drf_renders(
    company, questions, monkeypatch, skills, people, shown_names, min_rate, capped
):
    # Streamed from the first candidate, three items a part: parts end within a rate and at its end.
    monkeypatch.setattr("helpers.views.STREAM_ABOVE", 0)
    monkeypatch.setattr("jobs.ranking.CHUNK_ITEMS", 3)
    with transaction.atomic(), override_settings(CANDIDATE_READS_PER_DAY=0 if capped else 1000):
        job = make_job(owner=company, skills=skills.items(), hiring_needs="Full Time")
        _create(people, questions)
        for user, name in zip(
            UserAccount.objects.filter(email__startswith="topk-"), shown_names, strict=False
        ):
            UserAccount.objects.filter(pk=user.pk).update(name=name)
        ranking = candidate_ranking_for_job(job_id=job.pk, viewer=company, min_rate=min_rate)
        expected = ranking.items(list(ranking.ranked))

        response = client_for(company).post(
            f"{RECOMMEND}?min_rate={min_rate}", {"job": job.pk}, format="json"
        )

        assert response.status_code == 200
        assert response.streamed == bool(expected)  # an empty ranking is not streamed
        assert response.content == JSONRenderer().render(expected)
        transaction.set_rollback(True)
