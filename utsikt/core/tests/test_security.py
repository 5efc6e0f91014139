"""Safe headers on every page, CSRF on every form, production settings that pass the checklist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import MATRIX, _url
from utsikt.accounts.models import User

HTML_ROUTES = [name for name in MATRIX if name not in {"set_language", "logout", "healthz", "ping"}]


def _assert_safe_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.mark.parametrize("name", HTML_ROUTES)
@pytest.mark.parametrize("persona", [None, "officer_ht"])
def test_every_page_sends_the_security_headers(
    name: str,
    persona: str | None,
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
) -> None:
    kwargs, _expected = MATRIX[name]
    response = client_for(persona).get(_url(name, kwargs, personas), follow=True)
    _assert_safe_headers(response)


def test_scripts_come_only_from_our_own_files(client: Client) -> None:
    """The policy allows no inline script, and every page's scripts are files of ours."""
    response = client.get(reverse("accounts:login"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(re.search(r'src="/static/[^"]+"', tag) for tag in scripts)


def test_error_pages_send_the_security_headers_too(client: Client) -> None:
    _assert_safe_headers(client.get("/no-such-page/"))


def test_forms_are_refused_without_a_csrf_token(personas: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"),
        {"username": "maja.lindqvist@example.org", "password": "utsikt-demo"},
    )
    assert response.status_code == 403
    assert "Formuläret hade gått ut" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _production_env(**settings_env: str) -> dict[str, str]:
    """This environment as production would have it: no test-only relaxations."""
    relaxed = {"DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in relaxed}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "0", **settings_env}


def test_production_settings_pass_the_deployment_checklist() -> None:
    env = _production_env(
        DJANGO_SECRET_KEY="a-long-random-production-like-secret-" + "x9Qz" * 10,
        DJANGO_ALLOWED_HOSTS="utsikt.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_env()
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_https_is_enforced() -> None:
    env = _production_env(DJANGO_SECRET_KEY="another-long-secret-" + "k3Lm" * 10)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr
