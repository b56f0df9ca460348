"""PUT/DELETE /user/profile/photo and /user/company_profile/logo through the real HTTP stack, on disk."""

import io
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from accounts.tests.factories import CandidateFactory, CompanyFactory
from helpers.testing import client_for, throttle_rates
from helpers.tests import pictures
from profiles.tests.factories import CompanyProfileFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Slot:
    path: str
    section: str
    field: str
    factory: type
    owner_factory: type
    other_factory: type

    def __str__(self):
        return self.path


PHOTO = Slot("/user/profile/photo", "profile", "photo", ProfileFactory, CandidateFactory, CompanyFactory)
LOGO = Slot(
    "/user/company_profile/logo",
    "company_profile",
    "logo",
    CompanyProfileFactory,
    CompanyFactory,
    CandidateFactory,
)
SLOTS = [PHOTO, LOGO]


def upload(data, name="picture.png", content_type="image/png"):
    return {"image": SimpleUploadedFile(name, data, content_type=content_type)}


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def media_path(url):
    assert url.startswith("http://testserver/media/"), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix("http://testserver/media/")


def image_at(url):
    image = Image.open(media_path(url))
    image.load()
    return image


@pytest.fixture(params=SLOTS, ids=str)
def slot(request):
    return request.param


@pytest.fixture
def row(slot):
    return slot.factory()


@pytest.fixture
def owner(row):
    return client_for(row.user)


def test_the_owner_uploads_a_picture_and_gets_the_row_with_absolute_urls(slot, row, owner):
    response = owner.put(slot.path, upload(pictures.exif_jpeg(), name="holiday.php.png"), format="multipart")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == row.pk
    picture, thumbnail = image_at(body[slot.field]), image_at(body[f"{slot.field}_thumbnail"])
    assert picture.size == (1024, 640)
    assert thumbnail.size == (256, 256)
    assert not picture.getexif()
    assert "holiday" not in body[slot.field]
    assert len(stored_files()) == 2


def test_stored_files_have_mode_0640(slot, row, owner):
    body = owner.put(slot.path, upload(pictures.png()), format="multipart").json()

    for url in (body[slot.field], body[f"{slot.field}_thumbnail"]):
        assert stat.S_IMODE(media_path(url).stat().st_mode) == 0o640


def test_every_read_of_the_row_carries_the_urls(slot, row, owner):
    body = owner.put(slot.path, upload(pictures.webp()), format="multipart").json()
    urls = {slot.field: body[slot.field], f"{slot.field}_thumbnail": body[f"{slot.field}_thumbnail"]}
    reads = [
        owner.get(f"/user/{slot.section}").json()[0],
        owner.get(f"/user/{slot.section}/{row.pk}").json(),
        owner.patch(f"/user/{slot.section}/{row.pk}", {}, format="json").json(),
    ]
    if slot is PHOTO:
        reads.append(client_for(CompanyFactory()).get(f"/user/profile/{row.user_id}/user").json()[0])
    for read in reads:
        assert {key: read[key] for key in urls} == urls


def test_without_a_picture_every_read_says_null(slot, row, owner):
    listed = owner.get(f"/user/{slot.section}").json()[0]

    assert listed[slot.field] is None
    assert listed[f"{slot.field}_thumbnail"] is None


def test_replacing_a_picture_deletes_the_old_files(slot, row, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = owner.put(slot.path, upload(pictures.png()), format="multipart").json()
    with django_capture_on_commit_callbacks(execute=True):
        second = owner.put(slot.path, upload(pictures.transparent_png()), format="multipart").json()

    assert not media_path(first[slot.field]).exists()
    assert not media_path(first[f"{slot.field}_thumbnail"]).exists()
    assert image_at(second[slot.field]).mode == "RGBA"
    assert second[slot.field].endswith(".png")
    assert len(stored_files()) == 2


def test_delete_removes_both_files_and_answers_204(slot, row, owner, django_capture_on_commit_callbacks):
    owner.put(slot.path, upload(pictures.png()), format="multipart")
    assert len(stored_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.delete(slot.path)

    assert response.status_code == 204
    assert stored_files() == []
    assert owner.get(f"/user/{slot.section}").json()[0][slot.field] is None
    assert owner.delete(slot.path).status_code == 204


def test_files_are_deleted_only_after_the_commit(slot, row, owner, django_capture_on_commit_callbacks):
    owner.put(slot.path, upload(pictures.png()), format="multipart")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner.delete(slot.path)

    assert len(stored_files()) == 2
    for callback in callbacks:
        callback()
    assert stored_files() == []


def test_deleting_the_row_deletes_its_files(slot, row, owner, django_capture_on_commit_callbacks):
    owner.put(slot.path, upload(pictures.png()), format="multipart")

    with django_capture_on_commit_callbacks(execute=True):
        assert owner.delete(f"/user/{slot.section}/{row.pk}").status_code == 204

    assert stored_files() == []


def test_deleting_the_account_deletes_its_files(slot, row, owner, django_capture_on_commit_callbacks):
    owner.put(slot.path, upload(pictures.png()), format="multipart")
    row.user.set_password("old-password-1")
    row.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.delete("/auth/users/me/", {"current_password": "old-password-1"}, format="json")

    assert response.status_code == 204
    assert not type(row).objects.filter(pk=row.pk).exists()
    assert stored_files() == []


HOSTILE = {
    "php script named .png": (pictures.PHP_NAMED_PNG, "PNG, JPEG or WebP"),
    "svg with a script": (pictures.SVG_WITH_SCRIPT, "PNG, JPEG or WebP"),
    "pdf": (pictures.PDF, "PNG, JPEG or WebP"),
    "animated gif": (pictures.animated("GIF"), "PNG, JPEG or WebP"),
    "animated webp": (pictures.animated("WEBP"), "Animated"),
    "truncated jpeg": (pictures.truncated_jpeg(), "damaged or truncated"),
    "png claiming 5000 x 5000 over one row": (pictures.hand_made_png(5000, 5000, scanlines=1), "truncated"),
    "30,000 x 30,000 png": (pictures.decompression_bomb_png(), "25 megapixels"),
    "empty file": (b"", "empty"),
}


@pytest.mark.parametrize(("data", "reason"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_get_a_400_naming_the_reason_and_leave_nothing(slot, row, owner, data, reason):
    response = owner.put(slot.path, upload(data), format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["image"]
    assert reason in response.json()["image"][0]
    assert stored_files() == []
    row.refresh_from_db()
    assert not getattr(row, slot.field)


def test_a_6_mb_body_is_refused_with_413_before_it_is_read(slot, row, owner):
    response = owner.put(slot.path, upload(pictures.oversized_png(6 * 1024 * 1024)), format="multipart")

    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"]
    assert stored_files() == []


def test_a_file_just_over_the_limit_inside_the_multipart_allowance_is_a_400(slot, row, owner):
    data = pictures.oversized_png(settings.IMAGE_MAX_BYTES + 1)

    response = owner.put(slot.path, upload(data), format="multipart")

    assert response.status_code == 400
    assert response.json()["image"] == ["The file is larger than 5 MB."]


def test_the_limits_follow_the_settings(slot, row, owner, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    settings.IMAGE_MAX_BYTES = 200_000

    too_many_pixels = owner.put(slot.path, upload(pictures.png(101, 100)), format="multipart")
    too_long = owner.put(slot.path, upload(pictures.oversized_png(300_000)), format="multipart")

    assert too_many_pixels.status_code == 400
    assert "0.01 megapixels" in too_many_pixels.json()["image"][0]
    assert too_long.status_code == 413
    assert owner.put(slot.path, upload(pictures.png(100, 100)), format="multipart").status_code == 200


def test_the_declared_type_and_name_are_ignored(slot, row, owner):
    data = pictures.png()

    response = owner.put(slot.path, upload(data, name="x.gif", content_type="text/html"), format="multipart")

    assert response.status_code == 200
    assert response.json()[slot.field].endswith(".jpg")


def test_a_body_without_image_or_not_multipart_is_refused(slot, row, owner):
    missing = owner.put(slot.path, {"other": "x"}, format="multipart")
    as_json = owner.put(slot.path, {"image": "aGVsbG8="}, format="json")

    assert missing.status_code == 400
    assert list(missing.json()) == ["image"]
    assert as_json.status_code == 415


def test_without_a_row_the_caller_gets_404_with_a_detail(slot):
    client = client_for(slot.owner_factory())

    for response in (
        client.put(slot.path, upload(pictures.png()), format="multipart"),
        client.delete(slot.path),
    ):
        assert response.status_code == 404
        assert "create it" in response.json()["detail"]
    assert stored_files() == []


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_other_account_type_gets_403_and_anonymous_401(slot, row, method):
    other = client_for(slot.other_factory())
    anonymous = client_for(None)

    assert getattr(other, method)(slot.path, upload(pictures.png()), format="multipart").status_code == 403
    assert (
        getattr(anonymous, method)(slot.path, upload(pictures.png()), format="multipart").status_code == 401
    )
    assert stored_files() == []


def test_each_owner_changes_only_their_own_picture(slot):
    mine, theirs = slot.factory(), slot.factory()
    client_for(theirs.user).put(slot.path, upload(pictures.png()), format="multipart")

    client_for(mine.user).delete(slot.path)

    theirs.refresh_from_db()
    assert getattr(theirs, slot.field)


def test_a_picture_in_a_json_body_is_ignored(slot, row, owner):
    response = owner.patch(
        f"/user/{slot.section}/{row.pk}", {slot.field: "photos/../../etc/passwd"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()[slot.field] is None


def test_the_thumbnail_is_a_centre_crop(slot, row, owner):
    """A 3:1 banner: the thumbnail keeps the middle third, so both colours still meet in its centre."""
    banner = io.BytesIO()
    image = Image.new("RGB", (900, 300), (0, 200, 0))
    image.paste(pictures.LEFT, (300, 0, 450, 300))
    image.paste(pictures.RIGHT, (450, 0, 600, 300))
    image.save(banner, "PNG")

    body = owner.put(slot.path, upload(banner.getvalue()), format="multipart").json()

    thumbnail = image_at(body[f"{slot.field}_thumbnail"]).convert("RGB")
    red, blue = thumbnail.getpixel((64, 128)), thumbnail.getpixel((192, 128))
    assert red[0] > 180 and red[2] < 60
    assert blue[2] > 180 and blue[0] < 60


def test_reading_a_candidates_profile_with_a_photo_costs_no_extra_query(django_assert_num_queries):
    row = ProfileFactory()
    client_for(row.user).put(PHOTO.path, upload(pictures.png()), format="multipart")
    recruiter = client_for(CompanyFactory())
    recruiter.get(f"/user/profile/{row.user_id}/user")  # the day's first read adds the cap's counter

    # The token's user, whether the candidate is readable, today's reads, the ledger row, the rows.
    with django_assert_num_queries(5):
        body = recruiter.get(f"/user/profile/{row.user_id}/user").json()

    assert body[0]["photo"].startswith("http://testserver/media/photos/")


@pytest.mark.parametrize(
    ("path", "answer"),
    [("/user/profile/photo", "Profile"), ("/user/company_profile/logo", "CompanyProfile")],
)
def test_the_schema_describes_the_multipart_body_and_the_answer(path, answer):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    put = schema["paths"][path]["put"]
    (media_type, body), *others = put["requestBody"]["content"].items()
    upload_schema = components[body["schema"]["$ref"].split("/")[-1]]
    answered = put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert (media_type, others) == ("multipart/form-data", [])
    assert upload_schema["properties"]["image"]["format"] == "binary"
    assert upload_schema["required"] == ["image"]
    assert answered == answer
    assert {"400", "404", "413"} <= set(put["responses"])
    assert "204" in schema["paths"][path]["delete"]["responses"]
    field = "photo" if answer == "Profile" else "logo"
    assert components[answer]["properties"][field] == {
        "type": "string",
        "format": "uri",
        "nullable": True,
        "readOnly": True,
    }


def test_picture_changes_are_throttled_per_account(slot, row, owner, settings):
    throttle_rates(settings, pictures="2/hour")

    first = owner.put(slot.path, upload(pictures.png(64, 64)), format="multipart")
    second = owner.delete(slot.path)
    refused = owner.put(slot.path, upload(pictures.png(64, 64)), format="multipart")
    someone_else = client_for(slot.factory().user).delete(slot.path)

    assert (first.status_code, second.status_code) == (200, 204)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert someone_else.status_code == 204
