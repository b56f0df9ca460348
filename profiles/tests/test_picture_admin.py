"""The admin shows photo and logo thumbnails and accepts uploads through the API's checks."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from helpers.testing import client_for
from helpers.tests import pictures
from profiles import models
from profiles.tests.factories import CompanyProfileFactory, ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]

ROWS = [
    (models.Profile, ProfileFactory, "/user/profile/photo", "photo"),
    (models.Company, CompanyProfileFactory, "/user/company_profile/logo", "logo"),
]
IDS = ["profile", "company"]


def url(model, view, *args):
    return reverse(f"admin:profiles_{model._meta.model_name}_{view}", args=args)


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def with_picture(factory, path):
    row = factory()
    upload = {"image": SimpleUploadedFile("a.png", pictures.png(), content_type="image/png")}
    body = client_for(row.user).put(path, upload, format="multipart").json()
    row.refresh_from_db()
    return row, body


def change_form(admin_client, model, row, **changes):
    """The change form as the page fills it in, with `changes` on top."""
    form = admin_client.get(url(model, "change", row.pk)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    return {**data, **changes}


@pytest.mark.parametrize(("model", "factory", "path", "field"), ROWS, ids=IDS)
def test_the_list_shows_a_thumbnail_or_a_dash(admin_client, model, factory, path, field):
    row, body = with_picture(factory, path)
    factory()

    page = admin_client.get(url(model, "changelist")).content.decode()

    thumbnail_path = body[f"{field}_thumbnail"].removeprefix("http://testserver")
    assert f'<img src="{thumbnail_path}"' in page
    assert page.count(f'<img src="{settings.MEDIA_URL}') == 1
    assert '<td class="field-thumbnail">-</td>' in page


@pytest.mark.parametrize(("model", "factory", "path", "field"), ROWS, ids=IDS)
def test_the_change_page_and_the_account_page_show_the_picture(admin_client, model, factory, path, field):
    row, body = with_picture(factory, path)

    change_page = admin_client.get(url(model, "change", row.pk)).content.decode()
    account_page = admin_client.get(f"/admin/accounts/useraccount/{row.user_id}/change/").content.decode()

    picture_path = body[field].removeprefix("http://testserver")
    assert f'<img src="{picture_path}"' in change_page
    assert f'<img src="{picture_path}"' in account_page


@pytest.mark.parametrize(("model", "factory", "path", "field"), ROWS, ids=IDS)
def test_an_admin_upload_is_processed_and_replaces_the_old_files(
    admin_client, model, factory, path, field, django_capture_on_commit_callbacks
):
    row, _ = with_picture(factory, path)
    old = stored_files()
    upload = SimpleUploadedFile("scan.jpg", pictures.exif_jpeg(), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(model, "change", row.pk), change_form(admin_client, model, row, new_picture=upload)
        )

    assert response.status_code == 302
    row.refresh_from_db()
    picture = Image.open(getattr(row, field).path)
    assert picture.size == (1024, 640)
    assert not picture.getexif()
    assert not set(old) & set(stored_files())
    assert len(stored_files()) == 2


@pytest.mark.parametrize(("model", "factory", "path", "field"), ROWS, ids=IDS)
@pytest.mark.parametrize(
    ("data", "reason"),
    [(pictures.SVG_WITH_SCRIPT, "PNG, JPEG or WebP"), (pictures.decompression_bomb_png(), "megapixels")],
    ids=["svg", "bomb"],
)
def test_an_admin_upload_of_a_hostile_file_is_a_form_error(
    admin_client, model, factory, path, field, data, reason
):
    row = factory()
    upload = SimpleUploadedFile("logo.png", data, content_type="image/png")

    response = admin_client.post(
        url(model, "change", row.pk), change_form(admin_client, model, row, new_picture=upload)
    )

    assert response.status_code == 200
    assert reason in str(response.context["adminform"].form.errors["new_picture"])
    assert stored_files() == []


@pytest.mark.parametrize(("model", "factory", "path", "field"), ROWS, ids=IDS)
def test_the_admin_removes_a_picture(
    admin_client, model, factory, path, field, django_capture_on_commit_callbacks
):
    row, _ = with_picture(factory, path)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(model, "change", row.pk), change_form(admin_client, model, row, remove_picture="on")
        )

    assert response.status_code == 302
    row.refresh_from_db()
    assert not getattr(row, field)
    assert stored_files() == []


def test_deleting_a_company_in_the_admin_deletes_its_logo(admin_client, django_capture_on_commit_callbacks):
    row, _ = with_picture(CompanyProfileFactory, "/user/company_profile/logo")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url(models.Company, "delete", row.pk), {"post": "yes"})

    assert response.status_code == 302
    assert stored_files() == []


def test_an_admin_upload_over_the_size_limit_is_a_form_error(admin_client):
    row = CompanyProfileFactory()
    upload = SimpleUploadedFile("huge.png", pictures.oversized_png(6 * 1024 * 1024), content_type="image/png")

    response = admin_client.post(
        url(models.Company, "change", row.pk),
        change_form(admin_client, models.Company, row, new_picture=upload),
    )

    assert response.status_code == 200
    assert "larger than 5 MB" in str(response.context["adminform"].form.errors["new_picture"])
    assert stored_files() == []
