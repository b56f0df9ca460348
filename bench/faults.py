"""Fault drill: what clients get while PostgreSQL or Redis fail, and whether any acknowledged write is lost.

Starts a private PostgreSQL cluster (initdb as the `postgres` user) and a Redis server on loopback
ports, migrates, starts gunicorn against them, and drives a bounded load (THREADS clients: logins,
job creations, job lists). Then, one at a time, it applies each fault for HOLD seconds and reverts it:

  redis-stop   Redis killed, then started again
  redis-hang   Redis SIGSTOPped, then SIGCONT
  pg-stop      PostgreSQL stopped (fast), then started again
  pg-hang      every PostgreSQL process SIGSTOPped, then SIGCONT
  worker-kill  one gunicorn worker killed with SIGKILL

Per fault it reports the answers of the requests that overlapped the fault (status counts, median
and max latency), the recovery time after the revert (until logins, writes and lists all succeed again,
without restarting the app), and at the end the acknowledged writes (201 job creations) missing
from the database (must be 0). Everything runs in a temporary directory and is stopped at the end.

    nice .venv/bin/python -m bench.faults --threads 4 --hold 6
"""

import argparse
import collections
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "Fault-Drill-Pass-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True, text=True, **kwargs)


class Services:
    """The private PostgreSQL, Redis and gunicorn of one drill."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pgdata = workdir / "pg"
        self.redis = None
        self.web = None
        self.web_concurrency = 2
        """gunicorn workers of `web_start` (WEB_CONCURRENCY)."""

    # --- PostgreSQL ---
    def pg_start(self):
        as_postgres(
            PG_BIN / "pg_ctl", "-D", self.pgdata, "-l", self.workdir / "pg.log", "-w", "-o",
            f"-p {self.pg_port} -k {self.workdir} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def pg_init(self):
        os.chmod(self.workdir, 0o777)
        as_postgres(PG_BIN / "initdb", "-D", self.pgdata, "--auth=trust", "-U", "postgres")
        self.pg_start()
        as_postgres(
            PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.pg_port, "-U", "postgres", "job_portal"
        )

    def pg_stop(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.pgdata, "-m", "fast", "-w", "stop")

    def pg_pids(self) -> list[int]:
        postmaster = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    # --- Redis ---
    def redis_start(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.redis_port)) == 0:
                    return
            time.sleep(0.1)

    def redis_kill(self):
        self.redis.kill()
        self.redis.wait()

    # --- the app ---
    def env(self) -> dict:
        return {
            "PATH": os.environ["PATH"],
            "HOME": "/tmp",
            "ENV_FILE": "/dev/null",
            "DEBUG": "False",
            "SECRET_KEY": "fault-drill-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/job_portal",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "DATABASE_STATEMENT_TIMEOUT": "3",
            "CACHE_RETRY_AFTER": "2",
            "AUTH_THROTTLE_RATE": "100000/minute",
            "LOGIN_RATE": "100000/second",
            "WEB_CONCURRENCY": str(self.web_concurrency),
            "PORT": str(self.web_port),
            "HOST": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True
        )
        if done.returncode:  # show why, not only that it failed
            sys.stderr.write(done.stderr.decode(errors="replace")[-4000:])
            done.check_returncode()

    def web_start(self):
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "job_portal.wsgi", "--config", "job_portal/gunicorn.conf.py",
             "--access-logfile", "/dev/null"],
            cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL, stderr=open(self.workdir / "web.log", "w"),
        )  # fmt: skip
        url = f"http://127.0.0.1:{self.web_port}/health/"
        for _ in range(100):
            try:
                requests.get(url, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see web.log")

    def web_workers(self) -> list[int]:
        return [
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent(stat) == self.web.pid
        ]

    def stop_all(self):
        if self.web and self.web.poll() is None:
            self.web.terminate()
            self.web.wait(timeout=30)
        if self.redis and self.redis.poll() is None:
            self.redis.kill()
        try:
            for pid in self.pg_pids():
                os.kill(pid, signal.SIGCONT)
            self.pg_stop()
        except (OSError, subprocess.CalledProcessError):
            pass


def _parent(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


class Load:
    """THREADS clients looping over login / create job / list jobs; every answer is recorded."""

    def __init__(self, base: str, email: str, threads: int):
        self.base, self.email, self.threads = base, email, threads
        self.records = []  # (time, kind, status, seconds)
        self.acknowledged = []  # titles of jobs answered 201
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _token(self, session):
        response = session.post(
            f"{self.base}/auth/jwt/create/", json={"email": self.email, "password": PASSWORD}
        )
        return response.json()["access"]

    def _client(self, number):
        session = requests.Session()
        token = self._token(session)
        session.headers["Authorization"] = f"JWT {token}"
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            kind = ("login", "write", "list")[sequence % 3]
            title = f"drill-{number}-{sequence}"
            started = time.monotonic()
            try:
                if kind == "login":
                    response = requests.post(
                        f"{self.base}/auth/jwt/create/",
                        json={"email": self.email, "password": PASSWORD},
                        timeout=40,
                    )
                elif kind == "write":
                    response = session.post(f"{self.base}/job/", json=job_body(title), timeout=40)
                else:
                    response = session.get(f"{self.base}/job/?limit=20", timeout=40)
                status = response.status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with self.lock:
                self.records.append((started, kind, status, time.monotonic() - started))
                if kind == "write" and status == 201:
                    self.acknowledged.append(title)
            if status != 200 and status != 201:
                time.sleep(0.1)

    def start(self):
        self.workers = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()

    def finish(self):
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=60)


def job_body(title):
    return {
        "title": title,
        "description": "Fault drill job.",
        "work_email": "drill@company.example",
        "hiring_needs": "Full Time",
        "current_employees": "4-10",
        "name": "Drill Co",
    }


def summarise(name, records, fault_start, fault_end, after_end):
    during = [r for r in records if r[0] < fault_end and r[0] + r[3] >= fault_start]  # overlapping it
    statuses = collections.Counter(str(r[2]) for r in during)
    seconds = [r[3] for r in during] or [0.0]
    recovered = {}
    for kind in ("login", "write", "list"):
        ok = [r[0] for r in records if r[1] == kind and r[0] >= fault_end and r[2] in (200, 201)]
        recovered[kind] = (min(ok) - fault_end) if ok else None
    worst = None if None in recovered.values() else max(recovered.values())
    answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    recovery = "not recovered" if worst is None else f"{max(worst, 0):.1f} s"
    return f"| {name} | {answers} | {statistics.median(seconds):.2f} s | {max(seconds):.2f} s | {recovery} |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--hold", type=float, default=6, help="seconds each fault lasts")
    parser.add_argument("--settle", type=float, default=8, help="seconds of load after each revert")
    parser.add_argument("--only", nargs="*", help="run only these faults (e.g. pg-hang)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="jp_faults_"))
    services = Services(workdir)
    try:
        services.pg_init()
        services.redis_start()
        services.manage("migrate", "--noinput")
        services.web_start()
        base = f"http://127.0.0.1:{services.web_port}"
        email = "drill@company.example"
        signup = {
            "name": "Drill",
            "email": email,
            "type": "company",
            "password": PASSWORD,
            "re_password": PASSWORD,
        }
        requests.post(f"{base}/auth/users/", json=signup, timeout=10).raise_for_status()

        load = Load(base, email, args.threads)
        load.start()
        time.sleep(args.settle)

        def pg_hang():
            for pid in services.pg_pids():
                os.kill(pid, signal.SIGSTOP)

        def pg_resume():
            for pid in services.pg_pids():
                os.kill(pid, signal.SIGCONT)

        faults = [
            ("redis-stop", services.redis_kill, services.redis_start),
            ("redis-hang", lambda: os.kill(services.redis.pid, signal.SIGSTOP),
             lambda: os.kill(services.redis.pid, signal.SIGCONT)),
            ("pg-stop", services.pg_stop, services.pg_start),
            ("pg-hang", pg_hang, pg_resume),
            ("worker-kill", lambda: os.kill(services.web_workers()[0], signal.SIGKILL), lambda: None),
        ]  # fmt: skip
        faults = [fault for fault in faults if not args.only or fault[0] in args.only]
        windows = []
        for name, apply, revert in faults:
            start = time.monotonic()
            apply()
            time.sleep(args.hold)
            end = time.monotonic()
            revert()
            time.sleep(args.settle)
            windows.append((name, start, end, time.monotonic()))
        load.finish()

        print(f"threads {args.threads}, each fault held {args.hold:g} s, {len(load.records)} requests in all")
        print("| fault | answers during the fault | median | max | recovery after revert |")
        print("|---|---|---|---|---|")
        for name, start, end, after in windows:
            print(summarise(name, load.records, start, end, after))
        psql = [PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(services.pg_port), "-U", "postgres"]
        query = [*psql, "-d", "job_portal", "-tAc", "SELECT title FROM jobs_job"]
        found = subprocess.run(query, capture_output=True, text=True, check=True).stdout.split()
        lost = set(load.acknowledged) - set(found)
        print(f"acknowledged writes: {len(load.acknowledged)}, lost: {len(lost)}")
        server_errors = sum(1 for r in load.records if isinstance(r[2], int) and r[2] >= 500 and r[2] != 503)
        print(f"5xx other than 503: {server_errors}")
    finally:
        services.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
