"""The shared role rules refuse anonymous callers for every method."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from accounts.permissions import IsCandidate, IsCandidateOrReadOnly, IsCompany, IsCompanyOrReadOnly
from accounts.tests.factories import CandidateFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def request(method, user):
    req = getattr(APIRequestFactory(), method)("/")
    req.user = user
    return req


@pytest.mark.parametrize("permission", [IsCandidate, IsCompany, IsCandidateOrReadOnly, IsCompanyOrReadOnly])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_callers_are_refused(permission, method):
    assert not permission().has_permission(request(method, AnonymousUser()), view=None)


@pytest.mark.parametrize(
    ("permission", "factory", "method", "allowed"),
    [
        (IsCandidateOrReadOnly, CompanyFactory, "get", True),
        (IsCandidateOrReadOnly, CompanyFactory, "post", False),
        (IsCandidateOrReadOnly, CandidateFactory, "post", True),
        (IsCompanyOrReadOnly, CandidateFactory, "get", True),
        (IsCompanyOrReadOnly, CandidateFactory, "put", False),
        (IsCompanyOrReadOnly, CompanyFactory, "delete", True),
    ],
)
def test_read_only_variants_let_any_account_read_and_one_role_write(permission, factory, method, allowed):
    assert permission().has_permission(request(method, factory()), view=None) is allowed
