"""Demo company logos, drawn by Pillow from code (no binary files in the repository).

`demo_logo_png` is deterministic: the same name and colours give the same PNG bytes, so the demo
data stays reproducible. The logo then takes the same road as an upload (helpers.images checks and
re-encodes it, profiles.pictures stores it).
"""

import io

from PIL import Image, ImageDraw, ImageFont

SIDE = 512


def initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def demo_logo_png(name: str, background: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A square logo: a rounded tile in `background`, an `accent` ring, the name's initials in white."""
    image = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, SIDE - 16, SIDE - 16), radius=96, fill=background)
    draw.ellipse((96, 96, SIDE - 96, SIDE - 96), outline=accent, width=28)
    font = ImageFont.load_default(size=150)
    draw.text((SIDE / 2, SIDE / 2), initials(name), font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
