"""Benchmark of a page of jobs for a developer (`GET /job/recommended?limit=20`, jobs.topk_jobs), next to
the whole list it is a slice of.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/python -m bench.recommended_jobs
    DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/python -m bench.recommended_jobs --developers 20

Use a database seeded with `insert_dev --synthetic N --synthetic-jobs M` (it is only read). The app is
served by gunicorn (one worker, bench/lists.py's Server); for --developers random developers
(the same for a seed) it times, as each developer with the SPA's JWT over HTTP:

  - the page, `?limit=20`: p50 and p95;
  - the baseline in the same run: the whole list (`GET /job/recommended`, every job sharing a skill
    scored), which is what a page cost before it stopped early;

and checks for every developer that the page and its `count` equal the whole list's first 20 and
length. Prints the medians, their ratio, and the number of jobs each list scored (median).
"""

import json
import random
import statistics
import sys

import bench.django_setup  # noqa: F401 - first: the imports below need Django set up

# isort: split

from django.db.models import Max, Min
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import UserAccount
from bench import synthetic_parser
from bench.lists import Server
from bench.topk import percentile
from jobs.models import Job

LIMIT = 20


def developers(count: int, seed: int) -> list[UserAccount]:
    """Up to `count` random developers holding a skill, the same for a seed and database."""
    holding = UserAccount.objects.filter(type=UserAccount.Type.USER, skills__isnull=False).distinct()
    bounds = holding.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    rng = random.Random(f"recommended-jobs-{seed}")
    tried = rng.sample(
        range(bounds["low"], bounds["high"] + 1), min(count * 4, bounds["high"] - bounds["low"] + 1)
    )
    found = set(holding.filter(pk__in=tried).values_list("pk", flat=True))
    chosen = [pk for pk in tried if pk in found][:count]
    return list(UserAccount.objects.filter(pk__in=chosen).order_by("pk"))


def main(argv=None):
    parser = synthetic_parser(__doc__, repeat_help="unused")
    parser.add_argument("--developers", type=int, default=50, help="random developers (default 50)")
    args = parser.parse_args(argv)

    people = developers(args.developers, args.seed)
    if not people:
        print("no developers: seed with insert_dev --synthetic N --synthetic-jobs M", file=sys.stderr)
        return 1
    server = Server()
    page_times, whole_times, lengths = [], [], []
    try:
        for person in people:
            headers = {"Authorization": f"JWT {AccessToken.for_user(person)}"}

            def ask(query, headers=headers):
                status, _, content, seconds = server.request("GET", f"/job/recommended{query}", headers)
                assert status == 200, content[:300]
                return json.loads(content), seconds

            ask(f"?limit={LIMIT}")  # warm up: the first request of a connection's session
            page, page_seconds = ask(f"?limit={LIMIT}")
            whole, whole_seconds = ask("")
            if page["count"] != len(whole) or page["results"] != whole[:LIMIT]:
                print(f"MISMATCH developer {person.pk}: the page is not the whole list's first {LIMIT}")
                return 1
            page_times.append(page_seconds)
            whole_times.append(whole_seconds)
            lengths.append(len(whole))
    finally:
        server.stop()

    p50, p95 = statistics.median(page_times), percentile(page_times, 0.95)
    w50, w95 = statistics.median(whole_times), percentile(whole_times, 0.95)
    print(
        f"\n{len(people)} developers | {Job.objects.open().count()} open jobs | jobs listed per developer:"
        f" median {statistics.median(lengths):.0f} | pages equal to the whole list's first {LIMIT}: all"
    )
    print(
        f"  ?limit={LIMIT}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms | the whole list (every job"
        f" scored): p50 {w50 * 1000:.1f} ms, p95 {w95 * 1000:.1f} ms | page / whole p50 {p50 / w50:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
