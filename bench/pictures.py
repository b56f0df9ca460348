"""Benchmark of helpers.images.picture_from_upload against a plain Pillow decode of the same file.

    nice .venv/bin/python -m bench.pictures [--repeat 5]

For each input (a 24-megapixel camera JPEG, a 1600 x 1000 PNG, a 4000 x 3000 WebP) it prints the median
time of the full pipeline (verify, decode, orient, sRGB, resize, thumbnail, two encodes) and of
`Image.open(...).load()` alone, and their ratio. Large JPEGs are decoded at a reduced DCT scale
(`draft`), which saves memory more than time.
"""

import argparse
import io
import statistics
import time

from PIL import Image

from helpers.images import picture_from_upload


def camera_like(width, height):
    """Smooth gradients plus sensor-like noise: compresses like a photo, not like a flat colour."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(gradient, noise, 0.3)


def encoded(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def median_seconds(work, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_decode(data):
    Image.open(io.BytesIO(data)).load()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    inputs = {
        "jpeg 6000x4000": encoded(camera_like(6000, 4000), "JPEG", quality=85),
        "png 1600x1000": encoded(camera_like(1600, 1000), "PNG"),
        "webp 4000x3000": encoded(camera_like(4000, 3000), "WEBP", quality=80),
    }
    print(f"{'input':<16} {'bytes':>10} {'pipeline ms':>12} {'decode ms':>10} {'ratio':>6}")
    for name, data in inputs.items():
        pipeline = median_seconds(
            lambda data=data: picture_from_upload(
                io.BytesIO(data), max_bytes=len(data), max_pixels=25_000_000
            ),
            args.repeat,
        )
        decode = median_seconds(lambda data=data: plain_decode(data), args.repeat)
        timings = f"{pipeline * 1000:>12.1f} {decode * 1000:>10.1f} {pipeline / decode:>6.2f}"
        print(f"{name:<16} {len(data):>10} {timings}")


if __name__ == "__main__":
    main()
