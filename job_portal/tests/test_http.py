"""HTTP behaviour every client relies on: JSON 404s, no redirects, health, CORS."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("path", ["/nope", "/job", "/api/v1/jobs/", "/auth/nothing/"])
def test_unknown_paths_get_a_json_404(api_client, method, path):
    response = getattr(api_client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_auth_paths_without_their_slash_are_not_redirected(api_client):
    response = api_client.post("/auth/users", {"email": "a@example.com"}, format="json")
    assert response.status_code == 404


def test_cors_preflight_allows_the_spa_origin_and_headers(api_client):
    response = api_client.options(
        "/user/profile",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type,x-csrftoken",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "PUT" in response["Access-Control-Allow-Methods"]
    assert "x-csrftoken" in response["Access-Control-Allow-Headers"]


def run_manage(*args, env):
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "k" * 64 + "-unique-production-secret-key-for-the-deploy-check",
        "ALLOWED_HOSTS": "api.example.com",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SECURE_PROXY_SSL_HEADER": "True",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    "path", ["/user/profile/99999999999999999999/user", "/user/user_skills/list/9223372036854775808"]
)
def test_ids_too_large_for_the_database_are_a_404_not_a_500(company_client, path):
    response = company_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_host_gets_a_json_400(api_client):
    response = api_client.get("/health/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
