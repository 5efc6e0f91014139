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
    "utsikt.documents",
    "utsikt.pages",
    "utsikt.reporting",
    "utsikt.api",
    "utsikt.demo",
]

MIDDLEWARE = [
    # First of all: every response (a refusal too) carries its request id, every log line too.
    "utsikt.core.middleware.RequestIdMiddleware",
    # Then: a body too large is refused before anything (the CSRF check) reads it.
    "utsikt.core.middleware.RequestSizeMiddleware",
    "utsikt.core.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Single sign-on's own short session (the log-in this browser started); untouched, and
    # so free, on every request that is not a SAML log-in.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the person under the key the session was read with (one round trip).
    "utsikt.accounts.middleware.AuthenticationMiddleware",
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
        # A kept connection is checked before a request uses it again, so that after a
        # database restart the first request reconnects instead of failing.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's back end, whose health check asks the socket before it asks the server, and
    # which prepares the statement every signed-in request sends (utsikt/core/postgresql).
    DATABASES["default"]["ENGINE"] = "utsikt.core.postgresql"
    # A database that does not answer fails a request in seconds, never hangs it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        env("DATABASE_CONNECT_TIMEOUT", "5")
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache is shared by every server process: the login rate limit relies on it.
DATABASE_CACHE: dict[str, Any] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "utsikt_cache",
    # Beyond this many entries the cache deletes a third of them, log-in counts
    # included: far above what failed log-ins fill in a window.
    "OPTIONS": {"MAX_ENTRIES": 200_000},
}
CACHES: dict[str, dict[str, Any]] = {"default": DATABASE_CACHE}
# More than one machine: REDIS_URL=redis://host:6379/0 moves the shared cache (sessions in
# front of their table, the log-in limiter, named revisions, the worker's heartbeat) to Redis.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Sites (or test runs) sharing one Redis keep apart by prefix.
        "KEY_PREFIX": env("UTSIKT_CACHE_PREFIX", "utsikt"),
        # A Redis that does not answer fails a request in seconds, never hangs it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
# Named revisions (core/revision.py) are read from the shared cache when it is not the
# database itself (a plain query on their own table is cheaper than the database cache's).
UTSIKT_REVISIONS_IN_CACHE = bool(REDIS_URL)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "utsikt.accounts.backends.EmailBackend",
    # Answers only for a checked SAML response (accounts/sso.py); never for a password.
    "utsikt.accounts.sso.FederationBackend",
]
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
# Where `make backup` writes a backup when no folder is named (core/backup.py).
UTSIKT_BACKUP_DIR = Path(env("UTSIKT_BACKUP_DIR", str(BASE_DIR / "backups")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# More than one machine: documents in S3-compatible object storage (django-storages) when a
# bucket is named; private (no public ACL), handed out by Utsikt's own views. Empty values
# leave boto3 its own defaults (the instance's role, AWS_* variables, ~/.aws).
if env("UTSIKT_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("UTSIKT_S3_BUCKET"),
            "endpoint_url": env("UTSIKT_S3_ENDPOINT_URL") or None,
            "region_name": env("UTSIKT_S3_REGION") or None,
            "access_key": env("UTSIKT_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("UTSIKT_S3_SECRET_ACCESS_KEY") or None,
            "location": env("UTSIKT_S3_PREFIX"),
            "addressing_style": env("UTSIKT_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
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
# Sessions live in the session table (core/sessions.py: one plain query per request); with
# Redis, in Redis in front of the table (cached_db), so that a Redis restart logs nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "utsikt.core.sessions"
)
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

# UTSIKT_LOG_FORMAT=json writes one JSON object per line (time, level, logger, message,
# request_id and the record's own fields) for a log collector; text (the default) is for people.
# Both carry the request id (core/middleware.py RequestIdMiddleware, X-Request-ID); at
# DJANGO_LOG_LEVEL=INFO every request is one line (utsikt.requests) with its status and time.
LOG_FORMAT = env("UTSIKT_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals_on_one_line": {"()": "utsikt.core.logs.RefusalsOnOneLine"},
        "request_id": {"()": "utsikt.core.logs.RequestIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "utsikt.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
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
# The start page's renderer (core imports no app, so the app that knows what to show, the
# stories, ambassadors and next staff weeks, is named here); empty: core's plain page.
UTSIKT_START_PAGE = "utsikt.pages.views.start_page"

# The university's International Office, in every visitor's footer (signed-in people see their
# faculty's office from the database): settings, so that an anonymous page needs no query.
UTSIKT_OFFICE_NAME = env("UTSIKT_OFFICE_NAME", "Internationella kontoret, universitetet")
UTSIKT_OFFICE_NAME_EN = env("UTSIKT_OFFICE_NAME_EN", "International Office, the university")
UTSIKT_OFFICE_EMAIL = env("UTSIKT_OFFICE_EMAIL", "international@example.org")
UTSIKT_OFFICE_PHONE = env("UTSIKT_OFFICE_PHONE", "046-000 10 00")
UTSIKT_OFFICE_VISITING_ADDRESS = env(
    "UTSIKT_OFFICE_VISITING_ADDRESS", "Universitetshuset, Paradisgatan 2, Lund"
)
UTSIKT_OFFICE_POSTAL_ADDRESS = env("UTSIKT_OFFICE_POSTAL_ADDRESS", "Box 100, 221 00 Lund")

UTSIKT_UNIVERSITY_NAME_EN = env("UTSIKT_UNIVERSITY_NAME_EN", "Lund University")


# --- Single sign-on (SAML 2.0, accounts/sso.py) ------------------------------------------------
# Off unless the identity provider's metadata is named; local log-in always stays.
UTSIKT_SSO_IDP_METADATA = env_list("UTSIKT_SSO_IDP_METADATA")
UTSIKT_SSO_ENABLED = bool(UTSIKT_SSO_IDP_METADATA)
# "scope=department code" pairs: eduPersonPrincipalName's scope decides the department of a
# new account (the most specific scope wins; an empty code: no department yet).
UTSIKT_SSO_ORG_RULES = env("UTSIKT_SSO_ORG_RULES")
UTSIKT_SSO_AFFILIATIONS = env("UTSIKT_SSO_AFFILIATIONS", "employee,staff,faculty")
SAML_CONFIG: dict[str, object] = {}
if UTSIKT_SSO_ENABLED:
    from utsikt.accounts.sso_config import saml_config

    SAML_CONFIG = saml_config(
        base_url=UTSIKT_BASE_URL,
        idp_metadata=UTSIKT_SSO_IDP_METADATA,
        key_file=env("UTSIKT_SSO_SP_KEY"),
        cert_file=env("UTSIKT_SSO_SP_CERT"),
        entity_id=env("UTSIKT_SSO_ENTITY_ID"),
    )
SAML_DJANGO_USER_MAIN_ATTRIBUTE = "eppn"
SAML_ATTRIBUTE_MAPPING = {
    "eduPersonPrincipalName": ("eppn",),
    "mail": ("email",),
    "givenName": ("first_name",),
    "sn": ("last_name",),
}
SAML_CREATE_UNKNOWN_USER = True
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "utsikt.accounts.sso.refused"
SAML_CSP_HANDLER = ""  # the project's own CSP middleware applies
SAML_SESSION_COOKIE_NAME = "utsikt_saml"

# --- Data protection (accounts/privacy.py) -----------------------------------------------------
# Days after a person's last sign of life (log-in, an application's change) before
# `manage.py anonymise_expired` (or the admin's action) anonymises them; statistics stay.
UTSIKT_RETENTION_DAYS = int(env("UTSIKT_RETENTION_DAYS", "1825"))
# The sending institution on the Mobility Agreement (the ECHE holder's Erasmus code, address).
UTSIKT_UNIVERSITY_ERASMUS_CODE = env("UTSIKT_UNIVERSITY_ERASMUS_CODE", "S  LUND01")
UTSIKT_UNIVERSITY_ADDRESS = env("UTSIKT_UNIVERSITY_ADDRESS", "Box 117, 221 00 Lund, Sweden (SE)")
# The institution's seal on documents (PAdES): a PEM certificate and key. When both are
# empty, a self-signed certificate is made for the process (demo and tests only: a verifier
# outside Utsikt will not trust it).
UTSIKT_SEAL_CERTIFICATE = env("UTSIKT_SEAL_CERTIFICATE", "")
UTSIKT_SEAL_KEY = env("UTSIKT_SEAL_KEY", "")
UTSIKT_SEAL_KEY_PASSPHRASE = env("UTSIKT_SEAL_KEY_PASSPHRASE", "")
# How long a host's link to sign or to confirm attendance works.
UTSIKT_HOST_LINK_DAYS = int(env("UTSIKT_HOST_LINK_DAYS", "30"))
# The task worker (manage.py worker) writes a heartbeat to the shared cache this often; the
# health check (/health/) fails when the last one is older than UTSIKT_HEARTBEAT_STALE_SECONDS.
UTSIKT_HEARTBEAT_SECONDS = float(env("UTSIKT_HEARTBEAT_SECONDS", "15"))
# How often the worker refreshes SQLite's query-planner statistics (ANALYZE), in hours.
UTSIKT_SQLITE_ANALYZE_HOURS = float(env("UTSIKT_SQLITE_ANALYZE_HOURS", "24"))
UTSIKT_HEARTBEAT_STALE_SECONDS = float(env("UTSIKT_HEARTBEAT_STALE_SECONDS", "60"))
