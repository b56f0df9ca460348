"""The deploy path works as written (issue 12): Procfile, gunicorn, startup errors, logs, test isolation."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from conftest import RUN_ID
from helpers.testing import cache_clear_own

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "ENV_FILE": "/dev/null"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_procfile_release_step_migrates_and_collects_static_files():
    release = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("release:")
    )

    assert "migrate --noinput" in release
    assert "collectstatic --noinput" in release


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "127.0.0.1:8000"),
        ({"PORT": "5000"}, "0.0.0.0:5000"),
        ({"HOST": "10.1.2.3"}, "10.1.2.3:8000"),
        ({"HOST": "127.0.0.1", "PORT": "9000"}, "127.0.0.1:9000"),
    ],
)
def test_gunicorn_binds_loopback_unless_told_otherwise(monkeypatch, env, bind):
    for name in ("HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert runpy.run_path(str(ROOT / "job_portal" / "gunicorn.conf.py"))["bind"] == bind


@pytest.mark.parametrize("value", ["ture", "maybe", "2"])
def test_an_unparseable_boolean_stops_startup_with_one_line(value):
    result = manage("check", DEBUG=value)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"configuration error: DEBUG={value!r} is not a boolean")


def test_a_missing_secret_key_prints_one_line():
    result = manage("check", DEBUG="off", SECRET_KEY="")

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["True", "yes", "1", "on"])
def test_the_usual_spellings_of_true_are_accepted(value):
    assert manage("check", DEBUG=value).returncode == 0


def test_a_log_line_is_printed_once_with_debug_on():
    code = "import logging; logging.getLogger('django.request').warning('only-once-marker')"
    result = manage("shell", "-c", code, DEBUG="True")

    assert result.stderr.count("only-once-marker") == 1


def test_the_spa_on_127_0_0_1_is_a_default_cors_origin(api_client):
    response = api_client.options(
        "/job/list", HTTP_ORIGIN="http://127.0.0.1:3000", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert response["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"


def test_the_readme_and_docs_point_at_no_file_outside_the_repository():
    """Links out of docs/ are checked to stay inside the repository by test_docs.py."""
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        assert not re.findall(r"`\.\./|/work/", page.read_text()), page
    assert not re.findall(r"\]\(\.\./", (ROOT / "README.md").read_text())


def test_scripts_run_prints_the_urls_and_demo_logins_when_ready():
    text = (ROOT / "scripts" / "run").read_text()

    for expected in (
        "/schema/swagger-ui/",
        "/admin/",
        "devpass-2024",
        "northwind@company.example",
        "/health/",
    ):
        assert expected in text


# --- two runs on one machine do not collide -------------------------------------------------------
@pytest.mark.django_db
def test_the_cache_prefix_and_database_name_are_this_runs_own(request):
    from django.db import connection

    assert RUN_ID in cache.key_prefix
    if connection.vendor == "postgresql" and not request.config.getvalue("reuse_db"):
        assert connection.settings_dict["NAME"].endswith(RUN_ID)


def test_clearing_the_cache_leaves_other_runs_keys_alone():
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None or not hasattr(client_of(write=True), "scan_iter"):
        pytest.skip("needs Redis (TEST_REDIS_URL)")
    client = client_of(write=True)
    client.set("another-run:1:login:x", 1, ex=60)
    cache.set("mine", 1)

    cache_clear_own(cache)

    assert cache.get("mine") is None
    assert client.get("another-run:1:login:x") == b"1"
    client.delete("another-run:1:login:x")
