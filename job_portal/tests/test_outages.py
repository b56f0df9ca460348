"""Outages a client must survive (issue 12): Redis down or hung, the database refusing or hung."""

import logging
import socket
import threading

import pytest
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection

from accounts.tests.factories import CandidateFactory
from helpers.testing import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def black_hole():
    """A loopback port that accepts connections and never answers: a hung (SIGSTOPped) server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted, stop = [], threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "helpers.cache.FailOpenRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_AFTER": 60},
        }
    }


def every_throttled_auth_call(api_client):
    """Sign-up, login, refresh, blacklist and password reset: each must answer as if Redis were fine."""
    signup = api_client.post(
        "/auth/users/",
        {
            "name": "Ann",
            "email": "ann@example.com",
            "type": "user",
            "password": PASSWORD,
            "re_password": PASSWORD,
        },
        format="json",
    )
    login = api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": PASSWORD}, format="json"
    )
    wrong = api_client.post(
        "/auth/jwt/create/", {"email": "ann@example.com", "password": "nope"}, format="json"
    )
    refresh = api_client.post("/auth/jwt/refresh/", {"refresh": login.json()["refresh"]}, format="json")
    reset = api_client.post("/auth/users/reset_password/", {"email": "ann@example.com"}, format="json")
    logout = api_client.post("/auth/jwt/blacklist/", {"refresh": refresh.json()["refresh"]}, format="json")
    return [signup.status_code, login.status_code, wrong.status_code, refresh.status_code], [
        reset.status_code,
        logout.status_code,
    ]


@pytest.mark.parametrize("server", ["unreachable", "hung"])
def test_auth_keeps_working_when_redis_is_down_with_one_warning(
    api_client, settings, caplog, black_hole, server
):
    port = closed_port() if server == "unreachable" else black_hole
    use_redis(settings, f"redis://127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING, logger="job_portal.cache")

    statuses, others = every_throttled_auth_call(api_client)

    assert statuses == [201, 200, 401, 200]
    assert others == [204, 200]
    warnings = [record for record in caplog.records if record.name == "job_portal.cache"]
    assert len(warnings) == 1
    assert "fail open" in warnings[0].getMessage()


def test_ready_names_redis_when_it_is_down(api_client, settings):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")

    response = api_client.get("/ready/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


def test_the_fail_open_cache_uses_redis_again_once_it_answers(settings):
    redis_url = (
        settings.CACHES["default"]["LOCATION"] if "Redis" in settings.CACHES["default"]["BACKEND"] else None
    )
    if redis_url is None:
        pytest.skip("needs TEST_REDIS_URL")
    use_redis(settings, redis_url)
    cache = caches["default"]
    cache.set("probe", 1)

    assert cache.get("probe") == 1
    cache._down_until = float("inf")  # as after a failure
    assert cache.get("probe") is None
    cache._down_until = 0
    assert cache.get("probe") == 1


# --- the database ------------------------------------------------------------------------------
@pytest.fixture
def database_fails():
    """Call it with an error to make every query raise it from then on, until the test ends.

    Its own MonkeyPatch, undone when this fixture ends: before the suite's cache clearing, which
    queries the database cache (no REDIS_URL)."""
    with pytest.MonkeyPatch.context() as patch:

        def fail(error):
            def broken(*args, **kwargs):
                raise error

            patch.setattr(connection, "cursor", broken)

        yield fail


@pytest.fixture
def database_refuses(database_fails):
    database_fails(
        OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused\nIs it up?'
        )
    )


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_outage_is_a_503_with_retry_after_and_one_log_line(
    api_client, database_fails, caplog, error
):
    user = CandidateFactory()
    client = client_for(user)
    database_fails(error("connection refused"))
    caplog.set_level(logging.INFO)

    response = client.get("/job/list")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": "The database is unavailable; try again shortly."}
    assert [record.getMessage() for record in caplog.records] == [
        f"database unavailable: GET /job/list: {error.__name__}: connection refused"
    ]


def test_login_during_a_database_outage_is_a_503_not_a_500(api_client, database_refuses):
    response = api_client.post(
        "/auth/jwt/create/", {"email": "a@example.com", "password": "x"}, format="json"
    )

    assert response.status_code == 503
    assert "Retry-After" in response


def test_health_is_a_cheap_liveness_answer_even_when_the_database_is_down(api_client, database_refuses):
    response = api_client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database_and_the_cache(api_client, settings):
    response = api_client.get("/ready/")

    assert response.status_code == 200  # Redis, or the cache table in the database (no REDIS_URL)
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_ready_is_503_naming_the_database_when_it_is_down(api_client, database_refuses):
    response = api_client.get("/ready/")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_without_redis_ready_names_the_cache_down_with_the_database(api_client, settings, database_refuses):
    settings.CACHES = {"default": {"BACKEND": "helpers.dbcache.SharedDatabaseCache"}}

    response = api_client.get("/ready/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "unavailable"}


def test_without_redis_a_throttled_call_during_a_database_outage_is_a_503(
    api_client, settings, database_refuses
):
    """The throttle's count is the first query: the outage's 503 comes from it, as from the view's."""
    settings.CACHES = {"default": {"BACKEND": "helpers.dbcache.SharedDatabaseCache"}}

    response = api_client.get("/board/jobs")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize("path", ["/health/", "/ready/"])
def test_probes_are_exempt_from_the_https_redirect(api_client, settings, path):
    settings.SECURE_SSL_REDIRECT = True

    assert api_client.get(path).status_code == 200
    assert api_client.get("/job/list").status_code == 301


@pytest.fixture
def restore_wait_callback():
    from psycopg2 import extensions

    from helpers.postgresql import base

    saved = extensions.get_wait_callback(), base._deadline_seconds
    yield
    extensions.set_wait_callback(saved[0])
    base._deadline_seconds = saved[1]


def test_a_hung_database_server_fails_within_the_client_deadline(black_hole, restore_wait_callback):
    """No connect_timeout at all: only the client-side deadline (helpers/postgresql) ends the wait."""
    from helpers.postgresql.base import DatabaseWrapper

    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "helpers.postgresql",
            "NAME": "hung",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(black_hole),
            "OPTIONS": {"connect_timeout": 0},
            "CLIENT_TIMEOUT": 0.5,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "TIME_ZONE": None,
        },
        alias="hung",
    )

    with pytest.raises(OperationalError, match="did not answer within 0.5 s"):
        wrapper.ensure_connection()


def test_postgresql_sessions_get_the_statement_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
