import pytest
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import UserAccount

pytestmark = pytest.mark.django_db


def test_emails_are_stored_lower_case_and_unique_without_regard_to_case():
    UserAccount.objects.create_user("Ann@Example.COM", "pw-Blue-93", name="Ann")

    assert UserAccount.objects.get().email == "ann@example.com"
    with pytest.raises(Exception):  # noqa: B017 - model validation or the database refuses it
        UserAccount.objects.create_user("ANN@example.com", "pw-Blue-93", name="Ann 2")


def test_the_database_refuses_a_case_variant_even_past_the_model():
    UserAccount.objects.create_user("ann@example.com", "pw", name="Ann")
    with pytest.raises(IntegrityError):
        UserAccount.objects.bulk_create([UserAccount(email="ANN@example.com", name="x", type="user")])


def test_createsuperuser_noinput_reads_the_django_superuser_variables(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Admin-Pass-93")
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "Admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_TYPE", "company")

    call_command("createsuperuser", "--noinput", verbosity=0)

    admin = UserAccount.objects.get()
    assert admin.email == "admin@example.com" and admin.is_superuser and admin.is_staff
    assert admin.check_password("Admin-Pass-93")
