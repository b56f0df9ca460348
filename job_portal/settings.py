"""Settings for job_portal, read from the environment (and a `.env` file in the project root, or ENV_FILE).

Every variable has a safe local-development default except `SECRET_KEY`, which is required once
`DEBUG` is off. docs/configuration.md lists every variable (job_portal/tests/test_docs.py checks it).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from botocore.config import Config as BotocoreConfig

from job_portal.environment import ConfigurationError, strict_bool

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = strict_bool(env, "DEBUG", default=False)
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ConfigurationError(
        "SECRET_KEY must be set when DEBUG is off (or set DEBUG=True for local development)."
    )
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])  # previous keys, while rotating

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "djoser",
    "corsheaders",
    "django_filters",
    "django_admin_listfilter_dropdown",
    "social_django",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "helpers",
    "accounts",
    "profiles",
    "jobs",
    "assessments",
    "privacy",
    "webhooks",
    "board",
    "seeding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "helpers.middleware.RequestBodyGuardMiddleware",
    "helpers.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpers.replica.PrimaryAfterWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# gzip for clients that accept it: the whole-table lists shrink 7-8x, which makes the SPA's job page
# faster end to end on a 100 Mbit/s link (docs/benchmarks.md, "Compression"). Off behind a compressing proxy.
GZIP_RESPONSES = env.bool("GZIP_RESPONSES", default=True)
if GZIP_RESPONSES:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "django.middleware.gzip.GZipMiddleware",
    )

ROOT_URLCONF = "job_portal.urls"
# A failed CSRF check (admin forms only: the API authenticates with JWTs) answers JSON, not HTML.
CSRF_FAILURE_VIEW = "helpers.errors.csrf_failure"
WSGI_APPLICATION = "job_portal.wsgi.application"
# The SPA calls paths without a trailing slash; a redirect would drop a POST body (api-contract 1.2).
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database (job_portal/database.py: DATABASE_URL, timeouts, the read replica) ----------------
from job_portal.database import DATABASE_REPLICA_URL, DATABASE_ROUTERS, DATABASES, REPLICA_PIN_SECONDS  # noqa: E402,F401

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.UserAccount"

# --- Cache (throttle and login-failure counts, replica pins, cached counts), shared by every process ---
REDIS_URL = env.str("REDIS_URL", default="")
_cache_prefix = env.str("CACHE_KEY_PREFIX", default="job_portal")
if REDIS_URL:
    # Short socket timeouts and fail-open counters: a Redis outage must not take /auth/ down.
    _cache_timeout = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
    CACHES = {
        "default": {
            "BACKEND": "helpers.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_prefix,
            "OPTIONS": {
                "socket_connect_timeout": _cache_timeout,
                "socket_timeout": _cache_timeout,
                "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5),
            },
        }
    }
else:
    # Without Redis, a table in the primary database with atomic counters (helpers/dbcache.py).
    CACHES = {"default": {"BACKEND": "helpers.dbcache.SharedDatabaseCache", "KEY_PREFIX": _cache_prefix}}

# Argon2id first, with parameters measured here (accounts/hashers.py, bench/password_hash.py);
# PBKDF2 hashes still verify and are re-hashed with Argon2id at the owner's next login.
PASSWORD_HASHERS = [
    "accounts.hashers.ProjectArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Uploaded pictures (candidate photos, company logos: profiles/pictures.py) ----------------------
# Local disk by default (served by Django only with DEBUG on; a reverse proxy serves MEDIA_ROOT at
# MEDIA_URL in production), an S3-compatible bucket through django-storages when a bucket is named.
MEDIA_URL = env.str("MEDIA_URL", default="media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=25_000_000)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# A bucket that is down or hung must give the uploader a 503 in seconds, well inside the gunicorn
# worker timeout (boto's defaults wait 60 s per attempt, five attempts): profiles/pictures.py.
AWS_S3_CLIENT_CONFIG = BotocoreConfig(
    connect_timeout=3, read_timeout=3, retries={"mode": "standard", "max_attempts": 2}
)
if AWS_STORAGE_BUCKET_NAME:
    # django-storages reads these settings by name; unset ones fall back to boto3's own lookup.
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=True)
    AWS_LOCATION = env.str("AWS_LOCATION", default="")
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

# --- REST framework and auth -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.tokens.VersionedJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["helpers.parsers.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The SPA needs bare arrays; lists opt in to pagination with ?limit= (helpers.pagination).
    "DEFAULT_PAGINATION_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "helpers.schema.ErrorResponsesAutoSchema",
    "EXCEPTION_HANDLER": "helpers.errors.json_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("AUTH_THROTTLE_RATE", default="60/minute"),
        # Decoding a picture costs up to a CPU-second; each account gets this many uploads/removals.
        "pictures": env.str("PICTURE_THROTTLE_RATE", default="30/hour"),
        "board": env.str(
            "BOARD_THROTTLE_RATE", default="120/minute"
        ),  # per address, /board/ (board/views.py)
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Client address for throttling: REMOTE_ADDR unless NUM_PROXIES trusted proxies add X-Forwarded-For.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# The SPA never refreshes, so the access lifetime is its whole session (api-contract 1.4).
SIMPLE_JWT = {
    "AUTH_HEADER_TYPES": ("JWT", "Bearer"),
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_TOKEN_LIFETIME_MINUTES", default=600)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_TOKEN_LIFETIME_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Each sign-in records last_login: the retention period runs from it (privacy/retention.py).
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}

# Login limits (accounts/throttling.py): per (email, address), a higher per-email ceiling, a global rate.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
# Distinct candidates a company (all its logins) may read one by one per UTC day (accounts/access.py).
CANDIDATE_READS_PER_DAY = env.int("CANDIDATE_READS_PER_DAY", default=2000)
LOGIN_FAILURE_EMAIL_LIMIT = env.int("LOGIN_FAILURE_EMAIL_LIMIT", default=50)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
LOGIN_KNOWN_ADDRESS_DAYS = env.int("LOGIN_KNOWN_ADDRESS_DAYS", default=30)
LOGIN_RATE = env.str("LOGIN_RATE", default="40/second")

# Email links must point at the SPA's routes, not at the API host (api-contract 1.6).
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Job Portal")
# Email the candidate when their application reaches interview, offer, hired or rejected.
APPLICATION_EMAILS = env.bool("APPLICATION_EMAILS", default=True)
_frontend = urlsplit(FRONTEND_URL)
ACCOUNT_ACTIVATION = strict_bool(env, "ACCOUNT_ACTIVATION", default=False)

DJOSER = {
    "LOGIN_FIELD": "email",
    "USER_CREATE_PASSWORD_RETYPE": True,
    "SET_PASSWORD_RETYPE": True,
    "PASSWORD_RESET_CONFIRM_RETYPE": True,
    "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": False,
    "SEND_ACTIVATION_EMAIL": ACCOUNT_ACTIVATION,
    "ACTIVATION_URL": "activate/{uid}/{token}",
    "PASSWORD_RESET_CONFIRM_URL": "password/reset/confirm/{uid}/{token}",
    "EMAIL_FRONTEND_PROTOCOL": _frontend.scheme or "http",
    "EMAIL_FRONTEND_DOMAIN": _frontend.netloc,
    "EMAIL_FRONTEND_SITE_NAME": SITE_NAME,
    "TOKEN_MODEL": None,
    "HIDE_USERS": True,
    "SERIALIZERS": {
        "user_create_password_retype": "accounts.serializers.UserCreatePasswordRetypeSerializer",
        "user": "accounts.serializers.UserSerializer",
        "current_user": "accounts.serializers.UserSerializer",
        "password_reset": "accounts.serializers.EmailLookupSerializer",
        "activation": "accounts.serializers.ActivationSerializer",
        "password_reset_confirm_retype": "accounts.serializers.PasswordResetConfirmRetypeSerializer",
        "set_username": "accounts.email_change.SetEmailSerializer",
    },
    "EMAIL": {
        "activation": "accounts.emails.ActivationEmail",
        "password_reset": "accounts.emails.PasswordResetEmail",
    },
}

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = strict_bool(env, "EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = strict_bool(env, "EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Job Portal <no-reply@localhost>")

# --- Background work (job_portal/background.py: Celery mail, webhooks, data retention) -----
from job_portal.background import (  # noqa: E402,F401
    ACCESS_LOG_RETENTION_DAYS,
    APPLICATION_RETENTION_DAYS,
    CANDIDATE_RETENTION_DAYS,
    CELERY_BEAT_SCHEDULE,
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP,
    CELERY_BROKER_URL,
    CELERY_TASK_ACKS_LATE,
    CELERY_TASK_ALWAYS_EAGER,
    CELERY_TASK_DEFAULT_QUEUE,
    CELERY_TASK_EAGER_PROPAGATES,
    CELERY_TASK_IGNORE_RESULT,
    CELERY_TASK_REJECT_ON_WORKER_LOST,
    CELERY_WORKER_PREFETCH_MULTIPLIER,
    EMAIL_MAX_RETRIES,
    EMAIL_RETRY_BACKOFF_SECONDS,
    WEBHOOK_ALLOW_PRIVATE,
    WEBHOOK_POLL_SECONDS,
    WEBHOOK_TIMEOUT_SECONDS,
)

# --- CORS -------------------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS",
    default=["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8000"],
)
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = ["authorization", "content-type", "accept", "x-csrftoken"]

# --- Social sign-in (accounts/social.py) ---------------------------------------------------------
# Every provider is always loaded; one without its settings answers 404 (accounts.social.PROVIDERS).
AUTHENTICATION_BACKENDS = [
    "social_core.backends.github.GithubOAuth2",
    "social_core.backends.google.GoogleOAuth2",
    "social_core.backends.github_enterprise.GithubEnterpriseOAuth2",
    "social_core.backends.open_id_connect.OpenIdConnectAuth",
    "django.contrib.auth.backends.ModelBackend",
]
SOCIAL_AUTH_GITHUB_KEY = env.str("SOCIAL_AUTH_GITHUB_KEY", default="")
SOCIAL_AUTH_GITHUB_SECRET = env.str("SOCIAL_AUTH_GITHUB_SECRET", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env.str("SOCIAL_AUTH_GOOGLE_OAUTH2_KEY", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env.str("SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET", default="")
SOCIAL_AUTH_GITHUB_ENTERPRISE_URL = env.str("SOCIAL_AUTH_GITHUB_ENTERPRISE_URL", default="")
SOCIAL_AUTH_GITHUB_ENTERPRISE_API_URL = env.str("SOCIAL_AUTH_GITHUB_ENTERPRISE_API_URL", default="")
SOCIAL_AUTH_GITHUB_ENTERPRISE_KEY = env.str("SOCIAL_AUTH_GITHUB_ENTERPRISE_KEY", default="")
SOCIAL_AUTH_GITHUB_ENTERPRISE_SECRET = env.str("SOCIAL_AUTH_GITHUB_ENTERPRISE_SECRET", default="")
SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = env.str("SOCIAL_AUTH_OIDC_OIDC_ENDPOINT", default="").rstrip("/")
SOCIAL_AUTH_OIDC_KEY = env.str("SOCIAL_AUTH_OIDC_KEY", default="")
SOCIAL_AUTH_OIDC_SECRET = env.str("SOCIAL_AUTH_OIDC_SECRET", default="")
# GitHub's verified addresses come from /user/emails, which needs this scope.
SOCIAL_AUTH_GITHUB_SCOPE = ["user:email"]
SOCIAL_AUTH_GITHUB_ENTERPRISE_SCOPE = ["user:email"]
# Seconds social-core waits for a provider before the sign-in answers 503.
SOCIAL_AUTH_REQUESTS_TIMEOUT = env.float("SOCIAL_AUTH_REQUESTS_TIMEOUT", default=5.0)
# Empty: `{FRONTEND_URL}/auth/<provider>` for each enabled provider.
SOCIAL_AUTH_ALLOWED_REDIRECT_URIS = env.list("SOCIAL_AUTH_ALLOWED_REDIRECT_URIS", default=[])
SOCIAL_AUTH_USER_MODEL = AUTH_USER_MODEL
# No provider access tokens are kept: the pipeline links or creates the account and stops there.
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "accounts.social.link_or_create_account",
]
# The sign-in's `state` lives in the session between GET and POST /auth/o/<provider>/. An SPA on
# another origin sends the session cookie only with `withCredentials`, CORS_ALLOW_CREDENTIALS=True,
# SESSION_COOKIE_SAMESITE=None and SESSION_COOKIE_SECURE=True (HTTPS).
CORS_ALLOW_CREDENTIALS = env.bool("CORS_ALLOW_CREDENTIALS", default=False)
SESSION_COOKIE_SAMESITE = env.str("SESSION_COOKIE_SAMESITE", default="Lax")

# --- HTTPS (off by default so the API can be served over plain HTTP on loopback) -----------------
SECURE_SSL_REDIRECT = strict_bool(env, "SECURE_SSL_REDIRECT", default=False)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = strict_bool(env, "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = strict_bool(env, "SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = strict_bool(env, "SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = strict_bool(env, "CSRF_COOKIE_SECURE", default=False)
if strict_bool(env, "SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SPECTACULAR_SETTINGS = {
    "TITLE": "job_portal API",
    "DESCRIPTION": "Developer job portal: accounts, candidate profiles, jobs, recommendations, assessments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is checked by a test (and by `manage.py spectacular --validate`), not by `check --deploy`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "PREPROCESSING_HOOKS": ["helpers.urls.schema_paths_as_sent"],
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStageEnum": "jobs.models.Stage",
        # The export's jobs reuse the job serializer; one name for the job status choices.
        "JobStatusEnum": "jobs.models.JobStatus",
        "WorkplaceEnum": "helpers.geo.Workplace",  # a job's workplace and a candidate's preference
    },
    # Separate request components, so non-blank inputs carry `minLength: 1` (responses may be blank).
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from local static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# One handler, on the root logger. Django's own "django" logger also prints to the console when DEBUG
# is on and then propagates to root, so every request warning appeared twice; here it only propagates.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

TEST_RUNNER = "job_portal.test_runner.PytestRunner"
