"""The recruiter lists at 10k, 100k and 1M candidates, each next to its SQL floor, and the curve.

    .venv/bin/python -m bench.scale postgres://postgres@127.0.0.1:5432/bench_10k \\
        postgres://postgres@127.0.0.1:5432/bench_100k postgres://postgres@127.0.0.1:5432/bench_1m \\
        --png docs/scaling-curve.png

Each database must be seeded already (`insert_dev --synthetic N --synthetic-jobs M --seed 1`, which
also VACUUMs); the bench only reads. For each one a child process serves the app with gunicorn (one
worker, so its memory is the answer's) and measures, as a synthetic company with the SPA's JWT:

  - GET /user/list?limit=20: the first request of a data version and the median of the next
    --repeat; floor: the page's SELECT plus the count the list uses, in SQL (on PostgreSQL the sum of
    the listed candidates' block counts, profiles.listed; elsewhere counting the rows, then cached);
  - GET /user/list?limit=20&offset=N-20 against the cursor page at the same depth (the cursor a
    `next` link would carry there); floors: the blocks' seek plus the page's SELECT from the block it
    found (a plain OFFSET in SQL, which skips N entries, is shown beside it), and `id > last`;
  - GET /user/user_skills/list whole (streamed): time, size and the worker's peak RSS above its
    size before; floor: the same rows read in SQL through a server-side cursor;
  - 304 revalidation of GET /user/list?limit=20 (If-None-Match); floor: the version's SELECT;
  - GET /health/: the HTTP floor (a new connection, gunicorn, middleware) every answer pays here.

Times are medians in ms (the whole read: one run, seconds). Absolute times depend on the shared
machine; the ratio to the floor measured in the same run is the comparison.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = [
    ("first page, first of a data version", "first_cold", "first_floor"),
    ("first page, again", "first", "page_floor"),
    ("offset N-20", "offset", "offset_floor"),
    ("cursor at N-20", "cursor", "cursor_floor"),
    ("304 revalidation", "not_modified", "version_floor"),
]
HTTP_FLOOR = "health"
"""GET /health/ over the same HTTP path: what any answer costs here before the view's own work."""


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(repeat: int) -> dict:
    """One database (DATABASE_URL): every figure of the module docstring, as a dict."""
    import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

    # isort: split

    from django.db import connection, transaction
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import UserAccount
    from bench.lists import Server
    from helpers.pagination import cursor_encode
    from profiles import listed as listed_index
    from profiles.models import UserSkill

    company = UserAccount.objects.filter(type="company").order_by("id").first()
    listed = UserAccount.objects.listed_candidates()
    count = listed.count()
    depth = max(count - 20, 0)
    last_id = listed.values_list("id", flat=True)[depth - 1 : depth][0] if depth else 0
    page = listed.values_list("id", "name", "type")

    def sql(queryset, chunked=False):
        query, params = queryset.query.sql_with_params()

        def run():
            if not chunked:
                with connection.cursor() as cursor:
                    cursor.execute(query, params)
                    return cursor.fetchall()
            with transaction.atomic(), connection.chunked_cursor() as cursor:
                cursor.execute(query, params)
                while cursor.fetchmany(5000):
                    pass

        return run

    using = connection.alias
    blocks = listed_index.available(using)

    def list_count():
        return listed_index.listed_count(using) if blocks else listed.count()

    def floor_first():
        sql(page[:20])()
        list_count()

    def floor_offset():
        if not blocks:
            return sql(page[depth : depth + 20])()
        first, skip = listed_index.listed_seek(depth, using)
        sql(page.filter(id__gte=first)[skip : skip + 20])()

    skills = UserSkill.objects.filter(user__in=listed.values("pk")).order_by("user_id", "id")
    floors = {
        "page_floor": median_ms(floor_first if blocks else sql(page[:20]), repeat),
        "first_floor": median_ms(floor_first, repeat),
        "offset_floor": median_ms(floor_offset, repeat),
        "offset_plain": median_ms(sql(page[depth : depth + 20]), repeat),
        "cursor_floor": median_ms(sql(page.filter(id__gt=last_id)[:20]), repeat),
        "version_floor": median_ms(
            lambda: connection.cursor().execute(
                "SELECT version FROM profiles_candidatedataversion WHERE id = 1"
            ),
            repeat,
        ),
        "skills_floor_s": median_ms(
            sql(skills.values_list("id", "user_id", "name", "rating"), chunked=True), 1
        )
        / 1000,
    }
    auth = {"Authorization": f"JWT {AccessToken.for_user(company)}"}
    server = Server()
    try:

        def get(path, headers=None, expect=200):
            status, answer_headers, body, seconds = server.request("GET", path, {**auth, **(headers or {})})
            assert status == expect, (path, status, body[:200])
            return answer_headers, body, seconds

        _, _, first_cold = get("/user/list?limit=20")  # the server's first count of this version
        headers, _, _ = get("/user/list?limit=20")
        cursor = cursor_encode(["id"], [last_id])
        figures = {
            "candidates": count,
            "skills": skills.count(),
            "first_cold": first_cold * 1000,
            "first": median_ms(lambda: get("/user/list?limit=20"), repeat),
            "offset": median_ms(lambda: get(f"/user/list?limit=20&offset={depth}"), repeat),
            "cursor": median_ms(lambda: get(f"/user/list?limit=20&cursor={cursor}"), repeat),
            "health": median_ms(lambda: server.request("GET", "/health/"), repeat),
            "not_modified": median_ms(
                lambda: get("/user/list?limit=20", {"If-None-Match": headers["ETag"]}, 304), repeat
            ),
        }
        before = server.memory_megabytes("VmRSS")
        server.reset_peak_memory()
        _, body, seconds = get("/user/user_skills/list")
        figures |= {
            "skills_s": seconds,
            "skills_mb": len(body) / 1e6,
            "skills_rss_mb": server.memory_megabytes("VmHWM") - before,
            "worker_rss_mb": before,
        }
        assert len(json.loads(body)) == figures["skills"]
    finally:
        server.stop()
    return figures | floors


def report(points: list[dict]) -> None:
    print("| candidates | " + " | ".join(f"{p['candidates']:,}" for p in points) + " |")
    print("|---" * (len(points) + 1) + "|")
    for label, key, floor in ROWS:
        cells = [f"{p[key]:.1f} ms (floor {p[floor]:.1f}, x{p[key] / p[floor]:.1f})" for p in points]
        if key == "offset":
            plain = [f"; plain OFFSET {p['offset_plain']:.1f}" for p in points]
            cells = [cell + extra for cell, extra in zip(cells, plain, strict=True)]
        print(f"| {label} | " + " | ".join(cells) + " |")
    cells = [
        f"{p['skills_s']:.2f} s, {p['skills_mb']:.0f} MB, +{p['skills_rss_mb']:.0f} MB RSS "
        f"(floor {p['skills_floor_s']:.2f} s, x{p['skills_s'] / p['skills_floor_s']:.1f})"
        for p in points
    ]
    rows = ", ".join(f"{p['skills']:,}" for p in points)
    print(f"| user_skills whole ({rows} rows) | " + " | ".join(cells) + " |")
    print("| GET /health/ (HTTP floor) | " + " | ".join(f"{p[HTTP_FLOOR]:.1f} ms" for p in points) + " |")


def plot(points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    x = [p["candidates"] for p in points]
    figure, (left, right) = pyplot.subplots(1, 2, figsize=(12, 4.8))
    for (label, key, floor), colour in zip(ROWS, ["C0", "C1", "C2", "C3", "C4"], strict=True):
        left.plot(x, [p[key] for p in points], "o-", color=colour, label=label)
        left.plot(x, [p[floor] for p in points], ":", color=colour, alpha=0.7)
    left.plot(x, [p[HTTP_FLOOR] for p in points], "--", color="grey", label="GET /health/ (HTTP floor)")
    left.axhline(50, color="grey", linewidth=0.8, linestyle="-.")
    left.set(xscale="log", yscale="log", xlabel="candidates", ylabel="ms (dotted: SQL floor)")
    left.set_title("GET /user/list over HTTP")
    left.legend(fontsize=8)
    right.plot(x, [p["skills_s"] for p in points], "o-", label="streamed whole read (s)")
    right.plot(x, [p["skills_floor_s"] for p in points], ":", label="SQL floor (s)")
    right.set(xscale="log", yscale="log", xlabel="candidates", ylabel="seconds")
    twin = right.twinx()
    twin.plot(x, [p["skills_rss_mb"] for p in points], "s--", color="C3", label="worker RSS growth (MB)")
    twin.set_ylabel("MB")
    twin.set_ylim(0, max(50, *(p["skills_rss_mb"] * 1.2 for p in points)))
    right.set_title("GET /user/user_skills/list (every skill)")
    right.legend(loc="upper left", fontsize=8)
    twin.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("databases", nargs="*", help="DATABASE_URL of each seeded database, smallest first")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--png", type=Path, help="write the curve here (matplotlib)")
    parser.add_argument("--point", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.point:
        print(json.dumps(measure(args.repeat)))
        return
    points = []
    for url in args.databases:
        child = subprocess.run(
            [sys.executable, "-m", "bench.scale", "--point", "--repeat", str(args.repeat)],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if child.returncode:
            sys.exit(f"{url}: {child.stderr[-2000:]}")
        points.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"{url}: {points[-1]}", file=sys.stderr)
    report(points)
    if args.png:
        plot(points, args.png)
        print(f"curve: {args.png}")


if __name__ == "__main__":
    main()
