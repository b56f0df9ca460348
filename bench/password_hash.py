"""Per-login cost of each password hasher: CPU seconds and wall seconds for one check_password.

Compares Django's PBKDF2 (the previous default, 1,000,000 iterations) with Argon2id at Django's
defaults and at the parameters this project uses (`accounts.hashers.ProjectArgon2PasswordHasher`),
in the same run, and prints ratios. CPU time is what limits logins per second on a busy machine.

    nice .venv/bin/python -m bench.password_hash --repeat 10
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "job_portal.settings")
django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher  # noqa: E402

from accounts.hashers import ProjectArgon2PasswordHasher  # noqa: E402


def cost(hasher, repeat):
    encoded = hasher.encode("correct-horse-battery-42", hasher.salt())
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        assert hasher.verify("correct-horse-battery-42", encoded)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    hashers = [
        ("PBKDF2-SHA256, 1,000,000 iterations (before)", PBKDF2PasswordHasher()),
        ("Argon2id, Django defaults (t=2, m=100 MiB, p=8)", Argon2PasswordHasher()),
        (ProjectArgon2PasswordHasher.describe(), ProjectArgon2PasswordHasher()),
    ]
    baseline = None
    print("| hasher | CPU s per login | wall s per login | CPU vs before |")
    print("|---|---|---|---|")
    for name, hasher in hashers:
        cpu, wall = cost(hasher, args.repeat)
        baseline = baseline or cpu
        print(f"| {name} | {cpu:.4f} | {wall:.4f} | {cpu / baseline:.2f}x |")


if __name__ == "__main__":
    main()
