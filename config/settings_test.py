"""Test settings: production-like (DEBUG off), fast hashing, e-mail kept in memory."""

import os
import tempfile
from pathlib import Path

# A checkout's .env is for development: the tests, and the processes they start, never read it.
os.environ["UTSIKT_ENV_FILE"] = os.devnull
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from config.settings import *  # noqa: F403
from config.settings import DATABASE_CACHE, DATABASES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tests run tasks at once unless a test runs the real database worker itself.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The tests' own cache and files, whatever the environment names for a site (REDIS_URL,
# UTSIKT_S3_*): tests running side by side must not share them. tests/platform starts the
# shared ones itself.
CACHES = {"default": DATABASE_CACHE}
UTSIKT_REVISIONS_IN_CACHE = False
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
# Each test's changes are rolled back, revision and all: a revision remembered from one test
# would file the next test's searches under the first one's. Read it on every page.
UTSIKT_REVISION_SECONDS = 0.0
# Tests see the figures they just wrote (a test of the cache sets its own).
UTSIKT_REPORT_CACHE_SECONDS = 0.0

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the task worker and the concurrency tests run in other processes.
    # One per test run, so that two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"utsikt-test-{os.getpid()}.sqlite3")
    }
