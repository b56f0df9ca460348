"""Fixtures every app's tests share: API clients logged in as each kind of account."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tests.factories import CandidateFactory, CompanyFactory, StaffFactory
from helpers.testing import client_for


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with production strength costs ~0.3 s per account; tests check behaviour, not strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle and login-failure counts must not leak between tests (Redis is shared)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


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
