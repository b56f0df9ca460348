"""Uploaded pictures (candidate photos, company logos), verified and re-encoded with Pillow.

Pure: bytes in, bytes out, no Django (the profiles app stores the result). `picture_from_upload`
states the whole contract:

- What a file is comes from its content, never its name or declared type. Only Pillow's PNG, JPEG
  and WebP decoders are ever tried, so no other decoder touches hostile bytes; anything else (a
  script named `.png`, an SVG, a PDF, a GIF) is `unsupported_format`.
- More than `max_bytes` is `too_large`; no more than `max_bytes + 1` bytes are read to tell.
- Width x height above `max_pixels` is `too_many_pixels`, decided from the header before a pixel is
  decoded (a 30,000 x 30,000 PNG is a few hundred kilobytes on disk and 900 MB in memory).
- More than one frame (APNG, animated WebP) is `animated`, except a camera's multi-picture JPEG
  (MPO), whose first image is the photo; truncated or corrupt data is `corrupt`, including a PNG
  whose image data is well-formed but ends before the rows its header promises (Pillow would
  fill the rest with black and store a 5000 x 5000 picture made of one row).
- The result is new pixels, never the uploaded bytes: the EXIF orientation is applied first, colour
  is converted to sRGB (through the embedded ICC profile when there is one), and the files are
  written without EXIF, XMP, ICC profile or text chunks, so GPS positions and camera serials are gone.
- The picture is at most `MAX_SIDE` px on its longer side (smaller pictures keep their size); the
  thumbnail is a `THUMBNAIL_SIDE` px square cropped from the centre.
- Pictures with transparency are stored as PNG, every other picture as JPEG.
"""

import io
import math
import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
MAX_SIDE = 1024
THUMBNAIL_SIDE = 256
JPEG_QUALITY = 85

_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey+alpha, RGBA
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_STEP = 1 << 20

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PictureRejected(ValueError):
    """The upload is not a picture we store; `code` says why, the message says it to the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Picture:
    picture: bytes
    thumbnail: bytes
    extension: str  # "png" or "jpg", for both files
    width: int
    height: int


def picture_from_upload(upload: BinaryIO, *, max_bytes: int, max_pixels: int) -> Picture:
    """The stored forms of `upload` (a binary file object), or `PictureRejected` (see the module doc)."""
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PictureRejected("too_large", f"The file is larger than {_megabytes(max_bytes)}.")
    image = _decoded(data, max_pixels)
    image = _upright_srgb(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(image, (THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    image_format = "PNG" if image.mode == "RGBA" else "JPEG"
    return Picture(
        picture=_encoded(image, image_format),
        thumbnail=_encoded(thumbnail, image_format),
        extension="png" if image_format == "PNG" else "jpg",
        width=image.width,
        height=image.height,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _too_many_pixels(max_pixels: int, size: str = "") -> PictureRejected:
    return PictureRejected(
        "too_many_pixels",
        f"The image{size} has more than {max_pixels / 1e6:g} megapixels; upload a smaller one.",
    )


def _opened(data: bytes, max_pixels: int) -> Image.Image:
    """Pillow reads only the header here; its own bomb check (far above ours) is mapped to our code."""
    try:
        return Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(max_pixels) from error
    except Image.UnidentifiedImageError as error:
        raise PictureRejected("unsupported_format", "Upload a PNG, JPEG or WebP image.") from error
    except Exception as error:  # any decoder failure on a header means the file is damaged
        raise PictureRejected("corrupt", "The image is damaged or truncated.") from error


def _decoded(data: bytes, max_pixels: int) -> Image.Image:
    """Check the header (pixels, frames, structure) before decoding, then decode every pixel."""
    image = _opened(data, max_pixels)
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels, f" ({image.width} x {image.height} pixels)")
    # A camera's MPO (a JPEG with depth or stereo images after it) is a still photo: its first frame.
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise PictureRejected("animated", "Animated images are not accepted; upload a still image.")
    try:
        image.verify()
        if image.format == "PNG" and not _png_rows_complete(data):
            raise PictureRejected("corrupt", "The image is damaged or truncated.")
        image = _opened(data, max_pixels)
        # JPEGs decode at a reduced scale (1/2 to 1/8) when that still covers the stored size.
        image.draft(image.mode, _stored_size(image.size))
        image.load()
    except PictureRejected:
        raise
    except Exception as error:  # truncated data, bad checksums, broken streams: Pillow raises many kinds
        raise PictureRejected("corrupt", "The image is damaged or truncated.") from error
    return image


def _png_rows_complete(data: bytes) -> bool:
    """Whether a PNG's image data inflates to every scanline its header promises.

    Pillow's decoder stops quietly when the zlib stream ends early. Inflated in 1 MB steps and only
    as far as the expected length, so memory stays small and the cost is at most one more inflate.
    """
    header, image_data, position = None, [], 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        payload = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", payload[:13])
        elif kind == b"IDAT":
            image_data.append(payload)
        elif kind == b"IEND":
            break
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    bits = _PNG_CHANNELS[colour_type] * depth
    expected = 0
    for x0, y0, dx, dy in _ADAM7 if interlace else ((0, 0, 1, 1),):
        columns, rows = -(-max(0, width - x0) // dx), -(-max(0, height - y0) // dy)
        if columns and rows:
            expected += rows * (1 + (columns * bits + 7) // 8)  # a filter byte, then the pixels
    inflater, produced = zlib.decompressobj(), 0
    for chunk in image_data:
        while produced < expected:
            out = inflater.decompress(chunk, _INFLATE_STEP)
            chunk = inflater.unconsumed_tail
            produced += len(out)
            if not out and not chunk:
                break
    return produced >= expected


def _stored_size(size: tuple[int, int]) -> tuple[int, int]:
    """`size` shrunk so its longer side is at most MAX_SIDE (what `Image.thumbnail` will make)."""
    ratio = min(1.0, MAX_SIDE / max(size))
    return (math.ceil(size[0] * ratio), math.ceil(size[1] * ratio))


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _upright_srgb(image: Image.Image) -> Image.Image:
    """Orientation applied, then RGB or RGBA in sRGB; the result carries no metadata at all."""
    image = ImageOps.exif_transpose(image)
    mode = "RGBA" if _has_transparency(image) else "RGB"
    icc_profile = image.info.get("icc_profile")
    converted = None
    if icc_profile:
        source_mode = image.mode if image.mode in ("RGB", "RGBA", "CMYK", "L") else mode
        try:
            converted = ImageCms.profileToProfile(
                image.convert(source_mode),
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                _SRGB,
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # an unreadable or mismatched profile: fall back to Pillow's conversion
    if converted is None:
        if image.mode in ("I", "I;16", "I;16B", "I;16L"):
            image = image.point(lambda value: value / 256).convert("L")
        converted = image.convert(mode)
    converted.info = {}
    return converted


def _encoded(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    image.info = {}
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
