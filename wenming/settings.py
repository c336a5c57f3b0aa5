"""Settings for wenming, read from environment variables.

Every variable is documented in docs/configuration.md. The embedded default needs no
server: SQLite and uploaded files live under WENMING_DATA_DIR (./var).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


DATA_DIR = Path(env_str("WENMING_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a generated one in the data dir."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "wenming.core",
    "wenming.orgs",
    "wenming.trace",
    "wenming.frameworks",
    "wenming.campaigns",
    "wenming.tasks",
    "wenming.ledger",
    "wenming.scoring",
    "wenming.oversight",
    "wenming.activities",
    "wenming.registry",
    "wenming.applications",
    "wenming.rechecks",
    "wenming.supervision",
    "wenming.notifications",
    "wenming.dashboards",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Makes the logged-in user the actor of every change recorded by the trace (R16).
    "wenming.trace.middleware.TraceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns lockouts into the page below.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wenming.urls"
WSGI_APPLICATION = "wenming.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wenming.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'wenming.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; IMMEDIATE avoids "database is locked"
    # when two requests upgrade a read transaction to a write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

if env_str("WENMING_TEST_DB_NAME") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Lets several test runs share one PostgreSQL server without sharing a database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("WENMING_TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wenming.core.views.lockout"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Evidence files in S3-compatible object storage (see docs/configuration.md): set
# WENMING_S3_BUCKET and install django-storages[s3]; the other S3 settings follow its names.
if env_str("WENMING_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("WENMING_S3_BUCKET"),
            "endpoint_url": env_str("WENMING_S3_ENDPOINT_URL") or None,
            "access_key": env_str("WENMING_S3_ACCESS_KEY") or None,
            "secret_key": env_str("WENMING_S3_SECRET_KEY") or None,
            "region_name": env_str("WENMING_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Static files are served from the app directories without collectstatic in the
# embedded default; production runs `wenming collectstatic`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: imports read at most this many bytes; larger files are refused before parsing.
WENMING_IMPORT_MAX_BYTES = env_int("WENMING_IMPORT_MAX_MB", 10) * 1024 * 1024
# Evidence files: each file at most this many bytes; a request at most this many files.
WENMING_UPLOAD_MAX_BYTES = env_int("WENMING_UPLOAD_MAX_MB", 300) * 1024 * 1024
WENMING_UPLOAD_MAX_FILES = env_int("WENMING_UPLOAD_MAX_FILES", 50)
# Images above this many pixels are refused as decompression bombs (a 108-megapixel phone
# photo is about 1.1e8).
WENMING_IMAGE_MAX_PIXELS = env_int("WENMING_IMAGE_MAX_PIXELS", 200_000_000)
# Deleted evidence stays in the recycle bin at least this many days before it may be purged.
WENMING_RECYCLE_RETENTION_DAYS = env_int("WENMING_RECYCLE_RETENTION_DAYS", 30)
# A photo taken more than this many days from the stated activity date is flagged.
WENMING_PHOTO_DATE_TOLERANCE_DAYS = env_int("WENMING_PHOTO_DATE_TOLERANCE_DAYS", 7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = WENMING_UPLOAD_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work (thumbnails, binder exports): the database backend needs no extra server;
# `make run` starts one worker beside the web server (`wenming db_worker`).
# WENMING_TASKS_BACKEND=immediate runs the work inside the request instead.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("WENMING_TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Notifications (docs/notifications.md): the inbox always works; the daily email digest is
# sent only when WENMING_SMTP_HOST is set. Links in mails start with WENMING_BASE_URL.
WENMING_SMTP_HOST = env_str("WENMING_SMTP_HOST")
if WENMING_SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = WENMING_SMTP_HOST
    EMAIL_PORT = env_int("WENMING_SMTP_PORT", 25)
    EMAIL_HOST_USER = env_str("WENMING_SMTP_USER")
    EMAIL_HOST_PASSWORD = env_str("WENMING_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("WENMING_SMTP_TLS", False)
    # Port 465 speaks TLS from the first byte (SMTPS) rather than upgrading with STARTTLS.
    EMAIL_USE_SSL = EMAIL_PORT == 465 and not EMAIL_USE_TLS
    EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("WENMING_MAIL_FROM", "wenming@localhost")
WENMING_BASE_URL = env_str("WENMING_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WENMING_NOTIFY_INTERVAL_MINUTES = env_int("WENMING_NOTIFY_INTERVAL_MINUTES", 10)
WENMING_DIGEST_HOUR = env_int("WENMING_DIGEST_HOUR", 8)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

if env_bool("WENMING_FAST_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; a binder would flood the log.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
