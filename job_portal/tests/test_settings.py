"""Settings follow the environment: which database, which cache, CORS and token lifetimes."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db, cache = settings.DATABASES["default"], settings.CACHES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "conn_health_checks": db.get("CONN_HEALTH_CHECKS", False),
    "db_options": db.get("OPTIONS", {}), "client_timeout": db.get("CLIENT_TIMEOUT"),
    "cache_options": cache.get("OPTIONS", {}),
    "cache": cache["BACKEND"], "cache_location": cache.get("LOCATION", ""),
    "cors": settings.CORS_ALLOWED_ORIGINS,
    "access_minutes": settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() / 60,
    "num_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "gzip": "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE,
    "media_storage": settings.STORAGES["default"]["BACKEND"],
    "media_root": str(settings.MEDIA_ROOT),
    "image_limits": [settings.IMAGE_MAX_BYTES, settings.IMAGE_MAX_PIXELS],
    "s3": [getattr(settings, name, None) for name in (
        "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")],
}))
"""


def settings_with(script=PRINT_SETTINGS, **env):
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_SETTINGS_MODULE": "job_portal.settings"}
    # ENV_FILE=/dev/null: a developer's own .env must not change what these checks see.
    base |= {"SECRET_KEY": "k" * 60, "DEBUG": "False", "ENV_FILE": "/dev/null"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_sqlite_and_the_database_cache_with_the_spa_origins():
    seen = settings_with()

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"].endswith("db.sqlite3")
    assert seen["cache"] == "helpers.dbcache.SharedDatabaseCache"  # shared by every worker, no Redis
    assert seen["cors"] == ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8000"]
    assert seen["access_minutes"] == 600
    assert seen["num_proxies"] == 0
    assert seen["media_storage"] == "django.core.files.storage.FileSystemStorage"
    assert seen["media_root"] == str(ROOT / "media")
    assert seen["image_limits"] == [5 * 1024 * 1024, 25_000_000]


def test_database_url_selects_postgresql_with_health_checks():
    seen = settings_with(DATABASE_URL="postgres://app:secret@db.internal:5432/portal")

    assert seen["engine"] == "helpers.postgresql"
    assert (seen["name"], seen["host"], seen["conn_health_checks"]) == ("portal", "db.internal", True)
    assert seen["db_options"] == {"connect_timeout": 3, "options": "-c statement_timeout=10000"}
    assert seen["client_timeout"] == 12


def test_database_timeouts_follow_the_environment():
    seen = settings_with(
        DATABASE_URL="postgres://app@db/portal",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="4.5",
    )

    assert seen["db_options"] == {"connect_timeout": 2, "options": "-c statement_timeout=4500"}
    assert seen["client_timeout"] == 6.5


def test_the_original_readme_variables_select_postgresql():
    seen = settings_with(DATABASE_NAME="job_portal_db", DATABASE_HOST="pg.internal")

    assert seen["engine"] == "helpers.postgresql"
    assert (seen["name"], seen["host"]) == ("job_portal_db", "pg.internal")


def test_redis_url_moves_the_cache_to_redis_and_other_variables_apply():
    seen = settings_with(
        REDIS_URL="redis://cache.internal:6379/2",
        CORS_ALLOWED_ORIGINS="https://app.example.com",
        JWT_ACCESS_TOKEN_LIFETIME_MINUTES="30",
        NUM_PROXIES="1",
    )

    assert seen["cache"] == "helpers.cache.FailOpenRedisCache"
    assert seen["cache_location"] == "redis://cache.internal:6379/2"
    assert seen["cache_options"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "RETRY_AFTER": 5}
    assert seen["cors"] == ["https://app.example.com"]
    assert seen["access_minutes"] == 30
    assert seen["num_proxies"] == 1


def test_responses_are_gzipped_unless_a_proxy_does_it():
    assert settings_with()["gzip"] is True
    assert settings_with(GZIP_RESPONSES="False")["gzip"] is False


def test_a_bucket_name_moves_uploaded_pictures_to_s3():
    seen = settings_with(
        AWS_STORAGE_BUCKET_NAME="pictures",
        AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
        IMAGE_MAX_BYTES="1000000",
        IMAGE_MAX_PIXELS="4000000",
    )

    assert seen["media_storage"] == "storages.backends.s3.S3Storage"
    assert seen["s3"] == ["pictures", "http://minio.internal:9000", "key", "secret"]
    assert seen["image_limits"] == [1_000_000, 4_000_000]


def test_media_root_follows_the_environment():
    assert settings_with(MEDIA_ROOT="/srv/media")["media_root"] == "/srv/media"


CONCURRENT_READ_THEN_WRITE = """
import json, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS seen (n integer)")
errors = []

def read_then_write(n):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM seen")
                time.sleep(0.05)
                cursor.execute("INSERT INTO seen VALUES (%s)", [n])
    except Exception as error:
        errors.append(type(error).__name__)
    finally:
        connection.close()

threads = [threading.Thread(target=read_then_write, args=(n,)) for n in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM seen")
    print(json.dumps({"rows": cursor.fetchone()[0], "errors": errors}))
"""


def test_concurrent_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """A check-then-insert (applying to a job) from parallel requests: SQLite's default deferred
    transactions fail with "database is locked" when a read turns into a write; IMMEDIATE waits."""
    seen = settings_with(CONCURRENT_READ_THEN_WRITE, DATABASE_URL=f"sqlite:///{tmp_path / 'parallel.db'}")

    assert seen == {"rows": 8, "errors": []}
