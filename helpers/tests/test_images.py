"""helpers.images without Django: real pictures come back upright, sRGB, bare and within the sizes;
hostile files are refused, each for its own reason."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from helpers.images import MAX_SIDE, THUMBNAIL_SIDE, PictureRejected, picture_from_upload
from helpers.tests import pictures

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000


def processed(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS):
    return picture_from_upload(io.BytesIO(data), max_bytes=max_bytes, max_pixels=max_pixels)


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_two_tone_upright(image):
    """Red on the left, blue on the right, as `pictures.two_tone` was drawn (JPEG: within a few levels)."""
    left = image.convert("RGB").getpixel((image.width // 8, image.height // 2))
    right = image.convert("RGB").getpixel((image.width * 7 // 8, image.height // 2))
    assert all(abs(a - b) <= 8 for a, b in zip(left, pictures.LEFT, strict=True)), left
    assert all(abs(a - b) <= 8 for a, b in zip(right, pictures.RIGHT, strict=True)), right


def assert_no_metadata(image):
    assert not image.getexif()
    assert "icc_profile" not in image.info
    assert "exif" not in image.info
    assert not getattr(image, "text", {})


ACCEPTED = {
    "png": (pictures.png, (1024, 640)),
    "webp": (pictures.webp, (1024, 640)),
    "jpeg with EXIF rotation, GPS and serial": (pictures.exif_jpeg, (1024, 640)),
    "cmyk jpeg": (pictures.cmyk_jpeg, (800, 500)),
    "multi-picture jpeg from a camera": (pictures.multi_picture_jpeg, (1024, 640)),
    "png with an ICC profile": (pictures.icc_profile_png, (400, 250)),
    "small png": (lambda: pictures.png(200, 100), (200, 100)),
    "large jpeg, decoded at half scale": (
        lambda: pictures.encoded(pictures.two_tone(4100, 2050), "JPEG"),
        (1024, 512),
    ),
}


@pytest.mark.parametrize(("make", "size"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_pictures_come_back_upright_srgb_bare_and_within_the_sizes(make, size):
    result = processed(make())

    picture, thumbnail = opened(result.picture), opened(result.thumbnail)
    assert (picture.format, picture.mode, picture.size) == ("JPEG", "RGB", size)
    assert (result.width, result.height, result.extension) == (*size, "jpg")
    assert (thumbnail.format, thumbnail.mode, thumbnail.size) == ("JPEG", "RGB", (256, 256))
    assert_two_tone_upright(picture)
    assert_two_tone_upright(thumbnail)
    assert_no_metadata(picture)
    assert_no_metadata(thumbnail)


def test_the_exif_orientation_is_applied_before_anything_else():
    stored = opened(pictures.exif_jpeg())
    assert stored.size == (1000, 1600)  # on its side, as a phone writes it

    picture = opened(processed(pictures.exif_jpeg()).picture)

    assert picture.size == (1024, 640)
    assert_two_tone_upright(picture)


def test_gps_position_and_camera_serial_are_gone_from_the_bytes():
    original = pictures.exif_jpeg()
    assert b"CAMERA-SERIAL-0042" in original

    result = processed(original)

    for data in (result.picture, result.thumbnail):
        assert b"CAMERA-SERIAL-0042" not in data
        assert b"Exif" not in data
        assert opened(data).getexif().get_ifd(0x8825) == {}


def test_a_transparent_png_stays_a_png_with_its_transparency():
    result = processed(pictures.transparent_png())

    picture = opened(result.picture)
    assert (picture.format, picture.mode, result.extension) == ("PNG", "RGBA", "png")
    assert picture.getpixel((10, 10)) == (0, 160, 0, 255)
    assert picture.getpixel((290, 10))[3] == 0
    assert opened(result.thumbnail).size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE)


def test_a_tall_picture_is_bounded_by_its_longer_side():
    result = processed(pictures.png(1200, 3000))

    assert max(result.width, result.height) == MAX_SIDE
    assert (result.width, result.height) == (410, 1024)


def test_the_stored_bytes_are_never_the_uploaded_bytes():
    small = pictures.png(100, 60)

    assert processed(small).picture != small


def test_a_payload_hidden_after_a_real_image_is_not_stored():
    polyglot = pictures.png(300, 200) + pictures.PHP_NAMED_PNG

    result = processed(polyglot)

    assert b"<?php" not in result.picture
    assert b"<?php" not in result.thumbnail


HOSTILE = {
    "php script named .png": (pictures.PHP_NAMED_PNG, "unsupported_format"),
    "svg with a script": (pictures.SVG_WITH_SCRIPT, "unsupported_format"),
    "pdf": (pictures.PDF, "unsupported_format"),
    "animated gif": (pictures.animated("GIF"), "unsupported_format"),
    "animated png": (pictures.animated("PNG"), "animated"),
    "animated webp": (pictures.animated("WEBP"), "animated"),
    "truncated jpeg": (pictures.truncated_jpeg(), "corrupt"),
    "png claiming 5000 x 5000 over one row": (pictures.hand_made_png(5000, 5000, scanlines=1), "corrupt"),
    "png missing its last row": (pictures.hand_made_png(300, 200, scanlines=199), "corrupt"),
    "interlaced png missing its last pass": (
        pictures.hand_made_png(300, 200, scanlines=-100, interlaced=True),
        "corrupt",
    ),
    "png whose zlib stream stops early": (pictures.hand_made_png(300, 200, stream_cut=20), "corrupt"),
    "30,000 x 30,000 png": (pictures.decompression_bomb_png(), "too_many_pixels"),
    "6 MB file": (pictures.oversized_png(6 * 1024 * 1024), "too_large"),
    "empty file": (b"", "unsupported_format"),
}


@pytest.mark.parametrize(("data", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_refused_with_their_reason(data, code):
    with pytest.raises(PictureRejected) as refused:
        processed(data)

    assert refused.value.code == code
    assert refused.value.message


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_complete_pngs_of_every_pixel_layout_are_accepted(mode):
    """The row count behind the truncation check holds for every bit depth and colour type."""
    assert processed(pictures.encoded(pictures.two_tone(301, 203, mode), "PNG")).width == 301


@pytest.mark.parametrize("interlaced", [False, True])
@pytest.mark.parametrize("size", [(300, 200), (1, 1), (3, 9), (5000, 1)])
def test_complete_hand_made_pngs_are_accepted_interlaced_or_not(size, interlaced):
    assert processed(pictures.hand_made_png(*size, interlaced=interlaced)).width == min(size[0], MAX_SIDE)


def test_the_bomb_is_tiny_on_disk():
    assert len(pictures.decompression_bomb_png()) < 200_000


def test_pixels_over_the_limit_are_refused_from_the_header():
    """36 megapixels, under Pillow's own bomb threshold: our limit decides, naming the size."""
    with pytest.raises(PictureRejected) as refused:
        processed(pictures.decompression_bomb_png(side=6000))

    assert refused.value.code == "too_many_pixels"
    assert "6000 x 6000" in refused.value.message


def test_the_limits_are_parameters():
    with pytest.raises(PictureRejected, match="larger than"):
        processed(pictures.png(64, 64), max_bytes=100)
    with pytest.raises(PictureRejected, match="megapixels"):
        processed(pictures.png(64, 64), max_pixels=64 * 64 - 1)
    assert processed(pictures.png(64, 64), max_pixels=64 * 64).width == 64


def test_the_image_module_imports_no_django():
    code = "import sys, helpers.images; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
        cwd=Path(__file__).resolve().parents[2],
    )

    assert result.stdout.strip() == "[]"
