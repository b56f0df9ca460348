"""Accounts that cannot be locked out or outlived (issue 12): admin login, Argon2id, token revocation."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from djoser.utils import encode_uid
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import throttling
from accounts.models import UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for
from jobs.tests.factories import JobFactory, JobSkillFactory
from profiles.tests.factories import UserSkillFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Blue-Teapot-Sings-91"
INVALID_LINK = {"token": ["This link is invalid or has expired."]}


def api_login(client, email, password, address="203.0.113.9"):
    return client.post(
        "/auth/jwt/create/", {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def admin_login(client, email, password, address="203.0.113.9"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


# --- the admin login under the API's limits ------------------------------------------------------
def test_the_admin_login_counts_against_the_same_limits_as_the_api(client, api_client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    StaffFactory(email="boss@example.com", is_superuser=True)

    for _ in range(3):
        assert admin_login(client, "boss@example.com", "wrong").status_code == 200  # the form again
    for _ in range(2):
        assert api_login(api_client, "boss@example.com", "wrong").status_code == 401
    refused = admin_login(client, "boss@example.com", PASSWORD)

    assert refused.status_code == 200
    assert "Too many failed logins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert api_login(api_client, "boss@example.com", PASSWORD).status_code == 429


def test_the_admin_login_still_works_from_an_address_without_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    StaffFactory(email="boss@example.com", is_superuser=True)
    for _ in range(3):
        admin_login(client, "boss@example.com", "wrong", address="192.0.2.50")

    response = admin_login(client, "boss@example.com", PASSWORD, address="198.51.100.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_throttle_interface_other_sign_in_paths_reuse(settings):
    """accounts/throttling.py: guard, failed, succeeded; what social sign-in (issue 13) will call."""
    settings.LOGIN_FAILURE_LIMIT = 2

    throttling.login_guard("ann@example.com", "192.0.2.1")
    throttling.login_failed("ann@example.com", "192.0.2.1")
    throttling.login_failed("ANN@example.com", "192.0.2.1")
    with pytest.raises(throttling.LoginThrottled) as raised:
        throttling.login_guard("ann@example.com", "192.0.2.1")
    throttling.login_guard("ann@example.com", "192.0.2.2")

    assert raised.value.retry_after > 0
    assert raised.value.detail


# --- Argon2id ------------------------------------------------------------------------------------
@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = [
        "accounts.hashers.ProjectArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_new_passwords_are_hashed_with_argon2id(api_client, production_hashers):
    body = {"name": "Ann", "email": "ann@example.com", "type": "user", "password": PASSWORD}
    api_client.post("/auth/users/", {**body, "re_password": PASSWORD}, format="json")

    stored = UserAccount.objects.get(email="ann@example.com").password

    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_pbkdf2_hash_is_upgraded_at_the_next_login(api_client, production_hashers):
    user = CandidateFactory(email="old@example.com")
    UserAccount.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    assert api_login(api_client, "old@example.com", PASSWORD).status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert api_login(api_client, "old@example.com", PASSWORD).status_code == 200


# --- tokens die with the password ------------------------------------------------------------------
def tokens_for(api_client, email):
    body = api_login(api_client, email, PASSWORD).json()
    return body["access"], body["refresh"]


def me(access):
    return client_for().get("/auth/users/me/", HTTP_AUTHORIZATION=f"JWT {access}")


def refresh(api_client, token):
    return api_client.post("/auth/jwt/refresh/", {"refresh": token}, format="json")


def test_a_password_change_ends_every_earlier_session(api_client):
    CandidateFactory(email="ann@example.com")
    access, refresh_token = tokens_for(api_client, "ann@example.com")
    other_access, other_refresh = tokens_for(api_client, "ann@example.com")  # another device
    assert me(access).status_code == 200

    changed = client_for().post(
        "/auth/users/set_password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "re_new_password": NEW_PASSWORD},
        format="json",
        HTTP_AUTHORIZATION=f"JWT {access}",
    )

    assert changed.status_code == 204
    assert [me(token).status_code for token in (access, other_access)] == [401, 401]
    assert [refresh(api_client, token).status_code for token in (refresh_token, other_refresh)] == [401, 401]
    new_access = api_login(api_client, "ann@example.com", NEW_PASSWORD).json()["access"]
    assert me(new_access).status_code == 200


@pytest.mark.parametrize(
    "form",
    [
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        {"usable_password": "false", "unset-password": ""},
    ],
    ids=["new-password", "password-disabled"],
)
def test_a_password_change_in_the_admin_ends_every_earlier_session(api_client, admin_client, form):
    ann = CandidateFactory(email="ann@example.com")
    access, refresh_token = tokens_for(api_client, "ann@example.com")
    assert me(access).status_code == 200

    changed = admin_client.post(f"/admin/accounts/useraccount/{ann.pk}/password/", form)

    assert changed.status_code == 302
    assert me(access).status_code == 401
    assert refresh(api_client, refresh_token).status_code == 401
    ann.refresh_from_db()
    assert ann.has_usable_password() == (form["usable_password"] == "true")
    if ann.has_usable_password():
        assert me(api_login(api_client, "ann@example.com", NEW_PASSWORD).json()["access"]).status_code == 200


def test_a_password_reset_ends_every_earlier_session(api_client):
    from django.contrib.auth.tokens import default_token_generator

    user = CandidateFactory(email="ann@example.com")
    access, refresh_token = tokens_for(api_client, "ann@example.com")
    user.refresh_from_db()  # the sign-in recorded last_login, which reset links are made from

    reset = api_client.post(
        "/auth/users/reset_password_confirm/",
        {
            "uid": encode_uid(user.pk),
            "token": default_token_generator.make_token(user),
            "new_password": NEW_PASSWORD,
            "re_new_password": NEW_PASSWORD,
        },
        format="json",
    )

    assert reset.status_code == 204
    assert me(access).status_code == 401
    assert refresh(api_client, refresh_token).status_code == 401
    assert api_login(api_client, "ann@example.com", NEW_PASSWORD).status_code == 200


def test_a_deleted_users_refresh_token_is_a_401_not_a_500(api_client):
    user = CandidateFactory(email="ann@example.com")
    _, refresh_token = tokens_for(api_client, "ann@example.com")
    user.delete()

    response = refresh(api_client, refresh_token)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def verify(api_client, token):
    return api_client.post("/auth/jwt/verify/", {"token": str(token)}, format="json")


def test_verify_accepts_only_access_tokens_of_existing_active_users(api_client):
    CandidateFactory(email="ann@example.com")
    access, refresh_token = tokens_for(api_client, "ann@example.com")
    gone = CandidateFactory()
    gone_access = RefreshToken.for_user(gone).access_token
    gone.delete()
    inactive = CandidateFactory(is_active=False)

    assert verify(api_client, access).status_code == 200
    assert verify(api_client, refresh_token).status_code == 401
    assert verify(api_client, gone_access).status_code == 401
    assert verify(api_client, RefreshToken.for_user(inactive).access_token).status_code == 401


# --- activation and reset links: one message for any bad pair ----------------------------------------
@pytest.mark.parametrize("path", ["/auth/users/activation/", "/auth/users/reset_password_confirm/"])
def test_an_unknown_uid_and_a_wrong_token_get_the_same_answer(api_client, path, settings):
    user = CandidateFactory(is_active=False)
    body = {"token": "5x2-bad", "new_password": NEW_PASSWORD, "re_new_password": NEW_PASSWORD}

    known = api_client.post(path, {**body, "uid": encode_uid(user.pk)}, format="json")
    unknown = api_client.post(path, {**body, "uid": encode_uid(987654)}, format="json")
    garbage = api_client.post(path, {**body, "uid": "!!"}, format="json")

    assert [known.status_code, unknown.status_code, garbage.status_code] == [400, 400, 400]
    assert known.json() == unknown.json() == garbage.json() == INVALID_LINK


# --- createsuperuser as README shows; staff never candidates -------------------------------------------
def test_createsuperuser_noinput_works_as_the_readme_shows(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-Long-admin-pass-77")
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "Site Admin")

    call_command("createsuperuser", "--noinput", verbosity=0)

    admin = UserAccount.objects.get(email="admin@example.com")
    assert (admin.is_superuser, admin.is_staff, admin.type, admin.name) == (
        True,
        True,
        "company",
        "Site Admin",
    )
    assert admin.check_password("a-Long-admin-pass-77")


@pytest.mark.parametrize(
    "staff_account",
    [
        lambda: StaffFactory(type="user"),
        lambda: CandidateFactory(is_superuser=True),
        lambda: UserAccount.objects.create_superuser("root@example.com", "x-Pass-1234", type="user"),
    ],
    ids=["staff", "superuser-flag", "create_superuser-as-user"],
)
def test_staff_and_superusers_are_never_listed_as_candidates(staff_account):
    company = CompanyFactory()
    listed = CandidateFactory()
    staff = staff_account()
    job = JobFactory(user=company)
    JobSkillFactory(job=job, name="Python", rating=5)
    for user in (listed, staff):
        UserSkillFactory(user=user, name="Python", rating=9)
    client = client_for(company)

    assert [row["id"] for row in client.get("/user/list").json()] == [listed.pk]
    assert client.get(f"/user/list/{staff.pk}").status_code == 404
    assert {row["user"] for row in client.get("/user/user_skills/list").json()} == {listed.pk}
    ranked = client.post("/user/recommend/list", {"job": job.pk}, format="json").json()
    assert [row["id"] for row in ranked] == [listed.pk]
