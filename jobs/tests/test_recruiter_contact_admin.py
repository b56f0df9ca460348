"""Candidate privacy in the admin (issue 16): a recruiter sees a candidate's email and phone only once
the candidate applied to the recruiter's company, and sees candidates who are not searchable only if
they applied. Superusers see everything. Each rule is checked both ways: before and after applying."""

import csv
import io

import pytest
from django.apps import apps

from accounts.tests.factories import CandidateFactory
from assessments.models import UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory
from jobs import services
from jobs.tests.factories import ApplicationFactory
from jobs.tests.test_recommend_api import make_candidate, make_job
from profiles.tests.factories import ExperienceFactory, ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]

PHONE = "+92 300 7654321"


@pytest.fixture
def job(acme):
    return make_job(owner=acme, skills=[("Python", 8)], title="Acme Python engineer")


@pytest.fixture
def candidate():
    """A listed candidate with a profile (and so a phone)."""
    person = make_candidate(skills=[("Python", 8)], name="Cora Contact", email="cora@mail.example")
    ProfileFactory(user=person, first_name="Cora", last_name="Contact", phone=PHONE)
    return person


def sourced(candidate, job, recruiter):
    return services.application_source(candidate=candidate, job=job, actor=recruiter)


def applied(candidate, acme):
    return services.application_apply(candidate=candidate, job=make_job(owner=acme, title="Another job"))


def action(client, name, applications):
    return client.post(
        "/admin/jobs/application/",
        {"action": name, "_selected_action": [a.pk for a in applications], "index": "0"},
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Applications: list, search, change page, CSV --------------------------------------------


def test_the_applications_list_shows_the_email_only_once_the_candidate_applied(
    acme, job, recruiter, recruiter_client, admin_client, candidate
):
    sourced(candidate, job, recruiter)

    before = page(recruiter_client, "/admin/jobs/application/")
    applied(candidate, acme)
    after = page(recruiter_client, "/admin/jobs/application/")

    assert "Cora Contact" in before and candidate.email not in before
    assert after.count("Cora Contact &lt;cora@mail.example&gt;") == 2  # the sourced row too
    assert candidate.email in page(admin_client, "/admin/jobs/application/")


def test_a_withdrawn_application_takes_the_email_back(acme, recruiter_client, candidate):
    application = applied(candidate, acme)
    shown = page(recruiter_client, "/admin/jobs/application/")

    services.application_withdraw(application=application, candidate=candidate)

    assert candidate.email in shown
    assert candidate.email not in page(recruiter_client, "/admin/jobs/application/")


def test_only_superusers_search_applications_by_email(
    acme, job, recruiter, recruiter_client, admin_client, candidate
):
    sourced(candidate, job, recruiter)
    applied(candidate, acme)

    assert "Cora Contact" not in page(recruiter_client, "/admin/jobs/application/?q=cora@mail")
    assert "Cora Contact" in page(recruiter_client, "/admin/jobs/application/?q=cora")
    assert "Cora Contact" in page(admin_client, "/admin/jobs/application/?q=cora@mail")


def test_the_application_page_names_the_candidate_and_shows_the_email_once_they_applied(
    acme, job, recruiter, recruiter_client, admin_client, candidate
):
    application = sourced(candidate, job, recruiter)
    url = f"/admin/jobs/application/{application.pk}/change/"
    other_application = applied(make_candidate(name="Will Withdraw", email="will@mail.example"), acme)
    services.application_withdraw(application=other_application, candidate=other_application.candidate)
    withdrawn_url = f"/admin/jobs/application/{other_application.pk}/change/"

    before = page(recruiter_client, url)
    withdrawn = page(recruiter_client, withdrawn_url)
    applied(candidate, acme)
    after = page(recruiter_client, url)

    assert "Cora Contact" in before and candidate.email not in before
    assert "Will Withdraw" in withdrawn and "will@mail.example" not in withdrawn  # not even as the actor
    assert "Cora Contact &lt;cora@mail.example&gt;" in after
    assert candidate.email in page(admin_client, url)
    assert "will@mail.example" in page(admin_client, withdrawn_url)


def test_the_csv_export_has_the_email_only_of_candidates_who_applied(
    acme, job, recruiter, recruiter_client, admin_client, candidate
):
    found = sourced(candidate, job, recruiter)
    applicant = make_candidate(name="Abe Applicant", email="abe@mail.example")
    application = services.application_apply(candidate=applicant, job=job)

    def emails(client):
        rows = list(
            csv.reader(io.StringIO(action(client, "export_csv", [found, application]).content.decode()))
        )
        return {row[0]: row[1] for row in rows[1:]}

    before = emails(recruiter_client)
    applied(candidate, acme)

    assert before == {"Cora Contact": "", "Abe Applicant": "abe@mail.example"}
    assert emails(recruiter_client)["Cora Contact"] == "cora@mail.example"
    assert emails(admin_client) == {
        "Cora Contact": "cora@mail.example",
        "Abe Applicant": "abe@mail.example",
    }


# --- Accounts: list, search, page, autocomplete --------------------------------------------------


def test_the_account_list_shows_the_email_only_once_the_candidate_applied(
    acme, recruiter_client, admin_client, candidate
):
    before = page(recruiter_client, "/admin/accounts/useraccount/")
    by_email = page(recruiter_client, "/admin/accounts/useraccount/?q=cora@mail")
    applied(candidate, acme)
    after = page(recruiter_client, "/admin/accounts/useraccount/")

    assert "Cora Contact" in before and candidate.email not in before
    assert "Cora Contact" not in by_email
    assert candidate.email in after
    assert "Cora Contact" in page(admin_client, "/admin/accounts/useraccount/?q=cora@mail")


def test_the_account_page_shows_email_and_phone_only_once_the_candidate_applied(
    acme, recruiter_client, admin_client, candidate
):
    url = f"/admin/accounts/useraccount/{candidate.pk}/change/"

    before = page(recruiter_client, url)
    applied(candidate, acme)
    after = page(recruiter_client, url)

    assert "Cora Contact" in before and "Python" in before
    assert candidate.email not in before and PHONE not in before
    assert candidate.email in after and PHONE in after
    assert recruiter_client.get(f"/admin/accounts/useraccount/{candidate.pk}/history/").status_code == 403
    everything = page(admin_client, url)
    assert candidate.email in everything and PHONE in everything


def test_a_candidate_who_is_not_searchable_reaches_a_recruiter_only_by_applying(
    acme, job, recruiter_client, admin_client, candidate
):
    candidate.searchable = False
    candidate.save(update_fields=["searchable"])
    urls = [
        "/admin/accounts/useraccount/",
        "/admin/profiles/profile/",
        "/admin/profiles/userskill/",
    ]

    hidden = [page(recruiter_client, url) for url in urls]
    account_page = recruiter_client.get(f"/admin/accounts/useraccount/{candidate.pk}/change/")
    services.application_apply(candidate=candidate, job=job)
    shown = [page(recruiter_client, url) for url in urls]

    assert not any("Cora Contact" in listing for listing in hidden)
    assert account_page.status_code == 302  # the admin's "does not exist" redirect
    assert all("Cora Contact" in listing for listing in shown)
    assert candidate.email in shown[0] and PHONE in shown[1]
    assert "Cora Contact" in page(recruiter_client, f"/admin/accounts/useraccount/{candidate.pk}/change/")
    assert all(candidate.email in page(admin_client, url) for url in urls)


def test_the_account_autocomplete_gives_recruiters_no_emails(recruiter_client, admin_client, candidate):
    url = "/admin/autocomplete/?app_label=profiles&model_name=profile&field_name=user&term=cora"

    refused = recruiter_client.get(url)

    assert refused.status_code in (403, 404) and candidate.email not in refused.content.decode()
    assert candidate.email in page(admin_client, url)


# --- Profile sections and assessment answers -----------------------------------------------------


def test_the_profile_list_and_page_show_the_phone_only_once_the_candidate_applied(
    acme, recruiter_client, admin_client, candidate
):
    profile = candidate.profiles.get()
    url = f"/admin/profiles/profile/{profile.pk}/change/"

    listing, row_page = page(recruiter_client, "/admin/profiles/profile/"), page(recruiter_client, url)
    by_phone = page(recruiter_client, "/admin/profiles/profile/?q=7654321")
    applied(candidate, acme)
    listing_after, row_page_after = (
        page(recruiter_client, "/admin/profiles/profile/"),
        page(recruiter_client, url),
    )

    for before in (listing, row_page):
        assert "Cora Contact" in before and PHONE not in before and candidate.email not in before
    assert "Cora" not in by_phone
    assert PHONE in listing_after and PHONE in row_page_after
    assert candidate.email not in listing_after  # the account column is the name
    assert "Cora" in page(admin_client, "/admin/profiles/profile/?q=7654321")
    assert candidate.email in page(admin_client, "/admin/profiles/profile/")


def model_of(url):
    app_label, model_name = url.strip("/").split("/")[1:3]
    return apps.get_model(app_label, model_name)


@pytest.mark.parametrize(
    "url", ["/admin/profiles/experience/", "/admin/profiles/userskill/", "/admin/assessments/useranswer/"]
)
def test_section_lists_name_the_candidate_and_search_no_email(recruiter_client, admin_client, candidate, url):
    ExperienceFactory(user=candidate)
    question = QuestionFactory()
    UserAnswer.objects.create(user=candidate, question=question, answer=AnswerFactory(question=question))

    listing = page(recruiter_client, url)
    row = page(recruiter_client, f"{url}{model_of(url).objects.get(user=candidate).pk}/change/")

    assert "Cora Contact" in listing and candidate.email not in listing
    assert "Cora Contact" in row and candidate.email not in row
    assert "Cora Contact" not in page(recruiter_client, f"{url}?q=cora@mail")
    assert candidate.email in page(admin_client, f"{url}?q=cora@mail")


def test_answers_of_a_candidate_who_is_not_searchable_are_hidden_from_recruiters(recruiter_client):
    hidden = CandidateFactory(name="Hana Hidden", searchable=False)
    question = QuestionFactory()
    UserAnswer.objects.create(user=hidden, question=question, answer=AnswerFactory(question=question))

    assert "Hana Hidden" not in page(recruiter_client, "/admin/assessments/useranswer/")


def test_another_companys_applicant_keeps_their_email_from_this_recruiter(recruiter_client, candidate):
    ApplicationFactory(candidate=candidate)  # applied to another company's job

    for url in ("/admin/accounts/useraccount/", f"/admin/accounts/useraccount/{candidate.pk}/change/"):
        assert candidate.email not in page(recruiter_client, url)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/admin/accounts/useraccount/?email__startswith=cora", "Cora Contact"),
        ("/admin/profiles/profile/?phone__contains=7654321", "Cora"),
    ],
)
def test_recruiters_cannot_filter_by_email_or_phone(
    acme, job, recruiter, recruiter_client, admin_client, candidate, url, shown
):
    sourced(candidate, job, recruiter)

    assert recruiter_client.get(url).status_code == 400
    assert shown in page(admin_client, url)


def test_ranked_candidates_on_the_job_page_carry_no_email(acme, job, recruiter_client, candidate):
    applied(candidate, acme)  # even a candidate who shares contact is ranked by name only

    for url in (f"/admin/jobs/job/{job.pk}/change/", f"/admin/jobs/job/{job.pk}/candidates/"):
        ranked = page(recruiter_client, url)
        assert "Cora Contact" in ranked and candidate.email not in ranked
