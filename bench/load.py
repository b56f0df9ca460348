"""Load test: the SPA's traffic mix against gunicorn on PostgreSQL with Redis, then a lost-write audit.

Starts a private PostgreSQL and Redis (as bench/faults.py does), loads the demo data (`insert_dev`),
starts one or two gunicorn instances (`--instances 2`: two ports sharing PostgreSQL and Redis, each
simulated client sticks to one, alternating), and runs locust headless in-process for `--seconds`
with `--users` clients: developers (log in, read and edit their profile, add skills, browse jobs,
recommended jobs, answer the assessment) and companies (log in, post jobs with skills, list jobs,
search candidates, rank candidates). Every write answered 201 is remembered and looked up in the
database at the end. Prints throughput, p50/p95/p99 per endpoint, 5xx count and lost writes.

    nice .venv/bin/python -m bench.load --users 32 --seconds 60
    nice .venv/bin/python -m bench.load --users 32 --seconds 60 --instances 2
    nice .venv/bin/python -m bench.load --users 64 --seconds 60 --synthetic 1000000 --synthetic-jobs 10000
    nice .venv/bin/python -m bench.load --users 64 --seconds 60 --pgbouncer   # PgBouncer in front
"""

import argparse
import itertools
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.stats import calculate_response_time_percentile

from bench.faults import PG_BIN, Services, as_postgres, free_port

DEMO_PASSWORD = "devpass-2024"
LOGIN_PATH = "/auth/jwt/create/"
DEVELOPERS = ["ayesha", "bilal", "camila", "daniyal", "elif", "faisal", "grace", "hassan", "isabel", "junaid"]
COMPANIES = ["northwind", "bluepeak", "lumen"]

acknowledged = {"job": [], "job_skill": [], "user_skill": [], "answer": []}
server_errors = []
lock = threading.Lock()
hosts = []
counter = itertools.count()


@events.request.add_listener
def _record(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0)
    if status >= 500:
        server_errors.append((request_type, name, status))


def _ack(kind, response):
    if response.status_code == 201:
        with lock:
            acknowledged[kind].append(response.json()["id"])


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    email = ""

    def on_start(self):
        number = next(counter)
        self.client.base_url = hosts[number % len(hosts)]  # the instances alternate between clients
        self.number = number
        self.login()

    def login(self):
        response = self.client.post(LOGIN_PATH, json={"email": self.email_for(), "password": DEMO_PASSWORD})
        self.client.headers["Authorization"] = f"JWT {response.json()['access']}"

    @task(1)
    def relogin(self):
        self.login()


class Developer(PortalUser):
    weight = 3

    def email_for(self):
        return f"{DEVELOPERS[self.number % len(DEVELOPERS)]}@dev.com"

    def on_start(self):
        super().on_start()
        answers = self.client.get("/question/answers").json()
        self.answers = {}
        for option in answers:
            self.answers.setdefault(option["question"], option["id"])

    @task(4)
    def profile(self):
        rows = self.client.get("/user/profile").json()
        if rows:
            self.client.patch(
                f"/user/profile/{rows[0]['id']}",
                json={"bio": f"load {random.random()}"},
                name="/user/profile/{id}",
            )

    @task(2)
    def add_skill(self):
        name = f"LoadSkill{self.number}x{random.randrange(10**9)}"
        _ack(
            "user_skill",
            self.client.post("/user/user_skills", json={"name": name, "rating": random.randint(1, 10)}),
        )

    @task(4)
    def browse_jobs(self):
        self.client.get("/job/list?limit=20", name="/job/list?limit=20")

    @task(2)
    def recommended(self):
        self.client.get("/job/recommended?limit=20", name="/job/recommended?limit=20")

    @task(1)
    def answer(self):
        if self.answers:
            question, option = self.answers.popitem()
            response = self.client.post("/question/submit", json={"question": question, "answer": option})
            if response.status_code == 201:
                _ack("answer", response)


class Company(PortalUser):
    weight = 1

    def email_for(self):
        return f"{COMPANIES[self.number % len(COMPANIES)]}@company.example"

    @task(2)
    def post_job(self):
        body = {
            "title": f"Load job {random.randrange(10**9)}",
            "description": "Posted by the load test.",
            "work_email": "jobs@company.example",
            "hiring_needs": "Full Time",
            "current_employees": "11-50",
            "name": "Load Co",
        }
        response = self.client.post("/job/", json=body)
        _ack("job", response)
        if response.status_code == 201:
            for skill in random.sample(["Python", "React", "Go", "Django", "TypeScript"], 2):
                _ack(
                    "job_skill",
                    self.client.post(
                        "/job/skills", json={"job": response.json()["id"], "name": skill, "rating": 5}
                    ),
                )

    @task(3)
    def list_jobs(self):
        self.client.get("/job/?limit=20", name="/job/?limit=20")

    @task(2)
    def search_candidates(self):
        self.client.get("/user/list?skill=Python&limit=20", name="/user/list?skill=Python&limit=20")

    @task(1)
    def rank_candidates(self):
        jobs = self.client.get("/job/?limit=1", name="/job/?limit=1").json()["results"]
        if jobs:
            self.client.post(
                "/user/recommend/list?limit=20", json={"job": jobs[0]["id"]}, name="/user/recommend/list"
            )


def percentile_of(entries, share: float) -> float:
    """The response time (ms) under which `share` of the requests of all `entries` together fell,
    computed as locust computes an endpoint's, from their merged histograms."""
    merged: dict[int, int] = {}
    for entry in entries:
        for rounded, count in entry.response_times.items():
            merged[rounded] = merged.get(rounded, 0) + count
    return calculate_response_time_percentile(merged, sum(merged.values()), share)


def psql_for(services) -> list:
    return [
        PG_BIN / "psql",
        "-h",
        "127.0.0.1",
        "-p",
        str(services.pg_port),
        "-U",
        "postgres",
        "-d",
        "job_portal",
    ]


def lost_writes(services) -> dict:
    psql = psql_for(services)
    tables = {"job": "jobs_job", "job_skill": "jobs_jobskill", "user_skill": "profiles_userskill",
              "answer": "assessments_useranswer"}  # fmt: skip
    lost = {}
    for kind, table in tables.items():
        found = subprocess.run(
            [*psql, "-tAc", f"SELECT id FROM {table}"], capture_output=True, text=True, check=True
        )
        lost[kind] = len(set(acknowledged[kind]) - {int(row) for row in found.stdout.split()})
    return lost


def pgbouncer_start(services, workdir: Path) -> tuple[subprocess.Popen, int]:
    """PgBouncer (transaction pooling, 10 server connections) on loopback in front of the private
    PostgreSQL. It passes no `options` startup parameter, so the statement timeout the app sends
    that way is set on the database instead (ALTER DATABASE), as a pooled deployment must."""
    port = free_port()
    (workdir / "userlist.txt").write_text('"postgres" ""\n')
    ini = workdir / "pgbouncer.ini"
    ini.write_text(
        f"[databases]\njob_portal = host=127.0.0.1 port={services.pg_port} dbname=job_portal\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {workdir}/userlist.txt\npool_mode = transaction\n"
        "default_pool_size = 10\nmax_client_conn = 500\nignore_startup_parameters = options\n"
        f"logfile = {workdir}/pgbouncer.log\n"
    )
    statement_timeout = services.env()["DATABASE_STATEMENT_TIMEOUT"]
    as_postgres(
        PG_BIN / "psql", "-h", "127.0.0.1", "-p", services.pg_port, "-U", "postgres", "-c",
        f"ALTER DATABASE job_portal SET statement_timeout = '{statement_timeout}s'",
    )  # fmt: skip
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    bouncer = subprocess.Popen(
        [*prefix, "pgbouncer", str(ini)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return bouncer, port
        time.sleep(0.1)
    raise RuntimeError("pgbouncer did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--web-concurrency", type=int, default=2)
    parser.add_argument(
        "--synthetic", type=int, default=0, metavar="N", help="also N synthetic developers (insert_dev, COPY)"
    )
    parser.add_argument("--synthetic-jobs", type=int, default=0, metavar="M", help="and M synthetic jobs")
    parser.add_argument(
        "--pgbouncer", action="store_true", help="the app reaches PostgreSQL through PgBouncer"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="jp_load_"))
    services = Services(workdir)
    extra = []
    bouncer = None
    try:
        services.pg_init()
        services.redis_start()
        services.manage("migrate", "--noinput")
        services.manage("insert_dev")
        if args.synthetic or args.synthetic_jobs:
            started = time.perf_counter()
            counts = ["--synthetic", str(args.synthetic), "--synthetic-jobs", str(args.synthetic_jobs)]
            services.manage("insert_dev", *counts, "--seed", "1")
            seconds = time.perf_counter() - started
            print(f"seeded {args.synthetic} developers, {args.synthetic_jobs} jobs in {seconds:.0f} s")
        web = services
        if args.pgbouncer:
            bouncer, bouncer_port = pgbouncer_start(services, workdir)
            web = Services(workdir)  # the same services, PostgreSQL reached through PgBouncer
            web.pg_port, web.redis_port = bouncer_port, services.redis_port
            extra.append(web)
        web.web_concurrency = args.web_concurrency
        web.web_start()
        hosts.append(f"http://127.0.0.1:{web.web_port}")
        for _ in range(args.instances - 1):
            other = Services(workdir)
            other.pg_port, other.redis_port = web.pg_port, services.redis_port
            other.web_concurrency = args.web_concurrency
            other.web_start()
            extra.append(other)
            hosts.append(f"http://127.0.0.1:{other.web_port}")

        env = Environment(user_classes=[Developer, Company], events=events, host=hosts[0])
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=args.users)
        gevent.sleep(args.seconds)
        runner.quit()

        stats = env.stats
        total = stats.total
        print(f"{args.users} users, {args.seconds:g} s, {args.instances} gunicorn instance(s) x "
              f"{args.web_concurrency} workers: {total.num_requests} requests, "
              f"{total.num_requests / args.seconds:.1f} req/s, failures {total.num_failures}")  # fmt: skip
        print("| endpoint | requests | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|")
        for entry in sorted(stats.entries.values(), key=lambda e: -e.num_requests):
            p50, p95, p99 = (entry.get_response_time_percentile(q) for q in (0.5, 0.95, 0.99))
            print(
                f"| {entry.method} {entry.name} | {entry.num_requests} | {p50:.0f} | {p95:.0f} | {p99:.0f} |"
            )
        outside = [entry for entry in stats.entries.values() if entry.name != LOGIN_PATH]
        p50, p95, p99 = (percentile_of(outside, q) for q in (0.5, 0.95, 0.99))
        requests = sum(entry.num_requests for entry in outside)
        print(f"| every request outside logins | {requests} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")
        for error in stats.errors.values():
            print(f"non-2xx: {error.method} {error.name}: {error.error} x{error.occurrences}")
        print(f"5xx: {len(server_errors)}")
        writes = {kind: len(ids) for kind, ids in acknowledged.items()}
        print(f"acknowledged writes: {writes}; lost: {lost_writes(services)}")
    finally:
        for other in extra:
            other.web.terminate()
        if bouncer is not None:
            bouncer.terminate()
        services.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
