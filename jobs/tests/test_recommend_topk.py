"""A page of POST /user/recommend/list (`?limit=&offset=`, ranked by jobs.topk without scoring everyone)
is exactly the same slice of the whole ranking, with the whole ranking's `count`: random jobs, many
equal scores, and every filter (min_rate, min_assessment, availability, searchable, inactive accounts,
the read cap withholding assessments). The same for a page of a job's applicants in every ordering."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import UserAccount
from assessments.models import Answer, Question, UserAnswer
from helpers.renderers import dumps
from helpers.testing import client_for
from helpers.views import STREAM_ABOVE
from jobs.models import Application, HiringNeeds
from jobs.ranking import candidate_ranking_for_job
from jobs.tests.conftest import QUESTIONS
from jobs.tests.test_recommend_api import RECOMMEND, bulk_candidates, make_candidate, make_job
from jobs.topk import FIRST_READ
from profiles.models import Availability, AvailabilityType, UserSkill

pytestmark = pytest.mark.django_db

NAMES = ["Python", "Go", "SQL", "Rust", "Java"]
AVAILABILITIES = [None, *AvailabilityType.values]

# A few ratings make many equal scores; the full range makes distinct ones.
ratings = st.one_of(st.sampled_from([4, 8]), st.integers(1, 10))

candidate = st.fixed_dictionaries(
    {
        "skills": st.dictionaries(st.sampled_from(NAMES), ratings, max_size=len(NAMES)),
        "availability": st.sampled_from(AVAILABILITIES),
        "searchable": st.booleans() | st.just(True),
        "active": st.just(True) | st.booleans(),
        "correct": st.none() | st.integers(0, QUESTIONS),
        "copies": st.sampled_from([1, 1, 3, 12]),
    }
)

job_skills = st.dictionaries(st.sampled_from(NAMES), st.integers(1, 10), min_size=1, max_size=len(NAMES))


def _create(people: list[dict], questions: list[Question]) -> None:
    """Accounts, skills, availabilities and test answers for `people`, in a few bulk queries."""
    drafts = [person for person in people for _ in range(person["copies"])]
    users = UserAccount.objects.bulk_create(
        UserAccount(
            email=f"topk-{i}@example.com",
            name=f"Topk {i}",
            password="!",
            searchable=person["searchable"],
            is_active=person["active"],
        )
        for i, person in enumerate(drafts)
    )
    pairs = list(zip(users, drafts, strict=True))
    UserSkill.objects.bulk_create(
        UserSkill(user=user, name=name, rating=rating)
        for user, person in pairs
        for name, rating in person["skills"].items()
    )
    Availability.objects.bulk_create(
        Availability(user=user, availability_type=person["availability"], ready_to_start_in="now")
        for user, person in pairs
        if person["availability"]
    )
    answers = {(answer.question_id, answer.is_correct): answer for answer in Answer.objects.all()}
    UserAnswer.objects.bulk_create(
        UserAnswer(user=user, question=question, answer=answers[(question.pk, index < person["correct"])])
        for user, person in pairs
        if person["correct"] is not None
        for index, question in enumerate(questions)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skills=job_skills,
    hiring_needs=st.sampled_from(HiringNeeds.values),
    people=st.lists(candidate, max_size=14),
    min_rate=st.sampled_from([0, 0, 1, 3, 4, 5, 8, 10, 20, 45, 60, 90]),
    min_assessment=st.sampled_from([None, None, 0, 50, 75]),
    capped=st.booleans(),
    pages=st.lists(
        st.tuples(st.integers(1, 6) | st.integers(1, 40), st.integers(0, 8) | st.integers(0, 60)),
        min_size=1,
        max_size=4,
    ),
)
@pytest.mark.parametrize("first_read", [FIRST_READ, 1], ids=["as configured", "level by level"])
def test_a_page_is_the_same_slice_of_the_whole_ranking(
    company,
    questions,
    monkeypatch,
    first_read,
    skills,
    hiring_needs,
    people,
    min_rate,
    min_assessment,
    capped,
    pages,
):
    # With one candidate read per place, the holders' levels (PostgreSQL) are read one at a time and
    # most levels are narrowed by the page's last rate (jobs.topk.within_budget).
    monkeypatch.setattr("jobs.topk.FIRST_READ", first_read)
    with transaction.atomic(), override_settings(CANDIDATE_READS_PER_DAY=0 if capped else 1000):
        job = make_job(owner=company, skills=skills.items(), hiring_needs=hiring_needs)
        _create(people, questions)
        client = client_for(company)
        query = f"min_rate={min_rate}" + (
            f"&min_assessment={min_assessment}" if min_assessment is not None else ""
        )

        whole = client.post(f"{RECOMMEND}?{query}", {"job": job.pk}, format="json").json()
        for limit, offset in pages:
            page = client.post(
                f"{RECOMMEND}?{query}&limit={limit}&offset={offset}", {"job": job.pk}, format="json"
            )

            assert page.status_code == 200
            assert page.json()["count"] == len(whole)
            assert page.json()["results"] == whole[offset : offset + limit]
        transaction.set_rollback(True)


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_a_page_of_many_equal_scores_keeps_candidate_id_order(company_client, company, limit):
    job = make_job(owner=company, skills=[("Python", 8), ("Go", 5)])
    equal = [make_candidate(skills=[("Python", 8)]) for _ in range(30)]
    best = make_candidate(skills=[("Python", 8), ("Go", 5)])

    body = company_client.post(f"{RECOMMEND}?limit={limit}&offset=2", {"job": job.pk}, format="json").json()

    assert body["count"] == 31
    assert [item["id"] for item in body["results"]] == [person.pk for person in [best, *equal]][2 : 2 + limit]


@pytest.mark.parametrize(
    ("skills", "most_points", "fewer_points_matching", "rate"),
    [
        ([("Python", 8)], [("Python", 8)], [("Python", 7)], 90),  # 80 against 90
        (  # 32 against 38: within 10 of the bound (40) of the most points
            [("Python", 8), ("Go", 5), ("SQL", 3), ("Rust", 2), ("Java", 9)],
            [("Python", 8), ("Go", 5)],
            [("Python", 8), ("Go", 4)],
            38,
        ),
    ],
)
def test_a_page_looks_past_the_most_points_when_the_availability_factor_reorders_them(
    company, company_client, skills, most_points, fewer_points_matching, rate
):
    job = make_job(owner=company, skills=skills, hiring_needs="Full Time")
    for _ in range(FIRST_READ + 4):  # more than a page of one reads at first
        make_candidate(skills=most_points, availability="Part Time")
    matching = make_candidate(skills=fewer_points_matching, availability="Full Time")

    body = company_client.post(f"{RECOMMEND}?limit=1", {"job": job.pk}, format="json").json()

    assert body["count"] == FIRST_READ + 5
    assert [(item["id"], item["rate"]) for item in body["results"]] == [(matching.pk, rate)]


@pytest.mark.parametrize(
    ("skills", "people", "min_rate", "rates"),
    [
        # One skill at distance 0: exactly 100, counted by `least_points` itself.
        ([("Python", 8)], [[("Python", 8)]], 100, [100]),
        # Go 10 against 1 is worth 5 points in exact arithmetic, 4 in the matcher's floats: not counted.
        ([("Python", 2), ("Go", 1)], [[("Python", 2), ("Go", 1)], [("Go", 10)]], 5, [100]),
    ],
)
def test_the_count_of_a_page_at_the_edge_of_min_rate(
    company, company_client, skills, people, min_rate, rates
):
    job = make_job(owner=company, skills=skills, hiring_needs="Full Time")
    for held in people:
        make_candidate(skills=held, availability="Full Time")

    body = company_client.post(
        f"{RECOMMEND}?min_rate={min_rate}&limit=5", {"job": job.pk}, format="json"
    ).json()

    assert body["count"] == len(rates)
    assert [item["rate"] for item in body["results"]] == rates


@pytest.mark.parametrize("count", [1, 500])
def test_a_page_takes_a_fixed_number_of_queries_whatever_the_number_of_candidates(
    count, company, company_client, django_assert_num_queries
):
    job = make_job(owner=company, skills=[("Python", 5), ("Go", 5), ("SQL", 5), ("Rust", 5), ("Java", 5)])
    bulk_candidates(count, ["Python", "Go", "SQL", "Rust", "Java", "Haskell", "C"])

    # The caller's account (JWT), the company's reads left today, the job with its skills, the
    # bound of who could reach the page (PostgreSQL: the unlisted holders and the holders' bitmaps,
    # profiles.holders; SQLite: the summed points, jobs.topk), the skill rows of the candidates who could
    # reach the page, the page's assessment results.
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 6):
        response = company_client.post(f"{RECOMMEND}?limit=20", {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 20)


def test_a_page_scores_only_the_candidates_who_could_reach_it(company, monkeypatch):
    # PostgreSQL's bitmaps read levels of up to 8x the first read whole (cheaper than narrowing them
    # at a million candidates); here, with 400, every level larger than the first read is narrowed.
    monkeypatch.setattr("jobs.topk.NARROW_ABOVE", 1)
    job = make_job(owner=company, skills=[("Python", 8), ("Go", 5), ("SQL", 3)])
    bulk_candidates(400, ["Python", "Go", "SQL", "Rust"], seed=4)

    whole = candidate_ranking_for_job(job_id=job.pk, viewer=company)
    page = candidate_ranking_for_job(job_id=job.pk, viewer=company, top=5)

    assert list(page.ranked[0:5]) == list(whole.ranked[:5])
    assert len(page.ranked) == len(whole.ranked) > 300
    assert len(page.people) < len(whole.ranked) // 4  # the rest were never read


def test_a_long_whole_ranking_is_streamed_with_the_bytes_of_the_rendered_list(company, company_client):
    job = make_job(owner=company, skills=[("Python", 5), ("Go", 5), ("SQL", 5)])
    bulk_candidates(STREAM_ABOVE + 100, ["Python", "Go", "SQL"], seed=2)

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200 and response.streamed  # helpers.testing.ReadingAPIClient
    assert response["Content-Type"] == "application/json"
    ranking = candidate_ranking_for_job(job_id=job.pk, viewer=company)
    assert response.content == dumps(ranking.items(ranking.ranked))
    assert len(ranking.ranked) > STREAM_ABOVE


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skills=st.dictionaries(st.sampled_from(NAMES), st.integers(1, 10), max_size=len(NAMES)),
    people=st.lists(candidate, max_size=10),
    stage=st.sampled_from([None, "applied", "interview"]),
    ordering=st.sampled_from(["-rate", "-rate", "rate", "created_at", "-created_at", "updated_at"]),
    pages=st.lists(
        st.tuples(st.integers(1, 6) | st.integers(1, 40), st.integers(0, 8)), min_size=1, max_size=3
    ),
)
def test_a_page_of_applicants_is_the_same_slice_of_the_whole_list(
    company, questions, skills, people, stage, ordering, pages
):
    with transaction.atomic():
        job = make_job(owner=company, skills=skills.items())
        _create(people, questions)
        candidates = UserAccount.objects.filter(email__startswith="topk-").order_by("id")
        Application.objects.bulk_create(
            Application(candidate=person, job=job, stage="interview" if person.pk % 3 == 0 else "applied")
            for person in candidates
        )
        client = client_for(company)
        query = f"ordering={ordering}" + (f"&stage={stage}" if stage else "")

        whole = client.get(f"/job/{job.pk}/applications?{query}").json()
        for limit, offset in pages:
            page = client.get(f"/job/{job.pk}/applications?{query}&limit={limit}&offset={offset}").json()

            assert page["count"] == len(whole)
            assert page["results"] == whole[offset : offset + limit]
        transaction.set_rollback(True)


def test_a_page_of_applicants_by_rate_looks_past_the_most_points(company):
    job = make_job(owner=company, skills=[("Python", 8), ("Go", 5), ("SQL", 3), ("Rust", 2), ("Java", 9)])
    job.hiring_needs = "Full Time"
    job.save()
    for _ in range(FIRST_READ + 4):  # 40 points (bound 40), rate 32
        person = make_candidate(skills=[("Python", 8), ("Go", 5)], availability="Part Time")
        Application.objects.create(candidate=person, job=job)
    matching = make_candidate(skills=[("Python", 8), ("Go", 4)], availability="Full Time")  # 38
    Application.objects.create(candidate=matching, job=job)

    body = client_for(company).get(f"/job/{job.pk}/applications?limit=1").json()

    assert body["count"] == FIRST_READ + 5
    assert [(item["candidate"]["id"], item["rate"]) for item in body["results"]] == [(matching.pk, 38)]


@pytest.mark.parametrize("path", ["ranking", "applicants"])
def test_a_page_far_past_the_end_is_empty(company, company_client, path):
    job = make_job(owner=company, skills=[("Python", 8)])
    person = make_candidate(skills=[("Python", 8)])
    Application.objects.create(candidate=person, job=job)
    query = f"?limit=100&offset={10**30}"

    if path == "ranking":
        response = company_client.post(f"{RECOMMEND}{query}", {"job": job.pk}, format="json")
    else:
        response = company_client.get(f"/job/{job.pk}/applications{query}")

    assert response.status_code == 200
    assert response.json()["count"] == 1 and response.json()["results"] == []


def test_a_page_read_further_still_counts_those_scored_between_the_bounds(
    company, company_client, monkeypatch
):
    """At min_rate 20 a candidate with 12 points of a five-skill job (rate 24) is neither surely in
    nor surely out, so they are scored to be counted; the page then reads further (the first read's
    last rate, 24, only ties its bound) and must keep that count (it was lost on the second round)."""
    monkeypatch.setattr("jobs.topk.FIRST_READ", 1)
    job = make_job(owner=company, skills=[("Python", 1), ("Go", 9), ("SQL", 1), ("Rust", 1), ("Java", 1)])
    candidate = make_candidate(skills=[("Python", 4), ("Go", 4)])

    body = company_client.post(f"{RECOMMEND}?min_rate=20&limit=1", {"job": job.pk}, format="json").json()

    assert body["count"] == 1
    assert [(item["id"], item["rate"]) for item in body["results"]] == [(candidate.pk, 24)]
