"""Sessions read from their table with one plain query (core/sessions.py): what the database
says of a session is what the next request gets."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.core.sessions import SessionStore

PROFILE = reverse("accounts:profile")


def _signed_in(client_for: Callable[[str | None], Client]) -> tuple[Client, str]:
    client = client_for("librarian")
    assert client.get(PROFILE).status_code == 200
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_site_keeps_its_sessions_in_this_store() -> None:
    assert settings.SESSION_ENGINE == "utsikt.core.sessions"  # no REDIS_URL in the tests


def test_an_expired_session_signs_nobody_in(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client, key = _signed_in(client_for)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(PROFILE).status_code == 302


def test_a_session_whose_data_was_tampered_with_signs_nobody_in(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client, key = _signed_in(client_for)
    Session.objects.filter(session_key=key).update(session_data="not-signed-by-this-site")
    assert client.get(PROFILE).status_code == 302


def test_a_cookie_that_names_no_session_is_a_visitor_who_can_log_in(
    personas: dict[str, User],
) -> None:
    for made_up in ("x", "a" * 32, "'; DROP TABLE django_session; --"):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = made_up
        assert client.get(PROFILE).status_code == 302
        response = client.post(
            reverse("accounts:login"),
            {"username": personas["librarian"].email, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert client.cookies[settings.SESSION_COOKIE_NAME].value != made_up
        assert client.get(PROFILE).status_code == 200


def test_what_a_request_keeps_in_the_session_the_next_one_reads(db: None) -> None:
    written = SessionStore()
    written["chosen"] = {"view": "calendar", "page": 3}
    written.save()
    assert SessionStore(written.session_key).load() == {"chosen": {"view": "calendar", "page": 3}}
    written.delete()
    read = SessionStore(written.session_key)
    assert read.load() == {}
    assert read.session_key is None  # saving it now makes a new key, never the old one
