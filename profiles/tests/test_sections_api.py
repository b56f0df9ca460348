"""Owner CRUD on every section: /user/<section> and /user/<section>/<id> (api-contract 2.1, 2.2, 2.7.4, 5)."""

import pytest

from helpers.testing import client_for
from profiles.tests.cases import ONE_PER_USER, SECTIONS
from profiles.tests.factories import EducationFactory

pytestmark = pytest.mark.django_db

by_path = pytest.mark.parametrize("section", SECTIONS, ids=str)


def stored(row, section):
    """The row as the API shows it, for the keys a test sent."""
    return {key: section.model.objects.values(key).get(pk=row.pk)[key] for key in section.update_body}


@by_path
def test_list_is_an_empty_array_before_anything_is_added(section):
    response = client_for(section.owner_factory()).get(f"/user/{section.path}")
    assert response.status_code == 200
    assert response.json() == []


@by_path
def test_owner_creates_a_row_and_the_response_is_the_full_object(section):
    owner = section.owner_factory()
    response = client_for(owner).post(f"/user/{section.path}", section.create_body, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {"id": body["id"], "user": owner.pk, **section.created}
    assert client_for(owner).get(f"/user/{section.path}").json() == [body]


@by_path
def test_owner_reads_their_row_by_id(section):
    row = section.factory()
    response = client_for(row.user).get(f"/user/{section.path}/{row.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == row.pk
    assert response.json()["user"] == row.user_id


@by_path
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial_and_keys_left_out_keep_their_values(section, method):
    row = section.factory()
    before = client_for(row.user).get(f"/user/{section.path}/{row.pk}").json()

    response = getattr(client_for(row.user), method)(
        f"/user/{section.path}/{row.pk}", {"user": row.user_id, **section.update_body}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {**before, **section.update_body}
    assert client_for(row.user).get(f"/user/{section.path}/{row.pk}").json() == {
        **before,
        **section.update_body,
    }


@by_path
def test_owner_deletes_their_row(section):
    row = section.factory()
    response = client_for(row.user).delete(f"/user/{section.path}/{row.pk}")
    assert response.status_code == 204
    assert not section.model.objects.filter(pk=row.pk).exists()


@by_path
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_owners_row_is_not_found_and_left_untouched(section, method):
    row = section.factory()
    before = stored(row, section)
    intruder = section.owner_factory()

    response = getattr(client_for(intruder), method)(
        f"/user/{section.path}/{row.pk}", section.update_body, format="json"
    )

    assert response.status_code == 404
    assert stored(row, section) == before


@by_path
def test_unknown_id_is_not_found(section):
    response = client_for(section.owner_factory()).get(f"/user/{section.path}/999999")
    assert response.status_code == 404


@by_path
@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("post", ""), ("get", "/{id}"), ("put", "/{id}"), ("patch", "/{id}"), ("delete", "/{id}")],
)
def test_the_other_account_type_is_forbidden(section, method, suffix):
    """Candidate sections are for developers, the company profile for companies: 403, GETs included."""
    row = section.factory()
    response = getattr(client_for(section.other_factory()), method)(
        f"/user/{section.path}" + suffix.format(id=row.pk), section.create_body, format="json"
    )
    assert response.status_code == 403
    assert section.model.objects.count() == 1


@by_path
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", ""), ("get", "/1"), ("put", "/1")])
def test_anonymous_callers_are_unauthorised(api_client, section, method, suffix):
    response = getattr(api_client, method)(f"/user/{section.path}{suffix}", {}, format="json")
    assert response.status_code == 401


@by_path
def test_user_in_the_body_is_ignored_on_create(section):
    owner, victim = section.owner_factory(), section.owner_factory()
    response = client_for(owner).post(
        f"/user/{section.path}", {**section.create_body, "user": victim.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["user"] == owner.pk
    assert section.model.objects.get().user == owner


@by_path
def test_user_in_the_body_cannot_move_a_row_to_another_owner(section):
    row = section.factory()
    victim = section.owner_factory()
    response = client_for(row.user).put(f"/user/{section.path}/{row.pk}", {"user": victim.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["user"] == row.user_id
    assert section.model.objects.get(pk=row.pk).user_id == row.user_id


@by_path
def test_user_is_not_required(section):
    response = client_for(section.owner_factory()).post(
        f"/user/{section.path}", section.create_body, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("section", ONE_PER_USER, ids=str)
def test_a_second_row_of_a_one_per_user_section_is_refused_naming_the_first(section):
    row = section.factory()
    response = client_for(row.user).post(f"/user/{section.path}", section.create_body, format="json")

    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "already" in message
    assert f"id {row.pk}" in message
    assert section.model.objects.filter(user=row.user).count() == 1


def test_a_candidate_keeps_several_education_rows(candidate_client, candidate):
    """Education is a list, newest first; a blank end date (still studying) is stored as null."""
    for degree, start in [("BSc", "2015-09-01"), ("MSc", "2020-09-01")]:
        body = {"degree": degree, "college": "FAST", "start_date": start, "end_date": ""}
        assert candidate_client.post("/user/education", body, format="json").status_code == 201
    rows = candidate_client.get("/user/education").json()
    assert [(row["degree"], row["end_date"]) for row in rows] == [("MSc", None), ("BSc", None)]


@by_path
def test_paths_answer_with_and_without_a_trailing_slash_and_never_redirect(section):
    row = section.factory()
    client = client_for(row.user)
    for path in [f"/user/{section.path}", f"/user/{section.path}/", f"/user/{section.path}/{row.pk}/"]:
        assert client.get(path).status_code == 200


def test_owner_lists_only_their_own_rows(candidate_client, candidate):
    mine = EducationFactory(user=candidate)
    EducationFactory()
    assert [row["id"] for row in candidate_client.get("/user/education").json()] == [mine.pk]
