"""POST /user/recommend/list and GET /job/recommended, through the real URLs."""

import gc
import json
import random

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory, CompanyFactory
from assessments.models import UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory
from bench.naive_recommend import naive_ranking
from helpers.renderers import CollectorPause
from helpers.testing import client_for
from helpers.views import STREAM_ABOVE
from jobs.models import Job, JobSkill
from jobs.ranking import ASSESSMENT_BY_ID_LIMIT, job_ranking_with_stages
from jobs.tests.factories import ApplicationFactory, JobFactory, JobSkillFactory
from profiles.models import Availability, UserSkill
from profiles.tests.factories import AvailabilityFactory, UserSkillFactory

pytestmark = pytest.mark.django_db


RECOMMEND = "/user/recommend/list"
RECOMMENDED_JOBS = "/job/recommended"


def make_job(owner=None, skills=(("Python", 8), ("React", 6)), **fields):
    job = JobFactory(**({"user": owner} if owner else {}), **fields)
    for name, rating in skills:
        JobSkillFactory(job=job, name=name, rating=rating)
    return job


def make_candidate(skills=(), availability=None, **fields):
    user = CandidateFactory(**fields)
    for name, rating in skills:
        UserSkillFactory(user=user, name=name, rating=rating)
    if availability:
        AvailabilityFactory(user=user, availability_type=availability)
    return user


def bulk_candidates(count, names, seed=0):
    """`count` developers with 1-3 of `names` each and an availability, in a handful of queries."""
    rng = random.Random(seed)
    users = UserAccount.objects.bulk_create(
        UserAccount(email=f"bulk{seed}-{i}@example.com", name=f"Bulk {i}", password="!") for i in range(count)
    )
    UserSkill.objects.bulk_create(
        UserSkill(user=user, name=name, rating=rng.randint(1, 10))
        for user in users
        for name in rng.sample(names, rng.randint(1, 3))
    )
    Availability.objects.bulk_create(
        Availability(
            user=user, availability_type=rng.choice(["Full Time", "Part Time"]), ready_to_start_in="now"
        )
        for user in users
    )
    return users


@pytest.fixture
def job(company):
    return make_job(owner=company)


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("candidate", 403),
        ("other_company", 404),
        ("other_companys_recruiter", 404),
        ("owner", 200),
        ("staff", 200),
    ],
)
def test_who_may_rank_candidates_for_a_job(caller, status, job, candidate, staff):
    other_company = CompanyFactory()
    users = {
        "anonymous": None,
        "candidate": candidate,
        "other_company": other_company,
        # A staff login (for the admin) acting for one company is not portal staff.
        "other_companys_recruiter": CompanyFactory(is_staff=True, recruiter_for=other_company),
        "owner": job.user,
        "staff": staff,
    }

    response = client_for(users[caller]).post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == status
    if status == 200:
        assert isinstance(response.json(), list)


@pytest.mark.parametrize(
    ("caller", "status"), [("anonymous", 401), ("company", 403), ("candidate", 200), ("staff", 200)]
)
def test_who_may_see_recommended_jobs(caller, status, candidate, company, staff):
    users = {"anonymous": None, "company": company, "candidate": candidate, "staff": staff}

    response = client_for(users[caller]).get(RECOMMENDED_JOBS)

    assert response.status_code == status


# --- Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "job"),
        ({"job": ""}, "job"),
        ({"job": None}, "job"),
        ({"job": "abc"}, "job"),
        ({"job": "12abc"}, "job"),
        ({"job": 0}, "job"),
        ({"job": -3}, "job"),
        ({"job": 2**70}, "job"),
        ({"job": "1" * 1_000_000}, "job"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_missing_or_non_numeric_job_is_a_400_with_a_field_error(body, field, company_client):
    response = company_client.post(RECOMMEND, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_unknown_job_is_a_404(company_client, job):
    response = company_client.post(RECOMMEND, {"job": job.pk + 1000}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such job."}


def test_job_without_skills_has_no_candidates(company, company_client):
    job = make_job(owner=company, skills=())
    make_candidate(skills=[("Python", 8)])

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("min_rate", ["abc", "-1", "101", "1.5"])
def test_invalid_min_rate_is_a_400(min_rate, company_client, job):
    response = company_client.post(f"{RECOMMEND}?min_rate={min_rate}", {"job": job.pk}, format="json")

    assert response.status_code == 400
    assert "min_rate" in response.json()


# --- Ranking ------------------------------------------------------------------------------------


def test_job_id_may_arrive_as_a_string_like_the_spa_sends_it(company_client, job):
    candidate = make_candidate(skills=[("Python", 8)])

    response = company_client.post(
        RECOMMEND, f'{{"job": "{job.pk}"}}', content_type="application/json;charset=utf-8"
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [candidate.pk]


def test_candidates_ranked_best_first_with_ties_by_id_and_full_explanation(company_client, job):
    # Job: Python 8, React 6, hiring Full Time; each skill weighs 50.
    partial = make_candidate(skills=[("Python", 5)], availability="Full Time", name="Partial")
    perfect = make_candidate(skills=[("Python", 8), ("React", 6)], availability="Full Time", name="Perfect")
    part_timer = make_candidate(skills=[("Python", 8), ("React", 6)], availability="Part Time", name="Part")
    tie = make_candidate(skills=[("Python", 5), ("Go", 9)], name="Tie")
    make_candidate(skills=[("Go", 9)], name="No match")

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert [(item["id"], item["rate"]) for item in body] == [
        (perfect.pk, 100),
        (part_timer.pk, 80),
        (partial.pk, 35),
        (tie.pk, 35),
    ]
    assert body[2] == {
        "id": partial.pk,
        "name": "Partial",
        "rate": 35,
        "explanation": {
            "skills": [
                {
                    "name": "Python",
                    "job_rating": 8,
                    "candidate_rating": 5,
                    "points": 35.0,
                    "points_lost": 15.0,
                },
                {
                    "name": "React",
                    "job_rating": 6,
                    "candidate_rating": None,
                    "points": 0.0,
                    "points_lost": 50.0,
                },
            ],
            "availability_factor": 1.0,
            "missing_skills": ["React"],
        },
        "assessment": None,
    }
    assert body[1]["explanation"]["availability_factor"] == 0.8


def test_only_active_developer_accounts_are_ranked(company_client, job):
    make_candidate(skills=[("Python", 8)], is_active=False)
    other_company = CompanyFactory()
    UserSkillFactory(user=other_company, name="Python", rating=8)
    active = make_candidate(skills=[("Python", 8)])

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert [item["id"] for item in response.json()] == [active.pk]


def test_response_carries_no_password_or_permission_flags(company_client, job):
    make_candidate(skills=[("Python", 8)])

    item = company_client.post(RECOMMEND, {"job": job.pk}, format="json").json()[0]

    assert set(item) == {"id", "name", "rate", "explanation", "assessment"}


def test_nodejs_written_by_a_candidate_matches_a_job_skill_node_js(company, company_client):
    job = JobFactory(user=company)
    assert (
        company_client.post(
            "/job/skills", {"job": job.pk, "name": "Node.js", "rating": 7}, format="json"
        ).status_code
        == 201
    )
    developer = CandidateFactory()
    written = client_for(developer).post("/user/user_skills", {"name": "NodeJS", "rating": 7}, format="json")
    assert written.status_code == 201

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert [(item["id"], item["rate"]) for item in response.json()] == [(developer.pk, 100)]


def test_a_job_skill_written_without_a_serializer_is_stored_canonical_and_matches(company, company_client):
    job = JobFactory(user=company)
    JobSkill.objects.create(job=job, name="nodejs", rating=8)  # the model field canonicalises on save
    developer = make_candidate(skills=[("Node.js", 8)])

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert [(item["id"], item["rate"]) for item in response.json()] == [(developer.pk, 100)]


def test_min_rate_keeps_only_scores_at_or_above_it(company_client, job):
    high = make_candidate(skills=[("Python", 8), ("React", 6)])
    middle = make_candidate(skills=[("Python", 8)])
    make_candidate(skills=[("Python", 1)])

    response = company_client.post(f"{RECOMMEND}?min_rate=50", {"job": job.pk}, format="json")

    assert [(item["id"], item["rate"]) for item in response.json()] == [(high.pk, 100), (middle.pk, 50)]


def test_limit_and_offset_answer_an_envelope_with_a_page(company_client, job):
    ranked = [make_candidate(skills=[("Python", 8), ("React", rating)]) for rating in (6, 5, 4, 3)]

    response = company_client.post(f"{RECOMMEND}?limit=2&offset=1", {"job": job.pk}, format="json")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 4
    assert [item["id"] for item in body["results"]] == [ranked[1].pk, ranked[2].pk]
    assert body["next"] and body["previous"]


@pytest.mark.parametrize("count", [10, 500])
def test_ranking_candidates_takes_five_queries_whatever_their_number(
    count, company, company_client, django_assert_num_queries
):
    job = make_job(owner=company, skills=[("Python", 5), ("Go", 5), ("SQL", 5), ("Rust", 5), ("Java", 5)])
    bulk_candidates(count, ["Python", "Go", "SQL", "Rust", "Java", "Haskell", "C"])

    # The caller's account (JWT), the company's reads left today (accounts/access.py), the job with
    # its skills, the candidates' matching skill rows, the assessment results.
    with django_assert_num_queries(5):
        response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert len(response.json()) > count // 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_endpoint_ranks_exactly_as_the_original_algorithm_on_random_data(seed, company, company_client):
    rng = random.Random(seed)
    names = ["Python", "Go", "SQL", "Rust", "Java", "React", "C"]
    job = make_job(owner=company, skills=[(name, rng.randint(1, 10)) for name in rng.sample(names, 3)])
    bulk_candidates(120, names, seed=seed)

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert [(item["id"], item["rate"]) for item in response.json()] == naive_ranking(job)


def test_ranking_resumes_the_cycle_collector_after_answering(company_client, job):
    make_candidate(skills=[("Python", 8)])

    response = company_client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.status_code == 200
    assert gc.isenabled()


@pytest.mark.parametrize(
    "read", ["all", "one chunk", "nothing"], ids=["read to the end", "closed after a chunk", "closed unread"]
)
def test_a_streamed_ranking_keeps_the_cycle_collector_paused_until_it_is_sent(company, job, read):
    bulk_candidates(STREAM_ABOVE + 1000, ["Python", "React", "Go"])
    client = APIClient()  # not the reading client: this test reads the stream itself
    client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(company)}")

    response = client.post(RECOMMEND, {"job": job.pk}, format="json")

    assert response.streaming
    assert not gc.isenabled()  # the ranking is alive until the last chunk: no collection of it
    parts = iter(response.streaming_content)
    if read != "nothing":
        first = next(parts)
        assert not gc.isenabled()
    if read == "all":
        assert len(json.loads(first + b"".join(parts))) > STREAM_ABOVE
    response.close()
    assert gc.isenabled()


def test_collector_paused_elsewhere_stays_paused():
    gc.disable()
    try:
        with CollectorPause():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_admin_pages_ranking_is_the_endpoints_with_stages(job, company_client):
    best = make_candidate(skills=[("Python", 8), ("React", 6)])
    second = make_candidate(skills=[("Python", 8)])
    make_candidate(skills=[("React", 1)])
    ApplicationFactory(job=job, candidate=second, stage="offer")

    ranking, stages = job_ranking_with_stages(job.pk, viewer=job.user)
    top = ranking.items(ranking.ranked[:2])

    assert [(item["id"], item["rate"]) for item in top] == [(best.pk, 100), (second.pk, 50)]
    assert top == company_client.post(RECOMMEND, {"job": job.pk}, format="json").json()[:2]
    assert stages == {second.pk: "offer"}


# --- Jobs for a candidate -----------------------------------------------------------------------


def test_open_jobs_ranked_for_the_candidate_with_explanation(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Python", rating=8)
    AvailabilityFactory(user=candidate, availability_type="Part Time")
    best = make_job(skills=[("Python", 8)], hiring_needs="Part Time", title="Best")
    half = make_job(skills=[("Python", 8), ("Go", 5)], hiring_needs="Part Time")
    mismatch = make_job(skills=[("Python", 8)], hiring_needs="Full Time")
    make_job(skills=[("Python", 8)], status=Job.Status.CLOSED)
    make_job(skills=[("Go", 8)])
    make_job(skills=())

    response = candidate_client.get(RECOMMENDED_JOBS)

    assert response.status_code == 200
    body = response.json()
    assert [(item["job"], item["rate"]) for item in body] == [
        (best.pk, 100),
        (mismatch.pk, 80),
        (half.pk, 50),
    ]
    assert body[0] == {
        "job": best.pk,
        "title": "Best",
        "name": best.name,
        "hiring_needs": "Part Time",
        "rate": 100,
        "explanation": {
            "skills": [
                {
                    "name": "Python",
                    "job_rating": 8,
                    "candidate_rating": 8,
                    "points": 100.0,
                    "points_lost": 0.0,
                }
            ],
            "availability_factor": 1.0,
            "missing_skills": [],
        },
    }
    assert body[2]["explanation"]["missing_skills"] == ["Go"]


def test_candidate_without_skills_gets_no_jobs(candidate_client):
    make_job(skills=[("Python", 8)])

    response = candidate_client.get(RECOMMENDED_JOBS)

    assert response.status_code == 200
    assert response.json() == []


def test_recommended_jobs_accept_min_rate_and_pagination(candidate, candidate_client):
    UserSkillFactory(user=candidate, name="Python", rating=8)
    jobs = [make_job(skills=[("Python", rating)]) for rating in (8, 7, 2)]

    filtered = candidate_client.get(f"{RECOMMENDED_JOBS}?min_rate=90").json()
    paged = candidate_client.get(f"{RECOMMENDED_JOBS}?limit=1&offset=1").json()

    assert [item["job"] for item in filtered] == [jobs[0].pk, jobs[1].pk]
    assert paged["count"] == 3
    assert [item["job"] for item in paged["results"]] == [jobs[1].pk]


@pytest.mark.parametrize("count", [2, 40])
def test_recommended_jobs_take_four_queries_whatever_the_number_of_jobs(
    count, candidate, candidate_client, django_assert_num_queries
):
    UserSkillFactory(user=candidate, name="Python", rating=8)
    company = CompanyFactory()
    for _ in range(count):
        make_job(owner=company, skills=[("Python", 5), ("Go", 5)])

    # The caller's account (JWT), their job preferences (none here: jobs.preferences), their skills
    # and availability, the matching open jobs' skills.
    with django_assert_num_queries(4):
        response = candidate_client.get(RECOMMENDED_JOBS)

    assert len(response.json()) == count


def test_schema_describes_both_recommendation_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    candidates = schema["paths"]["/user/recommend/list"]["post"]
    jobs = schema["paths"]["/job/recommended"]["get"]
    assert (
        "CandidateRecommendationRequest"
        in candidates["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert "RecommendedCandidate" in str(candidates["responses"]["200"])
    assert "RecommendedJob" in str(jobs["responses"]["200"])


def answer_test(candidate, questions, correct: int):
    """`candidate` answers every question, the first `correct` of them rightly."""
    for index, question in enumerate(questions):
        answer = question.answers.get(is_correct=index < correct)
        UserAnswer.objects.create(user=candidate, question=question, answer=answer)


@pytest.fixture
def four_questions():
    questions = QuestionFactory.create_batch(4)
    for question in questions:
        AnswerFactory(question=question, is_correct=True)
        AnswerFactory(question=question, is_correct=False)
    return questions


def test_recommended_candidates_carry_their_assessment_and_min_assessment_keeps_the_best(
    company_client, job, four_questions
):
    strong = make_candidate(skills=[("Python", 8), ("React", 6)], availability="Full Time")
    tested_low = make_candidate(skills=[("Python", 8)], availability="Full Time")
    untested = make_candidate(skills=[("Python", 7)], availability="Full Time")
    answer_test(strong, four_questions, correct=1)
    answer_test(tested_low, four_questions, correct=3)

    every = company_client.post(RECOMMEND, {"job": job.pk}, format="json").json()
    kept = company_client.post(f"{RECOMMEND}?min_assessment=50", {"job": job.pk}, format="json").json()
    paged = company_client.post(
        f"{RECOMMEND}?min_assessment=20&limit=1", {"job": job.pk}, format="json"
    ).json()

    assert [item["id"] for item in every] == [strong.pk, tested_low.pk, untested.pk]
    assert [item["assessment"] for item in every] == [
        {"correct": 1, "answered": 4, "total": 4, "percent": 25},
        {"correct": 3, "answered": 4, "total": 4, "percent": 75},
        None,
    ]
    assert [(item["id"], item["rate"]) for item in kept] == [(tested_low.pk, every[1]["rate"])]
    assert paged["count"] == 2
    assert [item["id"] for item in paged["results"]] == [strong.pk]


@pytest.mark.parametrize("value", ["-1", "101", "half"])
def test_a_bad_min_assessment_is_a_400_naming_it(company_client, job, value):
    response = company_client.post(f"{RECOMMEND}?min_assessment={value}", {"job": job.pk}, format="json")

    assert response.status_code == 400
    assert "min_assessment" in response.json()


def test_assessment_results_of_a_large_ranking_take_one_query(
    company, company_client, four_questions, django_assert_num_queries
):
    job = make_job(owner=company, skills=[("Python", 5), ("Go", 5), ("SQL", 5)])
    users = bulk_candidates(ASSESSMENT_BY_ID_LIMIT + 50, ["Python", "Go", "SQL"])
    answer_test(users[-1], four_questions, correct=4)

    with django_assert_num_queries(5):  # the four above and the company's reads left today
        body = company_client.post(RECOMMEND, {"job": job.pk}, format="json").json()

    assert len(body) > ASSESSMENT_BY_ID_LIMIT
    assert next(item for item in body if item["id"] == users[-1].pk)["assessment"]["percent"] == 100
    assert sum(item["assessment"] is not None for item in body) == 1
