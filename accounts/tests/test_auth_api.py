"""Sign-up, login, tokens and users/me as the SPA and API clients use them (api-contract 1.4, 1.5, 3.2)."""

import datetime

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from accounts.tests.factories import PASSWORD, CandidateFactory, CompanyFactory
from helpers.testing import client_for

pytestmark = pytest.mark.django_db

SPA_JSON = "application/json;charset=UTF-8"
FORBIDDEN_KEYS = {"password", "is_superuser", "is_staff", "groups", "user_permissions"}


def register(api_client, **overrides):
    body = {
        "name": "Ann Lee",
        "email": "ann@example.com",
        "type": "user",
        "password": "Blue-Kettle-93",
        "re_password": "Blue-Kettle-93",
    } | overrides
    return api_client.post("/auth/users/", body, format="json")


def login(api_client, email, password=PASSWORD):
    return api_client.post("/auth/jwt/create/", {"email": email, "password": password}, format="json")


def test_register_creates_an_active_account_and_returns_its_public_fields(api_client):
    response = register(api_client, type="company", email="Hire@Acme.Example")

    assert response.status_code == 201
    assert set(response.json()) == {"id", "name", "email", "type"}
    assert response.json()["email"] == "hire@acme.example"
    account = UserAccount.objects.get(pk=response.json()["id"])
    assert account.type == "company" and account.is_active and not account.is_staff
    assert account.check_password("Blue-Kettle-93")


def test_register_accepts_the_spa_content_type_with_charset(api_client):
    response = api_client.post(
        "/auth/users/",
        data=b'{"name":"A","email":"a@example.com","type":"user","password":"Blue-Kettle-93",'
        b'"re_password":"Blue-Kettle-93"}',
        content_type=SPA_JSON,
        HTTP_ACCEPT="application/json",
        HTTP_X_CSRFTOKEN="null",
    )
    assert response.status_code == 201


def test_register_rejects_the_same_email_in_another_case(api_client):
    CandidateFactory(email="ann@example.com")

    response = register(api_client, email="ANN@Example.com")

    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "12345678", "re_password": "12345678"}, "password"),
        ({"password": "ann", "re_password": "ann"}, "password"),
        ({"re_password": "Something-Else-1"}, "non_field_errors"),
        ({"type": "admin"}, "type"),
        ({"type": None}, "type"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "x" * 1_000_000}, "name"),
    ],
)
def test_register_rejects_bad_input_naming_the_field(api_client, overrides, field):
    response = register(api_client, **overrides)

    assert response.status_code == 400
    assert field in response.json()
    assert not UserAccount.objects.exists()


def test_register_requires_a_type(api_client):
    body = {
        "name": "A",
        "email": "a@example.com",
        "password": "Blue-Kettle-93",
        "re_password": "Blue-Kettle-93",
    }
    response = api_client.post("/auth/users/", body, format="json")
    assert response.status_code == 400
    assert "type" in response.json()


def test_register_ignores_permission_flags_in_the_body(api_client):
    response = register(api_client, is_staff=True, is_superuser=True, is_active=False)

    assert response.status_code == 201
    account = UserAccount.objects.get()
    assert not account.is_staff and not account.is_superuser and account.is_active


def test_login_returns_tokens_for_any_case_of_the_email(api_client):
    CandidateFactory(email="ann@example.com")

    response = login(api_client, "Ann@Example.COM")

    assert response.status_code == 200
    assert {"access", "refresh"} <= set(response.json())


def test_login_with_a_wrong_password_is_401_with_detail(api_client):
    CandidateFactory(email="ann@example.com")

    response = login(api_client, "ann@example.com", "wrong-password")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_login_of_an_inactive_account_is_401_with_detail(api_client):
    CandidateFactory(email="ann@example.com", is_active=False)

    response = login(api_client, "ann@example.com")

    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize("scheme", ["JWT", "Bearer"])
def test_users_me_accepts_both_header_schemes(api_client, scheme):
    user = CompanyFactory(name="Acme")
    api_client.credentials(HTTP_AUTHORIZATION=f"{scheme} {AccessToken.for_user(user)}")

    response = api_client.get("/auth/users/me/")

    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "name": "Acme", "email": user.email, "type": "company"}


def test_expired_tampered_and_null_tokens_are_401(api_client):
    user = CandidateFactory()
    expired = AccessToken.for_user(user)
    expired.set_exp(lifetime=-datetime.timedelta(seconds=1))
    good = str(AccessToken.for_user(user))
    tampered = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")

    for header in [f"JWT {expired}", f"JWT {tampered}", "JWT null"]:
        api_client.credentials(HTTP_AUTHORIZATION=header)
        response = api_client.get("/auth/users/me/")
        assert response.status_code == 401, header
        assert response.json()["code"] == "token_not_valid"


def test_users_me_without_a_token_is_401(api_client):
    assert api_client.get("/auth/users/me/").status_code == 401


def test_verify_accepts_a_valid_token_and_flags_a_bad_one(api_client):
    user = CandidateFactory()

    ok = api_client.post("/auth/jwt/verify/", {"token": str(AccessToken.for_user(user))}, format="json")
    bad = api_client.post("/auth/jwt/verify/", {"token": "garbage"}, format="json")

    assert ok.status_code == 200 and ok.json().get("code") != "token_not_valid"
    assert bad.status_code == 401 and bad.json()["code"] == "token_not_valid"


def test_refresh_rotates_and_the_old_refresh_token_is_then_refused(api_client):
    CandidateFactory(email="ann@example.com")
    first = login(api_client, "ann@example.com").json()["refresh"]

    rotated = api_client.post("/auth/jwt/refresh/", {"refresh": first}, format="json")
    reused = api_client.post("/auth/jwt/refresh/", {"refresh": first}, format="json")

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first and rotated.json()["access"]
    assert reused.status_code == 401


def test_blacklisting_a_refresh_token_logs_out(api_client):
    CandidateFactory(email="ann@example.com")
    refresh = login(api_client, "ann@example.com").json()["refresh"]

    logout = api_client.post("/auth/jwt/blacklist/", {"refresh": refresh}, format="json")
    again = api_client.post("/auth/jwt/refresh/", {"refresh": refresh}, format="json")

    assert logout.status_code == 200
    assert again.status_code == 401


def test_users_me_can_change_the_name_and_nothing_else():
    user = CandidateFactory(email="ann@example.com", name="Ann")
    client = client_for(user)

    response = client.patch(
        "/auth/users/me/",
        {
            "name": "Ann Lee",
            "type": "company",
            "email": "other@example.com",
            "is_staff": True,
            "is_superuser": True,
            "password": "plain-text-pass",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "name": "Ann Lee",
        "email": "ann@example.com",
        "type": "user",
        "searchable": True,
    }
    user.refresh_from_db()
    assert user.type == "user" and not user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert user.password != "plain-text-pass"


def test_put_on_users_id_cannot_store_a_password_or_change_type():
    user = CandidateFactory(name="Ann")
    client = client_for(user)

    response = client.put(
        f"/auth/users/{user.pk}/", {"name": "Ann B", "password": "x", "type": "company"}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.name == "Ann B" and user.type == "user" and user.check_password(PASSWORD)


def test_a_user_cannot_read_another_users_account():
    other = CandidateFactory()
    response = client_for(CandidateFactory()).get(f"/auth/users/{other.pk}/")
    assert response.status_code == 404


def test_set_password_reports_the_fields_the_spa_reads():
    user = CandidateFactory()
    client = client_for(user)

    wrong = client.post(
        "/auth/users/set_password/",
        {"current_password": "nope", "new_password": "Green-Lamp-77", "re_new_password": "Green-Lamp-77"},
        format="json",
    )
    mismatch = client.post(
        "/auth/users/set_password/",
        {"current_password": PASSWORD, "new_password": "Green-Lamp-77", "re_new_password": "Green-Lamp-78"},
        format="json",
    )
    ok = client.post(
        "/auth/users/set_password/",
        {"current_password": PASSWORD, "new_password": "Green-Lamp-77", "re_new_password": "Green-Lamp-77"},
        format="json",
    )

    assert wrong.status_code == 400 and "current_password" in wrong.json()
    assert mismatch.status_code == 400 and "non_field_errors" in mismatch.json()
    assert ok.status_code == 204
    user.refresh_from_db()
    assert user.check_password("Green-Lamp-77")


def test_no_auth_response_contains_a_password_hash_or_permission_flags(api_client):
    user = CandidateFactory(email="ann@example.com")
    responses = [
        register(api_client, email="bob@example.com"),
        login(api_client, "ann@example.com"),
        client_for(user).get("/auth/users/me/"),
        client_for(user).get("/auth/users/"),
        client_for(user).get(f"/auth/users/{user.pk}/"),
    ]
    for response in responses:
        text = response.content.decode()
        assert "pbkdf2" not in text and "argon2" not in text
        body = response.json()
        items = body if isinstance(body, list) else [body]
        for item in items:
            assert not FORBIDDEN_KEYS & set(item), item


@pytest.mark.parametrize("path", ["/auth/users/activation/", "/auth/users/reset_password_confirm/"])
@pytest.mark.parametrize("uid", [5, None, ["MQ"], {"a": 1}])
def test_a_uid_that_is_not_text_is_the_invalid_link_error(api_client, path, uid):
    body = {"uid": uid, "token": "t", "new_password": "Green-Lamp-77", "re_new_password": "Green-Lamp-77"}

    response = api_client.post(path, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) & {"uid", "token"}


def test_resend_activation_when_activation_is_off_says_so(api_client):
    response = api_client.post("/auth/users/resend_activation/", {"email": "a@example.com"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_text_that_is_not_valid_unicode_is_a_400_not_a_500(api_client):
    body = (
        b'{"name":"A","email":"a@example.com","type":"\\ud800","password":"Blue-Kettle-93","re_password":"x"}'
    )

    response = api_client.post("/auth/users/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "Unicode" in response.json()["detail"]
