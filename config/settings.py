"""Utsikt settings: one env-driven module. Every variable is listed in .env.example."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """Read KEY=value lines into the environment; what the environment already has wins."""
    # `make setup` writes the checkout's .env (a secret key, DJANGO_DEBUG=1, plain http), so
    # that every command in the README works without exporting anything.
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#") and value.strip():
            os.environ.setdefault(key.strip(), value.strip())


# UTSIKT_ENV_FILE names another file; the tests point it at /dev/null.
load_env_file(Path(os.environ.get("UTSIKT_ENV_FILE") or BASE_DIR / ".env"))


def env(name: str, default: str = "") -> str:
    # `X=""` in a shell or CI counts as unset: an empty value never overrides a default.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    # Only for local development: never used when DEBUG is off.
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "utsikt.core",
    "utsikt.accounts",
    "utsikt.grants",
    "utsikt.catalogue",
    "utsikt.mobility",
    "utsikt.reporting",
    "utsikt.api",
]

MIDDLEWARE = [
    # First: a body too large is refused before anything (the CSRF check) reads it.
    "utsikt.core.middleware.RequestSizeMiddleware",
    "utsikt.core.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "utsikt.core.middleware.PrivatePagesMiddleware",
    "utsikt.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "utsikt.core.middleware.AccessDecisionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "utsikt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "utsikt.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the zero-set-up default; DATABASE_URL=postgresql://… selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache is shared by every server process: the login rate limit relies on it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "utsikt_cache",
        # Beyond this many entries the cache deletes a third of them, log-in counts
        # included: far above what failed log-ins fill in a window.
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["utsikt.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:start"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed log-ins allowed per (client address, account) pair within the window; a client
# address may fail four times as often (accounts/ratelimit.py). Nothing is limited per
# account alone, so that nobody can lock another person out.
LOGIN_RATE_LIMIT = int(env("UTSIKT_LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_WINDOW_SECONDS = int(env("UTSIKT_LOGIN_RATE_WINDOW_SECONDS", "900"))
# Password reset e-mails per address asked for within the same window (four times as many
# per client address).
PASSWORD_RESET_RATE_LIMIT = int(env("UTSIKT_PASSWORD_RESET_RATE_LIMIT", "3"))
# Reverse proxies in front of Utsikt that append the client's address to X-Forwarded-For
# (0: none, the connection's address is the client's). Never more than there are: the
# client writes the entries further left itself.
UTSIKT_TRUSTED_PROXIES = int(env("UTSIKT_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# Short dates per language (templates use MONTH_DAY_FORMAT and SHORT_DATE_FORMAT).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "utsikt" / "static"]
MEDIA_ROOT = Path(env("UTSIKT_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND_PATH = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 20,
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {"file_path": env("EMAIL_FILE_PATH", str(BASE_DIR / "mail"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Utsikt <utsikt@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The strict policy forbids inline scripts: scripts come from our own files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],  # no inline script anywhere: no nonce, pages cache whole
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions are read from the cache, which every server process shares (the database cache
# above), and written through to the session table: a signed-in request reads one cache row
# instead of building an ORM query, and a log-out deletes both, so it ends the session in
# every process at once. (A per-process cache would keep a logged-out session alive elsewhere.)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("UTSIKT_SESSION_AGE_SECONDS", str(12 * 3600)))
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CSRF_FAILURE_VIEW = "utsikt.core.errors.csrf_failure"

# The largest request body a route takes, unless it says otherwise (core/limits.py: the
# import and the signed agreement take files); a larger one is refused (413) unread.
UTSIKT_MAX_REQUEST_BYTES = int(env("UTSIKT_MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_on_one_line": {"()": "utsikt.core.logs.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # A refused request (403, 404) is one line; errors (5xx) keep their traceback.
    "loggers": {"django.request": {"filters": ["refusals_on_one_line"]}},
}

# Where Utsikt is reached, for links in e-mails.
UTSIKT_BASE_URL = env("UTSIKT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days a decision may wait before its manager or officer is reminded.
UTSIKT_REMINDER_DAYS = int(env("UTSIKT_REMINDER_DAYS", "5"))

# Seconds a server process trusts a revision (utsikt/core/revision.py: the catalogue's, ...)
# it last read before reading it again (every write to the area changes it; a process sees its
# own writes at once). Cached searches and pages cost no query within this time; other
# processes show a change after at most this long.
UTSIKT_REVISION_SECONDS = float(env("UTSIKT_REVISION_SECONDS", "1"))
# Seconds the dashboard keeps its figures per scope, filters and language (0: never).
UTSIKT_REPORT_CACHE_SECONDS = float(env("UTSIKT_REPORT_CACHE_SECONDS", "60"))

# An import of more rows than this runs in the task worker, with a progress page; smaller
# ones are imported while the page waits.
UTSIKT_IMPORT_SYNC_ROWS = int(env("UTSIKT_IMPORT_SYNC_ROWS", "500"))

# The sending university's name in Swedish and English, shown in the header and on documents.
UTSIKT_UNIVERSITY_NAME = env("UTSIKT_UNIVERSITY_NAME", "Lunds universitet")
UTSIKT_UNIVERSITY_NAME_EN = env("UTSIKT_UNIVERSITY_NAME_EN", "Lund University")
