"""DATABASES (and the read replica's router) from the environment; `settings` imports the result.

Kept apart from settings.py because it is the one block with its own logic: DATABASE_URL or the
original README's DATABASE_* variables, SQLite's write locking, PostgreSQL's timeouts, and the replica.
"""

from pathlib import Path

import environ

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_ROUTERS: list[str] = []

# DATABASE_URL wins; the original README's DATABASE_NAME/USER/PASSWORD/HOST select PostgreSQL too.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif env.str("DATABASE_NAME", default=""):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env.str("DATABASE_NAME"),
            "USER": env.str("DATABASE_USER", default="postgres"),
            "PASSWORD": env.str("DATABASE_PASSWORD", default=""),
            "HOST": env.str("DATABASE_HOST", default="127.0.0.1"),
            "PORT": env.str("DATABASE_PORT", default="5432"),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a transaction takes the write lock when it starts, so concurrent writers wait (up to
    # `timeout` seconds) instead of failing with "database is locked" when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable or hung server must give clients a 503 in seconds, well inside the gunicorn
    # worker timeout: libpq's connect_timeout, the server's statement_timeout, and a client-side
    # deadline for a server that answers neither (helpers/postgresql/base.py).
    _statement_timeout = env.float("DATABASE_STATEMENT_TIMEOUT", default=10)
    DATABASES["default"]["ENGINE"] = "helpers.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["CLIENT_TIMEOUT"] = _statement_timeout + 2 if _statement_timeout else None
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
            "options": f"-c statement_timeout={int(_statement_timeout * 1000)}",
        }
    )

# Reads that may lag a little (recruiter lists, rankings) go to a streaming replica when one is set
# (helpers/replica.py, docs/scaling.md); a caller's reads right after their own write stay on the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
if DATABASE_REPLICA_URL and DATABASES["default"]["ENGINE"] == "helpers.postgresql":
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: _replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if key in _replica},
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["helpers.replica.ReplicaRouter"]
