"""The admin: every profiles model listed, searchable and filterable; sections inline on an account."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_admin_listfilter_dropdown.filters import ChoiceDropdownFilter, DropdownFilter

from accounts.tests.factories import CandidateFactory, CompanyFactory
from profiles import models
from profiles.tests.factories import (
    AvailabilityFactory,
    CompanyProfileFactory,
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    RoleSalaryFactory,
    UserSkillFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]

MODELS = [
    (models.Profile, ProfileFactory),
    (models.Experience, ExperienceFactory),
    (models.Availability, AvailabilityFactory),
    (models.RoleSalary, RoleSalaryFactory),
    (models.Education, EducationFactory),
    (models.UserSkill, UserSkillFactory),
    (models.Company, CompanyProfileFactory),
]


def url(model, view, *args):
    return reverse(f"admin:profiles_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(("model", "factory"), MODELS, ids=lambda value: getattr(value, "__name__", ""))
def test_every_model_has_a_working_changelist_search_and_add_page(admin_client, model, factory):
    row = factory()
    changelist = admin_client.get(url(model, "changelist"), {"q": row.user.email})
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [row]
    assert admin_client.get(url(model, "change", row.pk)).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", [model for model, _ in MODELS], ids=lambda model: model.__name__)
def test_every_choice_field_has_a_dropdown_filter(model):
    filters = dict(entry for entry in admin.site._registry[model].list_filter if isinstance(entry, tuple))
    for field in model._meta.fields:
        if field.choices and field.name != "user":
            assert filters.get(field.name) is ChoiceDropdownFilter, field.name


def test_skills_filter_by_name_with_a_dropdown(admin_client):
    assert ("name", DropdownFilter) in admin.site._registry[models.UserSkill].list_filter
    UserSkillFactory(name="Python")
    UserSkillFactory(name="Go")
    response = admin_client.get(url(models.UserSkill, "changelist"), {"name": "Go"})
    assert [skill.name for skill in response.context["cl"].result_list] == ["Go"]
    assert "Python" in response.content.decode()


def test_choice_dropdown_filters_narrow_the_list(admin_client):
    AvailabilityFactory(availability_type="Part Time")
    AvailabilityFactory(availability_type="Full Time")
    response = admin_client.get(
        url(models.Availability, "changelist"), {"availability_type__exact": "Part Time"}
    )
    assert [row.availability_type for row in response.context["cl"].result_list] == ["Part Time"]


def inline_models(response):
    return [formset.formset.model for formset in response.context["inline_admin_formsets"]]


def test_a_developers_page_shows_their_sections_and_skills_inline(admin_client):
    candidate = CandidateFactory()
    ProfileFactory(user=candidate)
    UserSkillFactory(user=candidate, name="Python")
    response = admin_client.get(f"/admin/accounts/useraccount/{candidate.pk}/change/")
    assert response.status_code == 200
    assert inline_models(response) == [
        models.Profile,
        models.Experience,
        models.Availability,
        models.RoleSalary,
        models.Education,
        models.UserSkill,
    ]
    assert "Python" in response.content.decode()


def test_a_companys_page_shows_its_company_profile_inline(admin_client):
    company = CompanyProfileFactory(name="Initech").user
    response = admin_client.get(f"/admin/accounts/useraccount/{company.pk}/change/")
    assert inline_models(response) == [models.Company]
    assert "Initech" in response.content.decode()


def test_the_add_account_page_has_no_inlines(admin_client):
    response = admin_client.get("/admin/accounts/useraccount/add/")
    assert response.status_code == 200
    assert inline_models(response) == []


def test_a_skill_added_in_the_admin_is_stored_canonically_and_not_twice(admin_client):
    candidate = CandidateFactory()
    form = {"user": candidate.pk, "name": "nodejs", "rating": 6}
    assert admin_client.post(url(models.UserSkill, "add"), form).status_code == 302
    assert models.UserSkill.objects.get(user=candidate).name == "Node.js"

    again = admin_client.post(url(models.UserSkill, "add"), {**form, "name": "NODE.JS"})
    assert again.status_code == 200
    assert models.UserSkill.objects.filter(user=candidate).count() == 1


def test_the_company_admin_lists_companies(admin_client):
    CompanyProfileFactory(user=CompanyFactory(), name="Globex")
    response = admin_client.get(url(models.Company, "changelist"))
    assert "Globex" in response.content.decode()
