"""No /user/ response carries a password hash or permission flags (api-contract 7.1)."""

import json

import pytest

from accounts.tests.factories import CandidateFactory, StaffFactory
from helpers.testing import client_for
from profiles.tests.cases import SECTIONS
from profiles.tests.factories import (
    AvailabilityFactory,
    CompanyProfileFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = pytest.mark.django_db

FORBIDDEN_KEYS = {"password", "is_staff", "is_superuser", "groups", "user_permissions", "last_login"}


def keys_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


def test_no_response_of_this_app_carries_secrets_or_permission_flags():
    # A staff developer, so a leaked flag or hash would be there to see.
    candidate = StaffFactory(type="user", is_superuser=True)
    for factory in [
        ProfileFactory,
        ExperienceFactory,
        AvailabilityFactory,
        RoleSalaryFactory,
        EducationFactory,
    ]:
        factory(user=candidate)
    UserSkillFactory(user=candidate, name="Python")
    company = CompanyProfileFactory().user
    other = CandidateFactory()

    calls = []
    for user in [candidate, company]:
        client = client_for(user)
        for section in SECTIONS:
            calls.append(client.get(f"/user/{section.path}"))
            calls.append(client.post(f"/user/{section.path}", section.create_body, format="json"))
            own = section.model.objects.filter(user=user).first()
            path = f"/user/{section.path}/{own.pk if own else 999999}"
            calls.append(client.put(path, section.update_body, format="json"))
    for user in [company, StaffFactory(), other]:
        client = client_for(user)
        calls += [client.get("/user/list"), client.get(f"/user/list/{candidate.pk}")]
        calls += [client.get("/user/user_skills/list"), client.get(f"/user/user_skills/list/{candidate.pk}")]
        calls += [
            client.get(f"/user/{path}/{candidate.pk}/user") for path in ["profile", "education", "role"]
        ]
    calls.append(client_for(company).get(f"/user/list?search={candidate.name.split()[0]}&limit=5"))
    calls.append(client_for(company).get(f"/user/list/{company.pk}"))

    assert {response.status_code for response in calls} >= {200, 201, 400, 403, 404}
    for response in calls:
        body = response.json()
        assert not FORBIDDEN_KEYS & set(keys_in(body)), (response.request["PATH_INFO"], body)
        assert candidate.password not in json.dumps(body)
