"""The access ledger and the daily cap it carries (accounts/access.py, docs/access-ledger.md)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from accounts import access
from accounts.models import CandidateAccess, CandidateReadCount, UserAccount
from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

ONE_CANDIDATE_READS = [
    ("/user/list/{id}", "account"),
    ("/user/profile/{id}/user", "profile"),
    ("/user/experience/{id}/user", "experience"),
    ("/user/availability/{id}/user", "availability"),
    ("/user/role/{id}/user", "role"),
    ("/user/education/{id}/user", "education"),
    ("/user/user_skills/list/{id}", "skills"),
    ("/question/result/{id}", "assessment"),
]


@pytest.fixture
def limit_of_two(settings):
    settings.CANDIDATE_READS_PER_DAY = 2


def recruiter_for(company, **extra):
    return CompanyFactory(is_staff=True, recruiter_for=company, **extra)


@pytest.mark.parametrize(("path", "route"), ONE_CANDIDATE_READS)
def test_a_companys_read_of_one_candidate_is_one_ledger_row(path, route):
    company, candidate = CompanyFactory(), CandidateFactory()

    answer = client_for(company).get(path.format(id=candidate.pk), REMOTE_ADDR="203.0.113.7")

    assert answer.status_code == 200
    row = CandidateAccess.objects.get()
    assert (row.company, row.actor, row.candidate, row.route) == (company, company, candidate, route)
    assert row.kind == CandidateAccess.Kind.PUBLIC  # /user/ reads never carry the email or phone
    assert row.ip == "203.0.113.7"
    assert row.day == row.created_at.astimezone(UTC).date()


def test_a_recruiters_read_counts_against_its_company_and_names_the_recruiter():
    company, candidate = CompanyFactory(), CandidateFactory()
    recruiter = recruiter_for(company)

    assert client_for(recruiter).get(f"/user/list/{candidate.pk}").status_code == 200

    row = CandidateAccess.objects.get()
    assert (row.company, row.actor) == (company, recruiter)
    assert CandidateReadCount.objects.get().company == company


def test_the_cap_is_one_allowance_for_the_company_and_all_its_recruiters(limit_of_two):
    company = CompanyFactory()
    first, second, third = CandidateFactory(), CandidateFactory(), CandidateFactory()
    rita, sam = client_for(recruiter_for(company)), client_for(recruiter_for(company))

    assert client_for(company).get(f"/user/list/{first.pk}").status_code == 200
    assert rita.get(f"/user/profile/{second.pk}/user").status_code == 200
    refused = sam.get(f"/user/list/{third.pk}")

    assert refused.status_code == 429
    assert sam.get(f"/question/result/{first.pk}").status_code == 200  # read by the company today
    assert CandidateReadCount.objects.get(company=company).candidates == 2


def test_unknown_and_unreadable_candidates_use_no_allowance(limit_of_two):
    company = client_for(CompanyFactory())
    hidden, other_company = CandidateFactory(searchable=False), CompanyFactory()
    first, second = CandidateFactory(), CandidateFactory()

    for missing in (10**12, hidden.pk, other_company.pk):
        assert company.get(f"/user/list/{missing}").status_code == 404
        assert company.get(f"/question/result/{missing}").status_code == 404
        assert company.get(f"/user/profile/{missing}/user").json() == []

    assert company.get(f"/user/list/{first.pk}").status_code == 200
    assert company.get(f"/user/list/{second.pk}").status_code == 200
    assert CandidateAccess.objects.count() == 2


def test_a_refused_read_is_not_recorded_and_says_when_to_come_back(limit_of_two, monkeypatch):
    noon = datetime(2031, 5, 6, 23, 59, 30, 250000, tzinfo=UTC)
    monkeypatch.setattr(access, "_now", lambda: noon)
    company = client_for(CompanyFactory())
    candidates = [CandidateFactory() for _ in range(3)]
    for candidate in candidates[:2]:
        company.get(f"/user/list/{candidate.pk}")

    refused = company.get(f"/user/list/{candidates[2].pk}")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # 29.75 s to midnight, rounded up
    assert not CandidateAccess.objects.filter(candidate=candidates[2]).exists()
    assert CandidateReadCount.objects.get().refused_at == noon
    monkeypatch.setattr(access, "_now", lambda: noon + timedelta(seconds=30))
    assert company.get(f"/user/list/{candidates[2].pk}").status_code == 200


def test_staff_and_the_candidate_themself_are_neither_recorded_nor_capped(limit_of_two):
    candidates = [CandidateFactory() for _ in range(3)]
    staff = client_for(StaffFactory())

    assert all(staff.get(f"/user/list/{c.pk}").status_code == 200 for c in candidates)
    assert client_for(candidates[0]).get(f"/user/profile/{candidates[0].pk}/user").status_code == 200
    assert not CandidateAccess.objects.exists()


@pytest.mark.parametrize(
    ("num_proxies", "forwarded", "recorded"),
    [
        (0, "198.51.100.9", "192.0.2.1"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "not-an-address", None),
    ],
)
def test_the_address_is_the_one_the_throttles_see(settings, num_proxies, forwarded, recorded):
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    candidate = CandidateFactory()

    client_for(CompanyFactory()).get(
        f"/user/list/{candidate.pk}", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert CandidateAccess.objects.get().ip == recorded


# --- The candidate's view: GET /auth/users/me/access ------------------------------------------------


def read(company, candidate, *, at, kind="public", route="profile"):
    return CandidateAccess.objects.create(
        company=company,
        actor=company,
        candidate=candidate,
        kind=kind,
        route=route,
        day=at.date(),
        created_at=at,
    )


def test_a_candidate_sees_who_read_them_per_company_and_day_newest_first(candidate, candidate_client):
    acme, globex = CompanyFactory(name="Acme"), CompanyFactory(name="Globex")
    monday = datetime(2031, 5, 5, 9, 0, tzinfo=UTC)
    read(acme, candidate, at=monday)
    read(acme, candidate, at=monday + timedelta(hours=2), kind="contact", route="applicant")
    read(globex, candidate, at=monday + timedelta(hours=1))
    read(acme, candidate, at=monday + timedelta(days=1))
    read(acme, CandidateFactory(), at=monday)  # someone else's

    body = candidate_client.get("/auth/users/me/access").json()

    assert body["count"] == 3
    assert [(row["company"]["name"], row["day"], row["kinds"], row["reads"]) for row in body["results"]] == [
        ("Acme", "2031-05-06", ["public"], 1),
        ("Acme", "2031-05-05", ["public", "contact"], 2),
        ("Globex", "2031-05-05", ["public"], 1),
    ]
    monday_acme = body["results"][1]
    assert monday_acme["company"]["id"] == acme.pk
    assert (monday_acme["first_at"], monday_acme["last_at"]) == (
        "2031-05-05T09:00:00Z",
        "2031-05-05T11:00:00Z",
    )
    assert "actor" not in monday_acme and "ip" not in monday_acme


def test_the_candidates_view_is_paged(candidate, candidate_client):
    company = CompanyFactory()
    start = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)
    for day in range(60):
        read(company, candidate, at=start + timedelta(days=day))

    first = candidate_client.get("/auth/users/me/access").json()
    last = candidate_client.get("/auth/users/me/access?limit=25&offset=50").json()

    assert (first["count"], len(first["results"]), first["results"][0]["day"]) == (60, 50, "2031-03-01")
    assert [row["day"] for row in last["results"]] == [
        (date(2031, 1, 10) - timedelta(days=n)).isoformat() for n in range(10)
    ]
    assert candidate_client.get("/auth/users/me/access?limit=abc").status_code == 400


def test_the_candidates_view_shows_a_read_made_through_the_api(candidate, candidate_client):
    ProfileFactory(user=candidate)
    client_for(CompanyFactory(name="Initech")).get(f"/user/profile/{candidate.pk}/user")

    rows = candidate_client.get("/auth/users/me/access").json()["results"]

    assert [(row["company"]["name"], row["kinds"], row["reads"]) for row in rows] == [
        ("Initech", ["public"], 1)
    ]


@pytest.mark.parametrize("caller", ["company", "superuser", None])
def test_only_candidates_read_their_access_view(caller, company):
    superuser = UserAccount.objects.create_superuser("root@example.com", "Correct-Horse-42")
    client = client_for({"company": company, "superuser": superuser, None: None}[caller])

    assert client.get("/auth/users/me/access").status_code == (401 if caller is None else 403)
