"""Pictures on an S3-compatible bucket (moto on loopback, so django-storages' real S3 code runs), and
the orphan sweep on local disk and on S3."""

import io
import os
import socket
import urllib.request
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from helpers.images import picture_from_upload
from helpers.testing import client_for
from helpers.tests import pictures
from profiles.pictures import StorageUnavailable, orphan_files, picture_replace
from profiles.tests.factories import CompanyProfileFactory, ProfileFactory

pytestmark = pytest.mark.django_db

CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def upload(data):
    return {"image": SimpleUploadedFile("picture.png", data, content_type="image/png")}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def bucket_on(endpoint, settings):
    """A fresh bucket on `endpoint`, and the S3 settings of docs/configuration.md pointing the default
    storage at it; returns the bucket's sorted keys, listed afresh at each call."""
    name = f"pictures-{uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=name)
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_ACCESS_KEY_ID = CREDENTIALS["aws_access_key_id"]
    settings.AWS_SECRET_ACCESS_KEY = CREDENTIALS["aws_secret_access_key"]
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}

    def keys():
        listed = client.list_objects_v2(Bucket=name).get("Contents", [])
        return sorted(entry["Key"] for entry in listed)

    return keys


@pytest.fixture
def bucket(s3_endpoint, settings):
    return bucket_on(s3_endpoint, settings)


def fetched_image(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # the URL the API gave, over HTTP
        image = Image.open(io.BytesIO(response.read()))
        image.load()
        return image


def test_an_upload_lands_in_the_bucket_and_its_urls_serve_it(bucket):
    owner = client_for(ProfileFactory().user)

    body = owner.put("/user/profile/photo", upload(pictures.exif_jpeg()), format="multipart").json()

    urls = [body["photo"], body["photo_thumbnail"]]
    assert bucket() == sorted(f"photos/{Path(url.split('?')[0]).name}" for url in urls)
    assert all(url.startswith(django_settings.AWS_S3_ENDPOINT_URL) for url in urls)
    assert fetched_image(body["photo"]).size == (1024, 640)
    assert fetched_image(body["photo_thumbnail"]).size == (256, 256)
    assert not fetched_image(body["photo"]).getexif()


def test_replace_and_delete_remove_the_objects(bucket, django_capture_on_commit_callbacks):
    company = CompanyProfileFactory()
    owner = client_for(company.user)
    with django_capture_on_commit_callbacks(execute=True):
        owner.put("/user/company_profile/logo", upload(pictures.png()), format="multipart")
    first = bucket()

    with django_capture_on_commit_callbacks(execute=True):
        owner.put("/user/company_profile/logo", upload(pictures.transparent_png()), format="multipart")
    second = bucket()
    with django_capture_on_commit_callbacks(execute=True):
        owner.delete("/user/company_profile/logo")

    assert len(first) == len(second) == 2
    assert not set(first) & set(second)
    assert all(key.startswith("logos/") and key.endswith(".png") for key in second)
    assert bucket() == []


def test_a_hostile_file_leaves_the_bucket_empty(bucket):
    owner = client_for(ProfileFactory().user)

    response = owner.put("/user/profile/photo", upload(pictures.SVG_WITH_SCRIPT), format="multipart")

    assert response.status_code == 400
    assert bucket() == []


def test_the_orphan_sweep_works_on_the_bucket(bucket):
    owner = client_for(ProfileFactory().user)
    owner.put("/user/profile/photo", upload(pictures.png()), format="multipart")
    kept = bucket()
    default_storage.save("photos/left-behind.jpg", ContentFile(b"x"))
    default_storage.save("unrelated/report.csv", ContentFile(b"x"))

    call_command("picture_orphans", "--delete", "--min-age-minutes=0")

    assert bucket() == sorted([*kept, "unrelated/report.csv"])


def local_orphan(name, age=timedelta(hours=2)):
    default_storage.save(name, ContentFile(b"x"))
    path = Path(django_settings.MEDIA_ROOT) / name
    old = path.stat().st_mtime - age.total_seconds()
    os.utime(path, (old, old))
    return name


def test_the_orphan_command_lists_unreferenced_pictures_older_than_the_age(capsys):
    owner = client_for(ProfileFactory().user)
    body = owner.put("/user/profile/photo", upload(pictures.png()), format="multipart").json()
    stray = local_orphan("photos/left-behind.jpg")
    stray_logo = local_orphan("logos/2024/left-behind.png")
    local_orphan("photos/just-written.jpg", age=timedelta(minutes=1))
    local_orphan("exports/other.csv")

    call_command("picture_orphans")

    out, err = capsys.readouterr()
    assert out.split() == sorted([stray, stray_logo])
    assert "2 orphan picture file(s) found." in err
    assert (Path(django_settings.MEDIA_ROOT) / stray).exists()
    assert Path(body["photo"]).name in os.listdir(Path(django_settings.MEDIA_ROOT) / "photos")


def test_the_orphan_command_deletes_with_delete():
    stray = local_orphan("logos/left-behind.png")
    young = local_orphan("logos/young.png", age=timedelta(minutes=5))

    call_command("picture_orphans", "--delete")

    assert not (Path(django_settings.MEDIA_ROOT) / stray).exists()
    assert (Path(django_settings.MEDIA_ROOT) / young).exists()
    assert orphan_files(min_age=timedelta(0)) == [young]


def test_no_picture_folder_yet_means_no_orphans():
    assert orphan_files() == []


def test_the_orphan_command_refuses_a_bad_age():
    with pytest.raises(CommandError):
        call_command("picture_orphans", "--min-age-minutes=soon")


def test_a_storage_failure_halfway_leaves_no_file_and_the_row_unchanged(monkeypatch):
    """The disk fills up after the picture is written, before its thumbnail: the picture goes too."""
    profile = ProfileFactory()
    picture = picture_from_upload(io.BytesIO(pictures.png()), max_bytes=10**7, max_pixels=10**8)
    real_save = FileSystemStorage._save

    def save_then_fail(storage, name, content):
        if name.endswith("-thumb.jpg"):
            raise OSError(28, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fail)

    with pytest.raises(StorageUnavailable) as refused:
        picture_replace(row=profile, picture=picture)

    assert "No space left" in str(refused.value.__cause__)

    assert list(Path(django_settings.MEDIA_ROOT).rglob("*.jpg")) == []
    profile.refresh_from_db()
    assert not profile.photo


@pytest.fixture
def s3_server():
    """A loopback S3 server of the test's own, which it may stop and start again on the same port
    (moto keeps the objects in this process meanwhile)."""
    servers = [ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)]
    servers[0].start()
    host, port = servers[0].get_host_and_port()

    class Server:
        endpoint = f"http://{host}:{port}"

        def stop(self):
            servers[-1].stop()

        def start(self):
            servers.append(ThreadedMotoServer(ip_address=host, port=port, verbose=False))
            servers[-1].start()

    yield Server()
    servers[-1].stop()


@pytest.mark.parametrize(
    ("path", "field"), [("/user/profile/photo", "photo"), ("/user/company_profile/logo", "logo")]
)
def test_an_s3_outage_during_an_upload_is_a_503_with_retry_after_and_keeps_the_old_picture(
    s3_server, settings, path, field, django_capture_on_commit_callbacks
):
    keys = bucket_on(s3_server.endpoint, settings)
    row = ProfileFactory() if field == "photo" else CompanyProfileFactory()
    owner = client_for(row.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.put(path, upload(pictures.png()), format="multipart").status_code == 200
    row.refresh_from_db()
    old_name, old_keys = getattr(row, field).name, keys()

    s3_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.put(path, upload(pictures.transparent_png()), format="multipart")
    s3_server.start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "The picture storage is unavailable; try again shortly."}
    row.refresh_from_db()
    assert getattr(row, field).name == old_name
    assert keys() == old_keys


@pytest.mark.usefixtures("plain_static_files")
@pytest.mark.parametrize("factory", [ProfileFactory, CompanyProfileFactory], ids=["profile", "company"])
def test_an_s3_outage_during_an_admin_upload_saves_nothing_and_says_why(
    s3_server, settings, admin_client, factory, django_capture_on_commit_callbacks
):
    keys = bucket_on(s3_server.endpoint, settings)
    row = factory()
    page = reverse(f"admin:profiles_{row._meta.model_name}_change", args=[row.pk])
    form = admin_client.get(page).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    name_field = "first_name" if factory is ProfileFactory else "name"
    data[name_field] = "Changed In The Admin"
    data["new_picture"] = SimpleUploadedFile("a.png", pictures.png(), content_type="image/png")

    s3_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page, data, follow=True)
    s3_server.start()

    assert response.status_code == 200
    assert response.redirect_chain == [(page, 302)]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["The picture storage is unavailable, so nothing was saved; try again shortly."]
    row.refresh_from_db()
    assert getattr(row, name_field) != "Changed In The Admin"  # the whole save was undone
    assert not getattr(row, "photo" if factory is ProfileFactory else "logo")
    assert keys() == []


def test_a_hung_s3_is_a_503_in_seconds_not_a_worker_timeout(s3_server, settings):
    """A server that takes the connection and never answers: the client gives up (AWS_S3_CLIENT_CONFIG:
    3 s per read, two attempts) instead of boto's five minutes, inside gunicorn's 30 s."""
    bucket_on(s3_server.endpoint, settings)
    owner = client_for(ProfileFactory().user)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"

        response = owner.put("/user/profile/photo", upload(pictures.png(64, 64)), format="multipart")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
