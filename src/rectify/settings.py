"""Django settings for Rectify, read from the environment (every variable is in .env.example).

The environment is the process's own plus the environment file (`/etc/rectify/env`, or the path in
RECTIFY_ENV_FILE), read first so that cron, systemd, gunicorn and the shell see the same settings.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rectify import environment

try:
    RECTIFY_ENV_FILE = environment.load_env_file()
except environment.Misconfigured as error:
    raise ImproperlyConfigured(str(error)) from error


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envstr(name: str, default: str = "") -> str:
    # An empty value (`NAME=` in the env file) means the default, as for the other helpers.
    return os.environ.get(name) or default


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file NAME_FILE points at (Docker/systemd credentials)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


def default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rectify"


PACKAGE_DIR = Path(__file__).resolve().parent
RECTIFY_HOME = Path(envstr("RECTIFY_HOME") or default_home()).expanduser()
RECTIFY_HOME.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
RECTIFY_DEMO = envbool("RECTIFY_DEMO", False)


def _secret_key() -> str:
    configured = envsecret("SECRET_KEY")
    if configured:
        return configured
    # A per-deployment key kept beside the data, so sessions survive restarts without configuration.
    key_file = RECTIFY_HOME / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key(), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# The audit chain's HMAC key (a file outside the database); empty: RECTIFY_HOME/audit_key, generated once.
RECTIFY_AUDIT_KEY_FILE = envstr("RECTIFY_AUDIT_KEY_FILE")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rectify.organizations",
    "rectify.audit",
    "rectify.inspections",
    "rectify.ledger",
    "rectify.supervision",
    "rectify.spreadsheets",
    "rectify.reports",
    "rectify.api",
    "rectify.demo",
    "rectify.backup",
    "rectify.totp",
    "rectify.jobs",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rectify.security.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rectify.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rectify.security.NulCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rectify.security.SecurityHeadersMiddleware",
    "rectify.security.NoStoreMiddleware",
    "rectify.audit.access.AccessAuditMiddleware",
    "rectify.security.SecondFactorMiddleware",
    "rectify.security.ForcePasswordChangeMiddleware",
    # Last, so it turns any lockout raised while logging in into the "account locked" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rectify.urls"
WSGI_APPLICATION = "rectify.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rectify.organizations.navigation.nav",
            ],
        },
    }
]

DATABASE_URL = envstr("DATABASE_URL")
try:
    environment.refuse_stray_sqlite(RECTIFY_HOME, DATABASE_URL)
except environment.Misconfigured as error:
    raise ImproperlyConfigured(str(error)) from error
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("RECTIFY_DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": RECTIFY_HOME / "rectify.sqlite3",
            "OPTIONS": {
                # WAL keeps readers going while one writer commits; IMMEDIATE avoids upgrade deadlocks.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "timeout": 20,
            },
        }
    }

# One cache for every app server (rate limits, counters): a table in the shared database, created by
# `rectify migrate`. Per-process memory would let each server count on its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rectify_cache",
        "OPTIONS": {"MAX_ENTRIES": envint("RECTIFY_CACHE_MAX_ENTRIES", 100000)},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organizations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# Signing out lands on the sign-in page, not on the admin site's "logged out" page.
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "rectify.security.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
# The lockout backend comes first: a locked-out user is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "rectify.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): 5 failures for one user from one address lock that pair for 15 minutes.
AXES_ENABLED = envbool("RECTIFY_LOCKOUT", True)
AXES_FAILURE_LIMIT = envint("RECTIFY_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("RECTIFY_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Besides: this many failures from one address, over any accounts, lock the address (a password spray).
RECTIFY_LOCKOUT_ADDRESS_FAILURES = envint("RECTIFY_LOCKOUT_ADDRESS_FAILURES", 20)
# The "account locked" page (registration/locked.html), status 429.
AXES_LOCKOUT_CALLABLE = "rectify.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "rectify.network.client_ip"
AXES_VERBOSE = False  # no start-up banner on every command; failures and lockouts are still logged
# Behind N reverse proxies the client address is the Nth entry from the right of X-Forwarded-For.
RECTIFY_PROXY_COUNT = envint("RECTIFY_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = RECTIFY_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Static files are served by the app itself (no CDN, no separate web server needed on an intranet).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = RECTIFY_HOME / "files"
# On SQLite, a running import's progress (a file per job; see rectify.jobs.progress), not archived by backups.
RECTIFY_JOB_PROGRESS_DIR = RECTIFY_HOME / "jobs"
# No URL pattern serves MEDIA_URL: uploaded files are read only by the scoped download view.
MEDIA_URL = "/media/"

SESSION_COOKIE_AGE = envint("RECTIFY_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

EMAIL_BACKEND = envstr("RECTIFY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("RECTIFY_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("RECTIFY_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("RECTIFY_EMAIL_USER")
EMAIL_HOST_PASSWORD = envsecret("RECTIFY_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("RECTIFY_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("RECTIFY_EMAIL_FROM", "rectify@localhost")
# Seconds an SMTP connection may wait; e-mail is sent by `rectify worker` (or `rectify remind`), never in a request.
EMAIL_TIMEOUT = envint("RECTIFY_EMAIL_TIMEOUT", 10)
RECTIFY_EMAIL_MAX_ATTEMPTS = envint("RECTIFY_EMAIL_MAX_ATTEMPTS", 6)

# Background jobs (`rectify worker`): a claimed job is another worker's to take again once its lease runs
# out (its worker died); a failed one is tried again after RETRY_SECONDS, doubling each time.
RECTIFY_JOB_LEASE_SECONDS = envint("RECTIFY_JOB_LEASE_SECONDS", 300)
RECTIFY_JOB_RETRY_SECONDS = envint("RECTIFY_JOB_RETRY_SECONDS", 30)
RECTIFY_JOB_MAX_ATTEMPTS = envint("RECTIFY_JOB_MAX_ATTEMPTS", 5)
RECTIFY_WORKER_POLL_SECONDS = envint("RECTIFY_WORKER_POLL_SECONDS", 2)
RECTIFY_JOB_KEEP_DAYS = envint("RECTIFY_JOB_KEEP_DAYS", 7)
# A page following a job says the worker seems not to run once the job has waited this long unclaimed.
RECTIFY_JOB_WAIT_WARNING_SECONDS = envint("RECTIFY_JOB_WAIT_WARNING_SECONDS", 30)
# A confirmed ledger import of more data rows than this runs in `rectify worker`, followed on a progress page.
RECTIFY_IMPORT_INLINE_ROWS = envint("RECTIFY_IMPORT_INLINE_ROWS", 300)
# An uploaded ledger larger than this (bytes) is read and checked for its preview in `rectify worker` too.
RECTIFY_IMPORT_PREVIEW_INLINE_BYTES = envint("RECTIFY_IMPORT_PREVIEW_INLINE_BYTES", 1_000_000)
# A report generated from a ledger of more tasks than this is written in `rectify worker` (PDFs always are).
RECTIFY_REPORT_INLINE_TASKS = envint("RECTIFY_REPORT_INLINE_TASKS", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("RECTIFY_LOG_LEVEL", "WARNING")},
    # Security events are logged whatever the general level: failed logins and lockouts (axes, WARNING),
    # second-factor changes and failures (rectify.security, INFO), CSRF and host rejections (django.security).
    "loggers": {
        name: {"handlers": ["console"], "level": level, "propagate": False}
        for name, level in (("rectify.security", "INFO"), ("axes", "WARNING"), ("django.security", "WARNING"))
    },
}

# Workflow rules (docs/architecture.md, "Rules the workflow follows"); each can be changed per deployment.
RECTIFY_RULES = {
    "report_due_months": envint("RECTIFY_REPORT_DUE_MONTHS", 2),
    "plan_due_working_days": envint("RECTIFY_PLAN_DUE_WORKING_DAYS", 15),
    "lead_reply_months": envint("RECTIFY_LEAD_REPLY_MONTHS", 3),
    "closure_needs_evidence": envbool("RECTIFY_CLOSURE_NEEDS_EVIDENCE", True),
    "yellow_days": envint("RECTIFY_YELLOW_DAYS", 10),
    "silent_days": envint("RECTIFY_SILENT_DAYS", 7),
    "red_returns": envint("RECTIFY_RED_RETURNS", 2),
}
# The State Council's holiday notice typed in as JSON, for years the chinesecalendar package does not know.
RECTIFY_CALENDAR_FILE = envstr("RECTIFY_CALENDAR_FILE")
RECTIFY_UPLOAD_MAX_BYTES = envint("RECTIFY_UPLOAD_MAX_MB", 20) * 1024 * 1024
RECTIFY_WEBHOOK_MAX_ATTEMPTS = envint("RECTIFY_WEBHOOK_MAX_ATTEMPTS", 8)
RECTIFY_WEBHOOK_TIMEOUT = envint("RECTIFY_WEBHOOK_TIMEOUT", 5)
# Hosts webhooks may post to ("im.example.gov.cn", ".example.gov.cn" for subdomains); empty: none.
RECTIFY_WEBHOOK_ALLOWED_HOSTS = envlist("RECTIFY_WEBHOOK_ALLOWED_HOSTS")
RECTIFY_FEEDBACK_PER_HOUR = envint("RECTIFY_FEEDBACK_PER_HOUR", 5)
# A whole request (several evidence files at once) may be at most this large; larger ones get 413 unread.
RECTIFY_REQUEST_MAX_BYTES = envint("RECTIFY_REQUEST_MAX_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token, and the API docs page gets it from the page.
CSRF_COOKIE_HTTPONLY = True
if not DEBUG and envbool("RECTIFY_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("RECTIFY_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("RECTIFY_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
