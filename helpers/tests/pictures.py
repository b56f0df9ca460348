"""Real image files made by Pillow for the picture tests, and the hostile files the upload must refuse.

Each returns the file's bytes. Pure (no Django), shared by the helpers and profiles tests.
"""

import io
import struct
import zlib

from PIL import Image, ImageCms

ORIENTATION = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
BODY_SERIAL_NUMBER = 0xA431
ROTATE_90_CW = 6  # EXIF: the stored pixels must be turned 90 degrees clockwise to stand upright

# The upright picture of the tests: wider than tall, red on the left half, blue on the right.
LEFT, RIGHT = (220, 20, 20), (20, 20, 220)


def two_tone(width=1600, height=1000, mode="RGB"):
    image = Image.new("RGB", (width, height), LEFT)
    image.paste(RIGHT, (width // 2, 0, width, height))
    return image.convert(mode)


def encoded(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def png(width=1600, height=1000):
    return encoded(two_tone(width, height), "PNG")


def transparent_png(width=300, height=200):
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((0, 160, 0, 255), (0, 0, width // 2, height))
    return encoded(image, "PNG")


def webp(width=1600, height=1000):
    return encoded(two_tone(width, height), "WEBP", quality=90)


def exif_jpeg():
    """A phone photo: pixels stored on their side with orientation 6, a GPS position and a serial.

    Upright it is `two_tone(1600, 1000)`; stored, it is that picture turned 90 degrees anticlockwise.
    """
    stored = two_tone(1600, 1000).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CW
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL_NUMBER] = "CAMERA-SERIAL-0042"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (33.0, 41.0, 3.5), 3: "E", 4: (73.0, 2.0, 51.0)})
    return encoded(stored, "JPEG", exif=exif, quality=92)


def multi_picture_jpeg():
    """A camera's MPO: the photo, then a second (depth-map-like) image, in one JPEG file."""
    depth = Image.new("RGB", (1600, 1000), (0, 0, 0))
    return encoded(two_tone(1600, 1000), "MPO", save_all=True, append_images=[depth])


def cmyk_jpeg(width=800, height=500):
    return encoded(two_tone(width, height, mode="CMYK"), "JPEG", quality=92)


def icc_profile_png():
    """An RGB PNG carrying an ICC profile (sRGB: the only RGB one Pillow makes); stored ones carry none."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(two_tone(400, 250), "PNG", icc_profile=profile)


def animated(image_format, frames=3):
    images = [Image.new("RGB", (64, 64), (40 * i, 0, 0)) for i in range(frames)]
    return encoded(images[0], image_format, save_all=True, append_images=images[1:], duration=100, loop=0)


PHP_NAMED_PNG = b"<?php system($_GET['cmd']); ?>\n"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/auth/users/me/').then(r => r.text()).then(alert)</script>"
    b'<rect width="10" height="10" fill="red"/></svg>\n'
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def truncated_jpeg():
    data = encoded(Image.effect_noise((800, 600), 64).convert("RGB"), "JPEG", quality=90)
    return data[: len(data) // 2]


def _png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def decompression_bomb_png(side=30_000):
    """A valid 1-bit `side` x `side` PNG, all black: about 110 KB on disk, `side`**2 pixels decoded."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def oversized_png(size):
    """A valid PNG padded with trailing bytes to `size` bytes: refused for its size alone."""
    data = png(64, 64)
    return data + b"\x00" * (size - len(data))


_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def hand_made_png(width, height, *, scanlines=None, interlaced=False, stream_cut=0):
    """An 8-bit RGB PNG written by hand (Pillow writes no interlaced PNG): grey, filter 0 rows.

    `scanlines` keeps only that many rows of image data; `stream_cut` drops that many bytes from the
    end of the zlib stream. Either way the file stays well-formed: valid checksums, an IEND.
    """
    rows = []
    for x0, y0, dx, dy in _ADAM7 if interlaced else ((0, 0, 1, 1),):
        columns, count = -(-max(0, width - x0) // dx), -(-max(0, height - y0) // dy)
        if columns and count:
            rows += [b"\x00" + b"\x80" * 3 * columns] * count
    stream = zlib.compress(b"".join(rows[:scanlines]))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, int(interlaced))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", stream[: len(stream) - stream_cut])
        + _png_chunk(b"IEND", b"")
    )
