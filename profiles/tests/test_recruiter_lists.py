"""The recruiter lists the SPA reads whole: GET /user/list and GET /user/user_skills/list.

Their fast path (values_list rows rendered with orjson in chunks) must give DRF's serializer output
byte for byte; they carry a weak ETag from the candidate data version, which every write path
changes, and answer a matching If-None-Match with an empty 304.
"""

import csv
import gzip
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from accounts.models import UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory, CompanyFactory, StaffFactory
from helpers import renderers
from helpers.testing import client_for
from profiles.models import CANDIDATE_DATA_TABLES, Profile, UserSkill
from profiles.serializers import PublicCandidateSerializer, UserSkillSerializer
from profiles.tests.factories import (
    AvailabilityFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["/user/list", "/user/user_skills/list"]

# Text a client must get back exactly as DRF writes it: unicode, escapes, JavaScript line separators,
# the empty string, the longest allowed.
AWKWARD_TEXT = [
    "",
    "Zoë Ångström",
    "محمد علی",
    "李小龙",
    "emoji 🚀👩🏽‍💻",
    'quote " and back\\slash',
    "line\nbreak\ttab\rreturn",
    "control \x01\x1f and DEL \x7f",
    "js separators \u2028 and \u2029",
    "</script><b>html</b>",
    "x" * 100,
]


def varied_candidates(count):
    """`count` candidates, some inactive, plus a company: names, emails and skills drawn from AWKWARD_TEXT."""
    texts = itertools.cycle(AWKWARD_TEXT)
    for i in range(count):
        user = CandidateFactory(name=next(texts), email=f"c{i}.{'ü' if i % 3 else ''}@example.com")
        if i % 17 == 0:
            UserAccount.objects.filter(pk=user.pk).update(is_active=False)
        UserSkill.objects.bulk_create(
            UserSkill(user=user, name=f"{next(texts)[:90]} {n}", rating=1 + (i + n) % 10)
            for n in range(i % 4)
        )
    CompanyFactory(name="Not a candidate")


def drf_output(serializer_class, queryset):
    """What DRF itself answers: the per-instance serializer and its JSON renderer."""
    return JSONRenderer().render(serializers.ListSerializer(queryset, child=serializer_class()).data)


@pytest.mark.parametrize("chunk_rows", [7, renderers.CHUNK_ROWS])
def test_both_lists_are_byte_for_byte_what_the_serializer_renders(monkeypatch, company_client, chunk_rows):
    monkeypatch.setattr(renderers, "CHUNK_ROWS", chunk_rows)
    varied_candidates(300)
    listed = UserAccount.objects.filter(type="user", is_active=True)

    people = company_client.get("/user/list")
    skills = company_client.get("/user/user_skills/list")

    assert people.status_code == skills.status_code == 200
    assert people.content == drf_output(PublicCandidateSerializer, listed.order_by("id"))
    expected_skills = drf_output(
        UserSkillSerializer, UserSkill.objects.filter(user__in=listed).order_by("user", "id")
    )
    assert skills.content == expected_skills
    assert len(people.json()) == 300 - 18
    assert len(skills.json()) > 300
    assert b"\\u2028" in people.content and "\u2028".encode() not in people.content


@pytest.mark.parametrize("path", LISTS)
def test_empty_lists_are_empty_arrays(company_client, path):
    assert company_client.get(path).content == b"[]"


@pytest.mark.parametrize("path", LISTS)
def test_a_repeated_read_with_the_tag_is_an_empty_304(company_client, path):
    CandidateFactory()
    first = company_client.get(path)

    again = company_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == again["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", LISTS)
def test_another_company_and_staff_share_the_tag_of_an_answer_that_does_not_depend_on_them(
    company_client, path
):
    CandidateFactory()
    other_company, staff = client_for(CompanyFactory()), client_for(StaffFactory())
    tag = company_client.get(path)["ETag"]

    assert other_company.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert staff.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304


@pytest.mark.parametrize("path", LISTS)
def test_a_caller_who_may_not_read_the_list_gets_no_304(company_client, api_client, path):
    candidate = client_for(CandidateFactory())
    tag = company_client.get(path)["ETag"]

    assert candidate.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 403
    assert api_client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 401


def test_each_search_has_its_own_tag(company_client):
    ProfileFactory(user=CandidateFactory(), first_name="Ada")
    everyone = company_client.get("/user/list")
    adas = company_client.get("/user/list?search=Ada")
    page = company_client.get("/user/list?limit=1")

    assert len({everyone["ETag"], adas["ETag"], page["ETag"]}) == 3
    assert company_client.get("/user/list?search=Bob", HTTP_IF_NONE_MATCH=adas["ETag"]).status_code == 200


# --- every write path changes the tag ------------------------------------------------------------


def api_write(method, path, body=None):
    def write(candidate, skill, tmp_path):
        response = getattr(client_for(candidate), method)(path.format(skill=skill.pk), body, format="json")
        assert response.status_code < 300, response.content

    return write


def admin_post(url_name, args, data):
    """A superuser posts an admin form; the admin answers a saved form with a redirect."""

    def write(candidate, skill, tmp_path):
        client = client_for()
        client.force_login(StaffFactory(is_superuser=True))
        ids = {"candidate": candidate.pk, "skill": skill.pk}
        response = client.post(
            reverse(url_name, args=[ids[arg] for arg in args]), {**data, "user": candidate.pk}
        )
        assert response.status_code == 302, response.content[:2000]

    return write


def insert_dev(*args):
    def write(candidate, skill, tmp_path):
        call_command("insert_dev", *args, stdout=StringIO(), stderr=StringIO())

    return write


def insert_dev_sheet(candidate, skill, tmp_path):
    path = tmp_path / "developers.csv"
    header = [
        "First Name", "Last Name", "Years of Experience", "Level of English", "Availability",
        "Tech Stack", "Tech Stack Score",
    ]  # fmt: skip
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, ["Sara", "Khan", "5", "Great", "Full-Time", "Go", "Go - 9"]])
    insert_dev("--file", str(path))(candidate, skill, tmp_path)


def deactivate_with_save(candidate, skill, tmp_path):
    candidate.is_active = False
    candidate.save(update_fields=["is_active"])


def deactivate_in_bulk(candidate, skill, tmp_path):
    UserAccount.objects.filter(type="user").update(is_active=False)


def remove_account(candidate, skill, tmp_path):
    candidate.delete()


def delete_every_skill_in_bulk(candidate, skill, tmp_path):
    UserSkill.objects.all().delete()


def edit_every_profile_in_bulk(candidate, skill, tmp_path):
    Profile.objects.update(bio="Rewritten in bulk.")


def raw_sql_rating(candidate, skill, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE profiles_userskill SET rating = 1 WHERE id = %s", [skill.pk])


def profile_edit(candidate, skill, tmp_path):
    profile = Profile.objects.get(user=candidate)
    api_write("patch", f"/user/profile/{profile.pk}", {"bio": "New bio"})(candidate, skill, tmp_path)


WRITES = {
    "API: add a skill": api_write("post", "/user/user_skills", {"name": "Rust", "rating": 7}),
    "API: edit a skill": api_write("patch", "/user/user_skills/{skill}", {"rating": 2}),
    "API: delete a skill": api_write("delete", "/user/user_skills/{skill}"),
    "API: edit the profile": profile_edit,
    "API: remove the account": api_write("delete", "/auth/users/me/", {"current_password": PASSWORD}),
    "admin: add a skill": admin_post("admin:profiles_userskill_add", [], {"name": "Go", "rating": 3}),
    "admin: edit a skill": admin_post(
        "admin:profiles_userskill_change", ["skill"], {"name": "Go", "rating": 3}
    ),
    "admin: delete a skill": admin_post("admin:profiles_userskill_delete", ["skill"], {"post": "yes"}),
    "admin: delete the account": admin_post(
        "admin:accounts_useraccount_delete", ["candidate"], {"post": "yes"}
    ),
    "model: deactivate (save with update_fields)": deactivate_with_save,
    "model: remove the account (cascade)": remove_account,
    "bulk: deactivate every candidate": deactivate_in_bulk,
    "bulk: delete every skill": delete_every_skill_in_bulk,
    "bulk: edit every profile": edit_every_profile_in_bulk,
    "raw SQL: change a rating": raw_sql_rating,
    "insert_dev: demo data": insert_dev(),
    "insert_dev: synthetic developers (bulk INSERTs)": insert_dev("--synthetic", "3", "--seed", "7"),
    "insert_dev: a sheet": insert_dev_sheet,
}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_path_changes_the_tag(company_client, tmp_path, path, write):
    candidate = CandidateFactory()
    ProfileFactory(user=candidate)
    skill = UserSkillFactory(user=candidate, name="Python", rating=8)
    before = company_client.get(path)

    write(candidate, skill, tmp_path)

    after = company_client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize(
    "write",
    [
        lambda user: ExperienceFactory(user=user),
        lambda user: AvailabilityFactory(user=user),
        lambda user: RoleSalaryFactory(user=user),
        lambda user: ProfileFactory(user=user),
    ],
    ids=["experience", "availability", "role", "profile"],
)
def test_the_sections_the_search_filters_on_change_the_tag(company_client, write):
    candidate = CandidateFactory()
    before = company_client.get("/user/list")["ETag"]
    write(candidate)
    assert company_client.get("/user/list")["ETag"] != before


def test_a_write_that_rolls_back_leaves_the_tag(company_client, candidate):
    before = company_client.get("/user/user_skills/list")["ETag"]
    with pytest.raises(IntegrityError), transaction.atomic():
        UserSkillFactory(user=candidate, name="Go")
        UserSkillFactory(user=candidate, name="Rust", rating=11)
    assert company_client.get("/user/user_skills/list", HTTP_IF_NONE_MATCH=before).status_code == 304


def test_an_education_or_a_company_write_keeps_the_tag(company_client, candidate):
    """The lists do not read education or company profiles, so those writes leave the browser's copy valid."""
    before = company_client.get("/user/list")["ETag"]
    EducationFactory(user=candidate)
    assert company_client.get("/user/list", HTTP_IF_NONE_MATCH=before).status_code == 304


TRIGGER_NAMES = "%candidate_data_version%"


def test_every_candidate_table_has_its_version_triggers():
    """A migration that rebuilds a table on SQLite drops its triggers; this names the table that lost them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER_NAMES]
            )
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
                [TRIGGER_NAMES],
            )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == set(CANDIDATE_DATA_TABLES)


@pytest.mark.parametrize("path", LISTS)
def test_a_client_that_accepts_gzip_gets_the_same_answer_compressed_under_the_same_tag(company_client, path):
    varied_candidates(40)
    plain = company_client.get(path)

    zipped = company_client.get(path, HTTP_ACCEPT_ENCODING="gzip")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content)
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == plain["ETag"]
    again = company_client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert again.status_code == 304
