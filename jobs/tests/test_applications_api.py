"""The hiring pipeline through the real URLs: applying, moving through stages, history, the lists."""

import math

import pytest
from django.db import connection
from drf_spectacular.generators import SchemaGenerator

from accounts.models import CandidateAccess, UserAccount
from accounts.tests.factories import CandidateFactory, CompanyFactory
from assessments.models import UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory
from helpers.testing import client_for
from jobs.models import Application, ApplicationEvent
from jobs.tests.factories import ApplicationFactory, JobFactory
from jobs.tests.test_recommend_api import RECOMMEND, bulk_candidates, make_candidate, make_job

pytestmark = pytest.mark.django_db


def apply(candidate, job, **body):
    return client_for(candidate).post(f"/job/{job.pk}/apply", body, format="json")


def move(caller, application, **body):
    return client_for(caller).patch(f"/job/applications/{application.pk}", body, format="json")


def test_candidate_applies_with_a_cover_note_and_sees_it_in_their_list(candidate):
    job = JobFactory(title="Django Developer", name="Acme")

    response = apply(candidate, job, cover_note="I built three DRF APIs.")

    assert response.status_code == 201
    assert response.json()["stage"] == "applied"
    assert response.json()["source"] == "applied"
    [listed] = client_for(candidate).get("/job/applications").json()
    assert listed["job"] == job.pk
    assert listed["job_title"] == "Django Developer"
    assert listed["company"] == "Acme"
    assert listed["stage"] == "applied"
    assert listed["cover_note"] == "I built three DRF APIs."
    assert {"created_at", "updated_at"} <= set(listed)


def test_applying_twice_is_a_400_naming_the_job(candidate):
    job = JobFactory()
    apply(candidate, job)

    response = apply(candidate, job)

    assert response.status_code == 400
    assert "already" in response.json()["job"][0]
    assert Application.objects.count() == 1


def test_applying_to_a_closed_or_unknown_job_is_a_404(candidate):
    assert apply(candidate, JobFactory(closed=True)).status_code == 404
    assert client_for(candidate).post("/job/999999/apply", {}, format="json").status_code == 404


def test_a_cover_note_longer_than_5000_characters_is_refused(candidate):
    response = apply(candidate, JobFactory(), cover_note="x" * 5001)

    assert response.status_code == 400
    assert "cover_note" in response.json()


def test_company_moves_forward_skipping_steps_and_the_history_records_each_change(company):
    application = ApplicationFactory(job=JobFactory(user=company))

    assert move(company, application, stage="interview", note="Strong CV").status_code == 200
    assert move(company, application, stage="hired").status_code == 200

    events = client_for(company).get(f"/job/applications/{application.pk}/events").json()
    assert [(e["from_stage"], e["to_stage"]) for e in events] == [
        ("", "applied"),
        ("applied", "interview"),
        ("interview", "hired"),
    ]
    assert events[1]["note"] == "Strong CV"
    assert [e["by"] for e in events] == ["candidate", "company", "company"]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("screening", "applied", "interview, offer, hired, rejected"),
        ("hired", "rejected", "none"),
        ("withdrawn", "screening", "none"),
        ("rejected", "interview", "screening"),
        ("offer", "withdrawn", "hired, rejected"),
    ],
)
def test_a_forbidden_move_is_a_400_listing_the_allowed_stages(company, start, target, allowed):
    application = ApplicationFactory(job=JobFactory(user=company), stage=start)

    response = move(company, application, stage=target, reason="skills")

    assert response.status_code == 400
    assert f"Allowed stages: {allowed}" in response.json()["stage"][0]
    application.refresh_from_db()
    assert application.stage == start
    assert application.events.count() == 1


def test_rejection_needs_a_reason_and_a_rejected_application_reopens_to_screening(company):
    application = ApplicationFactory(job=JobFactory(user=company), stage="interview")

    missing = move(company, application, stage="rejected")
    rejected = move(
        company, application, stage="rejected", reason="salary", note="Asked for twice the budget"
    )
    reopened = move(company, application, stage="screening")

    assert missing.status_code == 400
    assert "reason" in missing.json()
    assert rejected.status_code == 200
    assert reopened.json()["stage"] == "screening"
    event = ApplicationEvent.objects.get(to_stage="rejected")
    assert (event.reason, event.note, event.actor) == ("salary", "Asked for twice the budget", company)


def test_an_unknown_reason_is_a_field_error(company):
    application = ApplicationFactory(job=JobFactory(user=company))

    response = move(company, application, stage="rejected", reason="vibes")

    assert response.status_code == 400
    assert "reason" in response.json()


def test_candidate_withdraws_and_sees_the_history_without_recruiters_notes(company):
    application = ApplicationFactory(job=JobFactory(user=company))
    move(company, application, stage="screening", note="internal: maybe later")

    withdrawn = client_for(application.candidate).post(f"/job/applications/{application.pk}/withdraw")
    again = client_for(application.candidate).post(f"/job/applications/{application.pk}/withdraw")
    events = client_for(application.candidate).get(f"/job/applications/{application.pk}/events").json()

    assert withdrawn.status_code == 200
    assert withdrawn.json()["stage"] == "withdrawn"
    assert again.status_code == 400
    assert [e["to_stage"] for e in events] == ["applied", "screening", "withdrawn"]
    assert all("note" not in e for e in events)
    assert "maybe later" not in str(events)
    assert move(company, application, stage="interview").status_code == 400


def test_history_cannot_be_edited_or_deleted():
    application = ApplicationFactory()
    event = application.events.get()

    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ApplicationEvent.objects.all().delete()
    with pytest.raises(TypeError):
        ApplicationEvent.objects.update(note="x")


def test_the_database_refuses_a_second_application_and_a_rejection_without_reason():
    from django.db import IntegrityError, transaction

    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(candidate=application.candidate, job=application.job)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationEvent.objects.create(application=application, to_stage="rejected")


def test_applicants_carry_the_recommendation_engines_rate_and_explanation(company):
    job = make_job(owner=company, skills=[("Python", 8), ("React", 6), ("Go", 5)])
    strong = make_candidate(skills=[("Python", 8), ("React", 6)], availability="Full Time")
    weak = make_candidate(skills=[("nodejs", 9)], availability="Part Time")
    part = make_candidate(skills=[("Go", 1), ("Python", 9)], availability="Part Time")
    for candidate in (weak, strong, part):
        apply(candidate, job)

    applicants = client_for(company).get(f"/job/{job.pk}/applications").json()
    recommended = {
        item["id"]: item
        for item in client_for(company).post(RECOMMEND, {"job": job.pk}, format="json").json()
    }

    assert [a["candidate"]["id"] for a in applicants] == [strong.pk, part.pk, weak.pk]
    for applicant in applicants[:2]:
        same = recommended[applicant["candidate"]["id"]]
        assert (applicant["rate"], applicant["explanation"]) == (same["rate"], same["explanation"])
    assert applicants[2]["rate"] == 0
    assert applicants[2]["explanation"]["missing_skills"] == ["Python", "React", "Go"]
    assert applicants[0]["candidate"]["skills"] == [
        {"name": "Python", "rating": 8},
        {"name": "React", "rating": 6},
    ]
    assert set(applicants[0]["candidate"]) == {"id", "name", "email", "phone", "skills"}


def test_applicants_carry_their_assessment_result_or_null(company):
    job = make_job(owner=company)
    questions = [QuestionFactory() for _ in range(4)]
    right = [AnswerFactory(question=q, is_correct=True) for q in questions]
    wrong = AnswerFactory(question=questions[3], is_correct=False)
    QuestionFactory(is_active=False)
    tested, untested = CandidateFactory(), CandidateFactory()
    for question, answer in [*zip(questions[:2], right[:2], strict=True), (questions[3], wrong)]:
        UserAnswer.objects.create(user=tested, question=question, answer=answer)
    ApplicationFactory(job=job, candidate=tested)
    ApplicationFactory(job=job, candidate=untested)

    items = {a["candidate"]["id"]: a for a in client_for(company).get(f"/job/{job.pk}/applications").json()}

    assert items[tested.pk]["assessment"] == {"correct": 2, "answered": 3, "total": 4, "percent": 50}
    assert items[untested.pk]["assessment"] is None


def test_applicants_filter_by_stage_order_and_page(company):
    job = make_job(owner=company, skills=[("Python", 10)])
    ratings = [3, 9, 6]
    applications = [
        ApplicationFactory(job=job, candidate=make_candidate(skills=[("Python", r)])) for r in ratings
    ]
    move(company, applications[0], stage="screening")
    client = client_for(company)

    by_rate = [a["rate"] for a in client.get(f"/job/{job.pk}/applications").json()]
    ascending = [a["rate"] for a in client.get(f"/job/{job.pk}/applications?ordering=rate").json()]
    oldest = [a["id"] for a in client.get(f"/job/{job.pk}/applications?ordering=created_at").json()]
    screening = client.get(f"/job/{job.pk}/applications?stage=screening").json()
    page = client.get(f"/job/{job.pk}/applications?limit=2&offset=1").json()

    assert by_rate == [90, 60, 30]
    assert ascending == [30, 60, 90]
    assert oldest == [a.pk for a in applications]
    assert [a["id"] for a in screening] == [applications[0].pk]
    assert page["count"] == 3
    assert [a["rate"] for a in page["results"]] == [60, 30]


@pytest.mark.parametrize(("query", "field"), [("stage=archived", "stage"), ("ordering=name", "ordering")])
def test_bad_applicant_list_parameters_are_400s_naming_the_parameter(company, query, field):
    job = make_job(owner=company)

    response = client_for(company).get(f"/job/{job.pk}/applications?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_a_deactivated_candidate_disappears_from_the_company_list_and_closed_jobs_keep_applications(company):
    job = make_job(owner=company)
    gone, kept = ApplicationFactory(job=job), ApplicationFactory(job=job)
    UserAccount.objects.filter(pk=gone.candidate_id).update(is_active=False)
    client_for(company).patch(f"/job/{job.pk}", {"status": "closed"}, format="json")

    listed = client_for(company).get(f"/job/{job.pk}/applications").json()

    assert [a["id"] for a in listed] == [kept.pk]
    assert move(company, gone, stage="screening").status_code == 404


def ledger_inserts(rows: int) -> int:
    """The INSERT statements `rows` rows of the access ledger take on this database."""
    fields = [field for field in CandidateAccess._meta.concrete_fields if not field.primary_key]
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))


def _applicants(job, count):
    for user in bulk_candidates(count, ["Python", "React", "Go", "SQL"], seed=count):
        Application.objects.create(candidate=user, job=job)


@pytest.mark.parametrize("count", [1, 200])
def test_the_applicant_list_costs_the_same_queries_whatever_the_number(
    company, count, django_assert_num_queries
):
    job = make_job(owner=company)
    _applicants(job, count)
    client = client_for(company)

    # The token's user, the job with its skills, the applications with their candidates, their
    # skills, the assessment results of what is shown, and the rows of the access ledger: one
    # INSERT (SQLite splits it in batches of 999 parameters). A page adds two: the count, and the
    # applications with the most points (jobs.pipeline.page_of_applicants), so only those are read.
    with django_assert_num_queries(5 + ledger_inserts(count)):
        response = client.get(f"/job/{job.pk}/applications")
    with django_assert_num_queries(7 + ledger_inserts(min(count, 20))):
        paged = client.get(f"/job/{job.pk}/applications?limit=20")

    assert len(response.json()) == count
    assert len(paged.json()["results"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 200])
def test_the_candidates_list_costs_the_same_queries_whatever_the_number(
    candidate, count, django_assert_num_queries
):
    company = CompanyFactory()
    jobs = JobFactory.create_batch(count, user=company)
    Application.objects.bulk_create(Application(candidate=candidate, job=job) for job in jobs)

    with django_assert_num_queries(2):
        response = client_for(candidate).get("/job/applications")

    assert len(response.json()) == count


def test_schema_describes_every_pipeline_route():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    assert "post" in paths["/job/{id}/apply"]
    assert "get" in paths["/job/applications"]
    assert "patch" in paths["/job/applications/{id}"]
    assert "post" in paths["/job/applications/{id}/withdraw"]
    assert "get" in paths["/job/applications/{id}/events"]
    applicants = paths["/job/{id}/applications"]["get"]
    assert {p["name"] for p in applicants["parameters"]} >= {"stage", "ordering", "limit", "offset"}


def test_a_candidate_who_deletes_their_account_leaves_the_company_an_anonymous_record(company):
    """Issue 21: the hiring record stays (privacy/), without the person; the pipeline no longer lists it."""
    application = ApplicationFactory(job=JobFactory(user=company))
    move(company, application, stage="screening", note="Strong Django skills")
    candidate = application.candidate

    response = client_for(candidate).delete(
        "/auth/users/me/", {"current_password": "Correct-Horse-42"}, format="json"
    )

    assert response.status_code == 204
    kept = Application.objects.get(pk=application.pk)
    assert kept.stage == "withdrawn"
    assert kept.candidate.name == f"Deleted candidate #{candidate.pk}"
    history = ApplicationEvent.objects.filter(application_id=application.pk)
    assert [(e.to_stage, e.note) for e in history] == [
        ("applied", ""),
        ("screening", "[removed]"),
        ("withdrawn", ""),
    ]
    assert client_for(company).get(f"/job/{application.job_id}/applications").json() == []


def test_a_sourced_candidate_who_applies_consents_and_keeps_their_place_in_the_pipeline(candidate):
    job = make_job(skills=[("Python", 8)])
    sourced = ApplicationFactory(candidate=candidate, job=job, source="sourced", stage="interview")
    company = client_for(job.user)
    assert company.get(f"/job/{job.pk}/applications").json()[0]["candidate"]["email"] is None

    response = apply(candidate, job, cover_note="Happy to talk")

    assert response.status_code == 201
    assert response.json()["id"] == sourced.pk
    assert response.json()["source"] == "applied" and response.json()["stage"] == "interview"
    assert company.get(f"/job/{job.pk}/applications").json()[0]["candidate"]["email"] == candidate.email
    history = company.get(f"/job/applications/{sourced.pk}/events").json()
    assert [(e["from_stage"], e["to_stage"]) for e in history][-1] == ("interview", "interview")
    assert Application.objects.count() == 1


def test_a_sourced_application_that_is_over_cannot_be_applied_to_again(candidate):
    job = make_job(skills=[("Python", 8)])
    ApplicationFactory(candidate=candidate, job=job, source="sourced", stage="hired")

    response = apply(candidate, job)

    assert response.status_code == 400
    assert Application.objects.get().source == "sourced"
