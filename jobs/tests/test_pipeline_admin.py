"""The recruiters' admin: add_recruiter, one company's jobs and pipeline only, ranked candidates,
sourcing, stage actions with their history, CSV export, and form errors instead of 500s."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from assessments.models import UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory
from helpers.testing import client_for
from jobs.models import Application, ApplicationEvent, JobSkill
from jobs.tests.factories import ApplicationFactory, JobFactory
from jobs.tests.test_recommend_api import bulk_candidates, make_candidate, make_job
from profiles.tests.factories import ProfileFactory
from webhooks.models import Message
from webhooks.services import endpoint_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]

PASSWORD = "Recruit-Harbour-82"


def add_recruiter(email, company, monkeypatch, password=PASSWORD):
    monkeypatch.setenv("RECRUITER_PASSWORD", password)
    out = io.StringIO()
    call_command("add_recruiter", email, "--company", company.email, stdout=out)
    return out.getvalue()


# --- add_recruiter ------------------------------------------------------------------------------


def test_add_recruiter_creates_a_staff_login_for_the_company_and_a_second_run_changes_nothing(
    acme, monkeypatch
):
    first = add_recruiter("Rita@Acme.example", acme, monkeypatch)
    account = UserAccount.objects.get(email="rita@acme.example")
    before = (account.password, account.is_staff, account.recruiter_for_id, list(account.groups.all()))

    again = add_recruiter("rita@acme.example", acme, monkeypatch, password="another-Pass-99")

    account.refresh_from_db()
    assert "created" in first and "created" not in again
    assert (
        account.password,
        account.is_staff,
        account.recruiter_for_id,
        list(account.groups.all()),
    ) == before
    assert account.is_staff and not account.is_superuser and account.recruiter_for == acme
    assert [group.name for group in account.groups.all()] == ["Recruiters"]
    assert account.check_password(PASSWORD)
    assert UserAccount.objects.filter(email="rita@acme.example").count() == 1


def test_the_company_can_be_its_own_recruiter_and_have_several(acme, monkeypatch):
    add_recruiter(acme.email, acme, monkeypatch)
    add_recruiter("sam@acme.example", acme, monkeypatch)

    acme.refresh_from_db()
    assert acme.is_staff and acme.recruiter_for == acme and acme.is_company
    assert set(acme.recruiters.values_list("email", flat=True)) == {acme.email, "sam@acme.example"}


@pytest.mark.parametrize(
    ("email", "password", "company_email", "message"),
    [
        ("new@acme.example", "123", "acme@company.example", "too short"),
        ("new@acme.example", "Recruit-Harbour-82", "nobody@company.example", "No company account"),
        ("dev@example.com", "Recruit-Harbour-82", "acme@company.example", "developer"),
    ],
)
def test_add_recruiter_refuses_with_a_reason_and_writes_nothing(
    acme, monkeypatch, email, password, company_email, message
):
    CandidateFactory(email="dev@example.com")
    monkeypatch.setenv("RECRUITER_PASSWORD", password)
    accounts = UserAccount.objects.count()

    with pytest.raises(CommandError, match=message):
        call_command("add_recruiter", email, "--company", company_email)

    assert UserAccount.objects.count() == accounts
    assert not UserAccount.objects.filter(is_staff=True).exists()


# --- Scope --------------------------------------------------------------------------------------


def test_recruiter_sees_and_edits_only_its_companys_jobs_and_applications(acme, recruiter_client):
    own = JobFactory(user=acme, title="Acme Go engineer")
    other = JobFactory(title="Globex Rust engineer")
    own_application = ApplicationFactory(job=own)
    other_application = ApplicationFactory(job=other)

    jobs_page = recruiter_client.get("/admin/jobs/job/").content.decode()
    applications_page = recruiter_client.get("/admin/jobs/application/").content.decode()

    assert "Acme Go engineer" in jobs_page and "Globex Rust engineer" not in jobs_page
    assert own_application.candidate.email in applications_page
    assert other_application.candidate.email not in applications_page
    assert "Globex Rust engineer" not in applications_page  # not even in the job filter
    assert recruiter_client.get(f"/admin/jobs/job/{own.pk}/change/").status_code == 200
    for url in (
        f"/admin/jobs/job/{other.pk}/change/",
        f"/admin/jobs/job/{other.pk}/delete/",
        f"/admin/jobs/job/{other.pk}/history/",
        f"/admin/jobs/job/{other.pk}/candidates/",
        f"/admin/jobs/application/{other_application.pk}/change/",
        "/admin/jobs/job/not-a-number/change/",
    ):
        assert recruiter_client.get(url).status_code == 404, url


def test_a_job_added_by_a_recruiter_belongs_to_its_company(acme, recruiter_client):
    response = recruiter_client.post(
        "/admin/jobs/job/add/",
        {
            "title": "Data engineer",
            "description": "Pipelines.",
            "work_email": "jobs@acme.example",
            "hiring_needs": "Full Time",
            "current_employees": "11-50",
            "name": "Acme",
            "status": "open",
            "skills-TOTAL_FORMS": "1",
            "skills-INITIAL_FORMS": "0",
            "skills-0-name": "python",
            "skills-0-rating": "7",
        },
    )

    assert response.status_code == 302
    job = acme.jobs.get(title="Data engineer")
    assert list(job.skills.values_list("name", "rating")) == [("Python", 7)]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/group/",
        "/admin/auth/permission/",
        "/admin/token_blacklist/outstandingtoken/",
        "/admin/token_blacklist/blacklistedtoken/",
        "/admin/social_django/usersocialauth/",
        "/admin/profiles/company/",
    ],
)
def test_recruiter_cannot_open_groups_permissions_tokens_or_social_auth(recruiter_client, url):
    assert recruiter_client.get(url).status_code in (403, 404)


def test_recruiter_reads_candidates_only_without_permission_fields(acme, recruiter, recruiter_client):
    candidate = CandidateFactory(name="Visible Dev")
    other_company = CompanyFactory(name="Hidden Co")
    question = QuestionFactory()
    right = AnswerFactory(question=question, is_correct=True)
    QuestionFactory()
    UserAnswer.objects.create(user=candidate, question=question, answer=right)

    listed = recruiter_client.get("/admin/accounts/useraccount/").content.decode()
    page = recruiter_client.get(f"/admin/accounts/useraccount/{candidate.pk}/change/")
    saved = recruiter_client.post(f"/admin/accounts/useraccount/{candidate.pk}/change/", {"name": "Changed"})

    assert "Visible Dev" in listed and "Hidden Co" not in listed
    assert page.status_code == 200
    assert "user_permissions" not in page.content.decode() and "id_groups" not in page.content.decode()
    assert "Linked providers" not in page.content.decode()
    assert "1 of 2 correct (50%), 1 answered" in page.content.decode()
    assert saved.status_code == 403
    assert recruiter_client.get(f"/admin/accounts/useraccount/{other_company.pk}/change/").status_code in (
        302,
        404,
    )
    candidate.refresh_from_db()
    assert candidate.name == "Visible Dev"


def test_recruiter_does_not_see_a_deactivated_candidates_profile_rows(recruiter_client):
    shown = make_candidate(skills=[("Go", 5)], name="Shown Dev")
    hidden = make_candidate(skills=[("Rust", 5)], name="Hidden Dev")
    UserAccount.objects.filter(pk=hidden.pk).update(is_active=False)

    page = recruiter_client.get("/admin/profiles/userskill/").content.decode()

    assert "Shown Dev" in page and "Hidden Dev" not in page
    assert shown.email not in page  # a recruiter reads rows by the candidate's name


def test_superuser_sees_every_company(acme):
    JobFactory(user=acme, title="Acme job")
    JobFactory(title="Globex job")
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))

    page = client.get("/admin/jobs/job/").content.decode()

    assert "Acme job" in page and "Globex job" in page


# --- The job page: ranked candidates and sourcing ------------------------------------------------


def test_job_page_lists_ranked_candidates_with_skills_assessment_and_stage(acme, recruiter_client):
    job = make_job(owner=acme, skills=[("Python", 8), ("React", 6), ("Go", 5)])
    best = make_candidate(skills=[("Python", 8), ("React", 3)], availability="Part Time", name="Best Dev")
    applied = make_candidate(skills=[("Python", 6)], name="Applied Dev")
    ApplicationFactory(job=job, candidate=applied, stage="interview")
    question = QuestionFactory()
    UserAnswer.objects.create(
        user=best, question=question, answer=AnswerFactory(question=question, is_correct=True)
    )

    page = recruiter_client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()

    assert "Best Dev" in page and "Applied Dev" in page
    assert "Python (8/8)" in page  # matching
    assert "React (3/6)" in page  # weaker
    assert "Go" in page  # missing
    assert "0.8" in page and "100%" in page
    assert "interview" in page
    assert "All 2 ranked candidates" in page


def test_sourcing_adds_selected_ranked_candidates_in_screening_with_their_event(
    acme, recruiter, recruiter_client
):
    job = make_job(owner=acme, skills=[("Python", 8)])
    picked = make_candidate(skills=[("Python", 8)])
    unranked = make_candidate(skills=[("Cobol", 8)])

    response = recruiter_client.post(
        f"/admin/jobs/job/{job.pk}/source/", {"source_candidate": [picked.pk, unranked.pk]}
    )

    assert response.status_code == 302
    [application] = Application.objects.filter(job=job)
    assert (application.candidate, application.source, application.stage) == (picked, "sourced", "screening")
    event = application.events.get()
    assert (event.actor, event.from_stage, event.to_stage) == (recruiter, "", "screening")
    recruiter_client.post(f"/admin/jobs/job/{job.pk}/source/", {"source_candidate": [picked.pk]})
    assert Application.objects.filter(job=job).count() == 1


def test_all_ranked_candidates_page_pages_them(acme, recruiter_client):
    job = make_job(owner=acme, skills=[("Python", 5), ("Go", 5), ("SQL", 5)])
    bulk_candidates(120, ["Python", "Go", "SQL"])

    first = recruiter_client.get(f"/admin/jobs/job/{job.pk}/candidates/").content.decode()
    last = recruiter_client.get(f"/admin/jobs/job/{job.pk}/candidates/?p=3").content.decode()

    assert first.count("class='ranked-candidate'") == 50
    assert last.count("class='ranked-candidate'") == 20
    assert "page 1 of 3 (120 candidates)" in first


# --- The applications list ---------------------------------------------------------------------


def test_applications_filter_by_stage_and_search_by_candidate(acme, recruiter_client):
    job = make_job(owner=acme)
    interviewing = ApplicationFactory(
        job=job, stage="interview", candidate=CandidateFactory(name="Ivy Interview")
    )
    ApplicationFactory(job=job, candidate=CandidateFactory(name="Abe Applied"))

    by_stage = recruiter_client.get("/admin/jobs/application/?stage__exact=interview").content.decode()
    by_name = recruiter_client.get("/admin/jobs/application/?q=abe").content.decode()
    by_job = recruiter_client.get(f"/admin/jobs/application/?job__id__exact={job.pk}").content.decode()

    assert "Ivy Interview" in by_stage and "Abe Applied" not in by_stage
    assert "Abe Applied" in by_name and "Ivy Interview" not in by_name
    assert "Abe Applied" in by_job and interviewing.candidate.email in by_job


def action(client, name, applications, **extra):
    return client.post(
        "/admin/jobs/application/",
        {"action": name, "_selected_action": [a.pk for a in applications], "index": "0", **extra},
    )


def test_stage_actions_write_events_and_a_rejection_needs_a_reason(acme, recruiter, recruiter_client):
    job = make_job(owner=acme)
    first, second = ApplicationFactory(job=job), ApplicationFactory(job=job, stage="hired")

    action(recruiter_client, "move_to_interview", [first, second])
    no_reason = action(recruiter_client, "move_to_rejected", [first], follow=True)
    action(recruiter_client, "move_to_rejected", [first], reason="skills", note="Weak SQL")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == ("rejected", "hired")
    assert [(e.from_stage, e.to_stage, e.reason) for e in first.events.all()] == [
        ("", "applied", ""),
        ("applied", "interview", ""),
        ("interview", "rejected", "skills"),
    ]
    assert first.events.last().actor == recruiter
    assert second.events.count() == 1
    assert no_reason.status_code == 302


def test_csv_export_has_one_row_per_selected_application(acme, recruiter_client):
    job = make_job(owner=acme, skills=[("Python", 8)], title="Go engineer")
    candidate = make_candidate(skills=[("Python", 8), ("Go", 3)], name="Cara Csv")
    application = ApplicationFactory(job=job, candidate=candidate, stage="offer")

    response = action(recruiter_client, "export_csv", [application])

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["candidate", "email", "job", "stage", "score", "skills", "assessment percent"],
        ["Cara Csv", candidate.email, "Go engineer", "offer", "100", "Python 8; Go 3", ""],
    ]


# --- Form errors instead of 500s, labels, header -----------------------------------------------


def skill_form(job, rows, initial=()):
    data = {
        "title": job.title,
        "description": job.description,
        "work_email": job.work_email,
        "hiring_needs": job.hiring_needs,
        "current_employees": job.current_employees,
        "name": job.name,
        "status": job.status,
        "skills-TOTAL_FORMS": str(len(initial) + len(rows)),
        "skills-INITIAL_FORMS": str(len(initial)),
    }
    for index, skill in enumerate(initial):
        data.update({f"skills-{index}-id": skill.pk, f"skills-{index}-job": job.pk})
        data.update({f"skills-{index}-name": skill.name, f"skills-{index}-rating": skill.rating})
    for index, (name, rating) in enumerate(rows, start=len(initial)):
        data.update({f"skills-{index}-name": name, f"skills-{index}-rating": rating})
    return data


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([("nodejs", 5)], "already listed"),
        ([("Go", 5), ("golang", 6)], "already listed"),
        ([("Rust", 11)], "less than or equal to 10"),
        ([("Rust", 0)], "greater than or equal to 1"),
    ],
)
def test_skill_inline_mistakes_are_form_errors_not_500s(acme, recruiter_client, rows, error):
    job = make_job(owner=acme, skills=[("Node.js", 7)])

    response = recruiter_client.post(
        f"/admin/jobs/job/{job.pk}/change/", skill_form(job, rows, initial=list(job.skills.all()))
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert list(JobSkill.objects.filter(job=job).values_list("name", flat=True)) == ["Node.js"]


def test_candidate_skill_inline_in_another_spelling_is_a_form_error():
    admin_client = Client()
    admin_client.force_login(StaffFactory(is_superuser=True))
    candidate = make_candidate(skills=[("Node.js", 7)])
    url = f"/admin/accounts/useraccount/{candidate.pk}/change/"
    data = {"email": candidate.email, "name": candidate.name, "type": "user", "is_active": "on"}
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(initial)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial)
    skills = next(
        i.formset
        for i in admin_client.get(url).context["inline_admin_formsets"]
        if i.formset.prefix == "skills"
    )
    data.update(
        {
            "skills-TOTAL_FORMS": "2",
            "skills-0-id": candidate.skills.get().pk,
            "skills-0-user": candidate.pk,
            "skills-0-name": "Node.js",
            "skills-0-rating": "7",
            "skills-1-name": "NodeJS",
            "skills-1-rating": "4",
        }
    )
    assert skills.initial_form_count() == 1

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "already listed" in response.content.decode()
    assert candidate.skills.count() == 1


def test_current_employees_shows_the_apis_labels_and_the_header_names_the_product(acme, recruiter_client):
    job = JobFactory(user=acme, current_employees="11-50")

    page = recruiter_client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    listing = recruiter_client.get("/admin/jobs/job/").content.decode()

    assert '<option value="11-50" selected>11-50</option>' in page
    assert "Medium" not in listing
    assert "Job Portal recruiting" in page


# --- No query per row ------------------------------------------------------------------------


def candidates_half_applied(company, n):
    """`n` listed candidates with a skill; every other one applied to `company` (and so shares contact)."""
    candidates = [make_candidate(skills=[("Go", 3)]) for _ in range(n)]
    for candidate in candidates[::2]:
        ApplicationFactory(job=make_job(owner=company), candidate=candidate)
    return candidates


def answer_of(candidate):
    question = QuestionFactory()
    return UserAnswer.objects.create(
        user=candidate, question=question, answer=AnswerFactory(question=question)
    )


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/admin/jobs/job/", lambda company, n: JobFactory.create_batch(n, user=company)),
        (
            "/admin/jobs/application/",
            lambda company, n: [ApplicationFactory(job=make_job(owner=company)) for _ in range(n)],
        ),
        ("/admin/accounts/useraccount/", lambda company, n: candidates_half_applied(company, n)),
        (
            "/admin/profiles/profile/",
            lambda company, n: [ProfileFactory(user=user) for user in candidates_half_applied(company, n)],
        ),
        (
            "/admin/profiles/userskill/",
            lambda company, n: candidates_half_applied(company, n),
        ),
        (
            "/admin/assessments/useranswer/",
            lambda company, n: [answer_of(user) for user in candidates_half_applied(company, n)],
        ),
    ],
)
def test_changelists_cost_the_same_queries_for_few_and_many_rows(
    acme, recruiter_client, url, grow, django_assert_max_num_queries
):
    grow(acme, 2)
    with django_assert_max_num_queries(30) as few:
        assert recruiter_client.get(url).status_code == 200
    grow(acme, 25)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert recruiter_client.get(url).status_code == 200


def test_recruiters_group_has_no_permission_on_accounts_groups_or_tokens(recruiter):
    codenames = set(
        Group.objects.get(name="Recruiters").permissions.values_list("content_type__app_label", flat=True)
    )

    assert codenames <= {"jobs", "accounts", "profiles", "assessments", "webhooks"}
    assert not recruiter.has_perm("accounts.change_useraccount")
    assert not recruiter.has_perm("auth.view_group")
    assert ApplicationEvent.objects.count() == 0


# --- Webhook events of admin edits ---------------------------------------------------------------


def events_of(company) -> list[tuple[str, dict]]:
    return [
        (m.type, json.loads(m.body)["data"]) for m in Message.objects.filter(company=company).order_by("id")
    ]


def test_a_recruiters_admin_edits_send_the_companys_job_events_as_the_api_reads_the_job(
    acme, recruiter_client, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the endpoint is on loopback; nothing is delivered here
    endpoint_create(company=acme, url="http://127.0.0.1:9/hooks", events=["*"])
    job = make_job(owner=acme, skills=[("Node.js", 7)])
    change = f"/admin/jobs/job/{job.pk}/change/"

    def save(rows=(), **fields):
        form = {
            **skill_form(job, rows, initial=list(job.skills.all())),
            "phone": job.phone,
            "website": job.website,
        }
        form.update(fields)
        assert recruiter_client.post(change, form).status_code == 302
        return client_for(acme).get(f"/job/{job.pk}").json()

    save()  # nothing changed
    save(rows=[("Go", 4)])  # skills only: as POST /job/skills, no job event
    retitled = save(title="Staff Engineer")
    closed = save(title="Staff Engineer", status="closed")

    assert events_of(acme) == [("job.updated", {"job": retitled}), ("job.closed", {"job": closed})]


def test_a_job_added_in_the_admin_sends_job_created(acme, recruiter_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    endpoint_create(company=acme, url="http://127.0.0.1:9/hooks", events=["job.created"])

    response = recruiter_client.post("/admin/jobs/job/add/", skill_form(JobFactory.build(user=acme), []))

    assert response.status_code == 302
    [(event_type, data)] = events_of(acme)
    assert event_type == "job.created"
    assert data == {"job": client_for(acme).get(f"/job/{data['job']['id']}").json()}
