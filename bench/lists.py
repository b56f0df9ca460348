"""Benchmark of the SPA's whole-table reads, over HTTP from gunicorn, against DRF's own path.

    DATABASE_URL=sqlite:////tmp/bench_lists.db nice .venv/bin/python -m bench.lists -n 100000
    createdb -h 127.0.0.1 -U postgres job_portal_bench14
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/job_portal_bench14
    nice .venv/bin/python -m bench.lists -n 100000

Use a throwaway database: the script migrates it and runs `insert_dev` (the demo companies, jobs and
questions) and `insert_dev --synthetic N --seed S` (deterministic; a larger N only adds the missing
developers), then VACUUM ANALYZE on PostgreSQL (as autovacuum soon would after a bulk load: the
planner's statistics, and the visibility map that lets index-only scans skip the table). It serves the
app with gunicorn (one worker, so its memory is the answer's) and, as a demo company with the SPA's
JWT header, measures for each whole-table GET the SPA makes:

  - the median wall time of --repeat full reads over HTTP (connect to last byte), and the size;
  - the median of 20 conditional reads with the answer's ETag (304, no body), where there is one;
  - the baseline: DRF's own path in this process (model instances through the view's serializer,
    the standard library's encoder), --baseline-repeat runs; the HTTP body must equal it byte for
    byte, and the ratio baseline / HTTP is printed (the baseline has no HTTP cost, so the ratio is
    conservative);
  - the worker's peak resident memory while answering (VmHWM, reset before each path);
  - for answers over 1 MB, gzip as Django's GZipMiddleware does it (compress_string, level 6), and at
    level 1 (what a proxy could use): the time it adds on the server, the bytes saved, and the
    end-to-end time on a 100 Mbit/s link with and without it (server time + compression + transfer
    + the client's decompression; the server time is the HTTP median above).

POST /user/recommend/list (the job page's largest answer) is timed as a reference for the gzip
decision. Absolute times depend on the shared machine; ratios within one run are the comparison.
"""

import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.core.management import call_command
from django.db import connection
from django.urls import resolve
from django.utils.text import compress_string
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from bench import synthetic_parser
from jobs.models import Job

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["/user/user_skills/list", "/user/list", "/job/list", "/job/skills", "/question/all"]
COMPANY_EMAIL = "northwind@company.example"  # a demo company (insert_dev), owner of demo jobs
LINK_BYTES_PER_SECOND = 100e6 / 8
GZIP_THRESHOLD = 2**20
CONDITIONAL_REPEAT = 20


def seed(candidates: int, seed_value: int) -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("insert_dev", stdout=quiet)
        call_command("insert_dev", synthetic=candidates, seed=seed_value, stdout=quiet)
    print(f"seeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with one worker on a free port, on the same database and settings as this process."""

    def __init__(self):
        self.port = free_port()
        env = {**os.environ, "PORT": str(self.port), "WEB_CONCURRENCY": "1", "GUNICORN_TIMEOUT": "600"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "job_portal.wsgi", "--config", "job_portal/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/health/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def reset_peak_memory(self) -> None:
        """Start VmHWM again from the current size (Linux; needs the right to write clear_refs)."""
        try:
            Path(f"/proc/{self.worker_pid()}/clear_refs").write_text("5")
        except PermissionError:
            print("cannot reset the worker's peak memory: peaks are cumulative", file=sys.stderr)

    def memory_megabytes(self, field: str) -> float:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise LookupError(field)

    def cpu_seconds(self) -> float:
        """The worker's user + system CPU time so far (steadier than wall time on a shared machine)."""
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed_request(self, method, path, headers=None, body=None):
        """`request` plus the worker CPU seconds it took."""
        before = self.cpu_seconds()
        result = self.request(method, path, headers, body)
        return (*result, self.cpu_seconds() - before)

    def request(self, method, path, headers=None, body=None):
        """(status, headers, body, seconds from connecting to the last byte)."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        return response.status, dict(response.getheaders()), content, time.perf_counter() - started

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def drf_baseline(path: str, user: UserAccount) -> bytes:
    """The list as DRF renders it: the view's queryset and filters, instances through its serializer."""
    match = resolve(path)
    request = APIRequestFactory().get(path)
    force_authenticate(request, user=user)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    view.request = view.initialize_request(request)
    view.format_kwarg = None
    queryset = view.filter_queryset(view.get_queryset())
    child = view.get_serializer_class()(context=view.get_serializer_context())
    return JSONRenderer().render(serializers.ListSerializer(queryset, child=child).data)


def median_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def gzip_costs(body: bytes, compress) -> tuple[float, int, float]:
    """(seconds to compress with `compress`, compressed bytes, seconds to decompress)."""
    seconds = median_time(lambda: compress(body), 3)
    compressed = compress(body)
    return seconds, len(compressed), median_time(lambda: gzip.decompress(compressed), 3)


COMPRESSORS = {
    "GZipMiddleware (level 6)": lambda body: compress_string(body, max_random_bytes=100),
    "gzip level 1": lambda body: gzip.compress(body, compresslevel=1, mtime=0),
}


def main(argv=None):
    parser = synthetic_parser(__doc__, repeat_help="HTTP reads per path")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of DRF's own path (default 1)")
    args = parser.parse_args(argv)

    seed(args.candidates, args.seed)
    company = UserAccount.objects.get(email=COMPANY_EMAIL)
    job = Job.objects.filter(user=company).order_by("id").first()
    auth = {"Authorization": f"JWT {AccessToken.for_user(company)}"}
    listed = UserAccount.objects.listed_candidates().count()
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()

    server = Server()
    rows, mismatches = [], 0
    try:
        server.request("GET", "/job/list", auth)  # warm up: imports, URL resolver, connection
        idle = server.memory_megabytes("VmRSS")
        # The floor of any answer here: connect, middleware, one query, a tiny body.
        floor = statistics.median(server.request("GET", "/health/")[3] for _ in range(CONDITIONAL_REPEAT))
        for path in PATHS:
            server.reset_peak_memory()
            timings = [server.timed_request("GET", path, auth) for _ in range(args.repeat)]
            status, headers, body, _, _ = timings[-1]
            assert status == 200, (path, status, body[:300])
            http_time = statistics.median(t[3] for t in timings)
            cpu_time = statistics.median(t[4] for t in timings)
            peak = server.memory_megabytes("VmHWM")
            etag = headers.get("ETag")
            not_modified = None
            if etag:
                conditional = [
                    server.request("GET", path, {**auth, "If-None-Match": etag})
                    for _ in range(CONDITIONAL_REPEAT)
                ]
                assert all(c[0] == 304 and c[2] == b"" for c in conditional), path
                not_modified = statistics.median(c[3] for c in conditional)
            baseline_times, baseline_body = [], b""
            for _ in range(args.baseline_repeat):
                started = time.perf_counter()
                baseline_body = drf_baseline(path, company)
                baseline_times.append(time.perf_counter() - started)
            baseline = statistics.median(baseline_times)
            same = body == baseline_body
            mismatches += not same
            rows.append((path, len(body), http_time, cpu_time, not_modified, baseline, same, peak, body))

        server.reset_peak_memory()
        recommend = [
            server.timed_request(
                "POST", "/user/recommend/list", {**auth, "Content-Type": "application/json"},
                json.dumps({"job": job.pk}),
            )
            for _ in range(args.repeat)
        ]  # fmt: skip
        assert recommend[-1][0] == 200, recommend[-1][2][:300]
        rows.append(
            (
                "POST /user/recommend/list (reference)",
                len(recommend[-1][2]),
                statistics.median(r[3] for r in recommend),
                statistics.median(r[4] for r in recommend),
                None,
                None,
                None,
                server.memory_megabytes("VmHWM"),
                recommend[-1][2],
            )
        )
    finally:
        server.stop()

    print(
        f"\n{connection.vendor} | listed candidates {listed} | commit {commit} | medians of {args.repeat} "
        f"(304: {CONDITIONAL_REPEAT}, DRF baseline: {args.baseline_repeat}) | worker idle RSS {idle:.0f} MB"
        f" | GET /health/ {floor * 1000:.1f} ms"
        f" | load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        "| DB | path | size MB | HTTP s | worker CPU s | 304 ms | DRF path s | DRF / HTTP | same bytes |"
        " worker peak MB |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    for path, size, http_time, cpu_time, not_modified, baseline, same, peak, _ in rows:
        print(
            f"| {connection.vendor} | `{path}` | {size / 2**20:.2f} | {http_time:.3f} | {cpu_time:.3f} | "
            f"{'-' if not_modified is None else f'{not_modified * 1000:.1f}'} | "
            f"{'-' if baseline is None else f'{baseline:.3f}'} | "
            f"{'-' if baseline is None else f'{baseline / http_time:.1f}x'} | "
            f"{'-' if same is None else ('yes' if same else 'NO')} | {peak:.0f} |"
        )

    print(
        "\ngzip for answers over 1 MB; end-to-end = server + compression + transfer at 100 Mbit/s"
        " + decompression:\n"
        "| DB | path | MB | plain end-to-end s | encoder | gzip MB | compress s | decompress s |"
        " gzip end-to-end s |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    for path, size, http_time, _, _, _, _, _, body in rows:
        if size <= GZIP_THRESHOLD:
            continue
        plain = http_time + size / LINK_BYTES_PER_SECOND
        for encoder, compress in COMPRESSORS.items():
            seconds, compressed, decompress = gzip_costs(body, compress)
            zipped = http_time + seconds + compressed / LINK_BYTES_PER_SECOND + decompress
            print(
                f"| {connection.vendor} | `{path}` | {size / 2**20:.2f} | {plain:.3f} | {encoder} | "
                f"{compressed / 2**20:.2f} | {seconds:.3f} | {decompress:.3f} | {zipped:.3f} |"
            )
    if mismatches:
        print(f"MISMATCH: {mismatches} path(s) differ from DRF's own output", file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
