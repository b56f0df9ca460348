"""The admin shows the provider identities linked to an account, and staff can remove one."""

import pytest
from django.urls import reverse
from social_django.models import UserSocialAuth

from accounts.models import UserAccount
from accounts.tests.factories import CandidateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]


def change_page(client, account):
    return client.get(reverse("admin:accounts_useraccount_change", args=[account.pk]))


def test_an_accounts_page_lists_its_linked_providers_with_a_remove_link(admin_client):
    account = CandidateFactory()
    github = UserSocialAuth.objects.create(user=account, provider="github", uid="4242")
    UserSocialAuth.objects.create(user=account, provider="oidc", uid="sub-77")
    UserSocialAuth.objects.create(user=CandidateFactory(), provider="github", uid="9999")

    page = change_page(admin_client, account).content.decode()

    assert "github (id 4242)" in page and "oidc (id sub-77)" in page
    assert "9999" not in page
    assert reverse("admin:social_django_usersocialauth_delete", args=[github.pk]) in page


def test_an_account_without_links_says_it_signs_in_with_its_password_only(admin_client):
    page = change_page(admin_client, CandidateFactory()).content.decode()

    assert "signs in with its password only" in page


def test_staff_remove_a_link_and_the_account_stays(admin_client):
    account = CandidateFactory()
    link = UserSocialAuth.objects.create(user=account, provider="github", uid="4242")

    response = admin_client.post(
        reverse("admin:social_django_usersocialauth_delete", args=[link.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not UserSocialAuth.objects.exists()
    assert UserAccount.objects.filter(pk=account.pk).exists()
    assert "signs in with its password only" in change_page(admin_client, account).content.decode()


def test_non_staff_cannot_remove_a_link(client):
    account = CandidateFactory()
    link = UserSocialAuth.objects.create(user=account, provider="github", uid="4242")
    client.force_login(account)

    client.post(reverse("admin:social_django_usersocialauth_delete", args=[link.pk]), {"post": "yes"})

    assert UserSocialAuth.objects.filter(pk=link.pk).exists()
