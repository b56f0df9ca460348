"""Fixtures every app's tests share: API clients logged in as each kind of account.

Each run has its own id, so two runs on one machine never collide: a PostgreSQL test database named
after it (unless --reuse-db asks for the stable name) and a Redis key prefix, and only this run's keys
are ever deleted.
"""

import os
import secrets

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import ReadingAPIClient, cache_clear_own, client_for

RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"


def pytest_configure(config):
    cache_settings = django_settings.CACHES["default"]
    cache_settings["KEY_PREFIX"] = f"{cache_settings.get('KEY_PREFIX') or 'job_portal'}-test-{RUN_ID}"
    if cache_settings["BACKEND"] == "helpers.dbcache.SharedDatabaseCache":
        # The database cache culls on 1 write in 100, at random: a random query would make the
        # query-count pins flaky. Culling has its own tests (helpers/tests/test_dbcache.py).
        cache_settings.setdefault("OPTIONS", {})["CULL_PROBABILITY"] = 0


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """test_<name>_<run id> on PostgreSQL; SQLite test databases are in memory, private already."""
    if request.config.getvalue("reuse_db"):
        return
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        if connection.vendor != "sqlite":
            test = connection.settings_dict.setdefault("TEST", {})
            test["NAME"] = f"test_{connection.settings_dict['NAME']}_{RUN_ID}"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with production strength costs ~0.3 s per account; tests check behaviour, not strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle and login-failure counts must not leak between tests; only this run's keys go.

    The database cache (no TEST_REDIS_URL) is in this run's test database, which each test's
    rollback or flush empties anyway; after a test its transaction may be broken (a test of an
    IntegrityError), so that cache is cleared only before.
    """
    cache_clear_own(cache)
    yield
    if not getattr(cache, "in_database", False):
        cache_clear_own(cache)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded pictures go to a fresh folder per test, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_client():
    return ReadingAPIClient()


@pytest.fixture
def candidate(db):
    return CandidateFactory()


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def candidate_client(candidate):
    return client_for(candidate)


@pytest.fixture
def company_client(company):
    return client_for(company)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def admin_client(db):
    """A superuser logged in to the admin (pytest-django's own assumes a username field)."""
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture
def plain_static_files(settings):
    """Admin pages link static files; tests have no collected manifest to look them up in."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
