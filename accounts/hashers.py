"""The password hasher: Argon2id with parameters measured on the deployment machine (bench/password_hash.py).

Django's Argon2 defaults (t=2, 100 MiB, 8 lanes) cost about as much CPU as the PBKDF2 they
replace. These parameters are the OWASP minimum for Argon2id (19 MiB, t=2, one lane): memory-hard,
so a GPU attacker gains far less than against PBKDF2, at a fraction of the CPU per login.
Hashes made with other parameters or by PBKDF2 are upgraded at the owner's next login (Django
re-hashes when `must_update` says so).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ProjectArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    @classmethod
    def describe(cls) -> str:
        return f"Argon2id, ours (t={cls.time_cost}, m={cls.memory_cost // 1024} MiB, p={cls.parallelism})"
