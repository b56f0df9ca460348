"""Demo companies get a logo drawn by Pillow from code, stored like an upload; a dry run stores none."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from helpers.testing import client_for
from profiles.models import Company
from seeding.demo import DEMO_COMPANIES
from seeding.logos import demo_logo_png, initials

pytestmark = pytest.mark.django_db


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


def load_demo(*args):
    call_command("insert_dev", *args, stdout=StringIO(), stderr=StringIO())


def test_demo_companies_with_colours_read_a_logo_the_others_null(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    for demo in DEMO_COMPANIES:
        company = Company.objects.get(user__email=demo.email)
        body = client_for(company.user).get("/user/company_profile").json()[0]
        if demo.logo_colours is None:
            assert body["logo"] is None
            continue
        logo_path = Path(settings.MEDIA_ROOT) / company.logo.name
        logo = Image.open(logo_path)
        assert body["logo"] == f"http://testserver/media/{company.logo.name}"
        assert (logo.format, logo.mode, logo.size) == ("PNG", "RGBA", (512, 512))
        assert logo.getpixel((0, 0))[3] == 0  # the tile's rounded corner is transparent
        assert logo.getpixel((256, 40))[:3] == demo.logo_colours[0]
        assert Image.open(Path(settings.MEDIA_ROOT) / company.logo_thumbnail.name).size == (256, 256)
    assert len(stored_files()) == 2 * sum(demo.logo_colours is not None for demo in DEMO_COMPANIES)


def test_a_dry_run_leaves_no_logo_file(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--dry-run")

    assert stored_files() == []
    assert not Company.objects.exists()


def test_synthetic_developers_get_no_pictures(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--synthetic", "5")

    assert stored_files() == []


def test_the_drawing_is_deterministic_and_shows_the_initials():
    first = demo_logo_png("Northwind Apps", (24, 64, 120), (120, 200, 255))

    assert first == demo_logo_png("Northwind Apps", (24, 64, 120), (120, 200, 255))
    assert first != demo_logo_png("BluePeak Analytics", (24, 64, 120), (120, 200, 255))
    assert initials("Northwind Apps") == "NA"
    assert initials("lumen") == "L"
    assert initials("") == "?"
