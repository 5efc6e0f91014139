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


def test_two_requests_of_one_session_get_their_own_values(db: None) -> None:
    # The decoded text is kept per process (sessions.decoded): what one request changes in
    # its session before saving must not reach another request reading the same row.
    written = SessionStore()
    written.update({"_auth_user_id": "7", "django_language": "sv"})
    written.save()
    SessionStore(written.session_key).load()  # an earlier request: the text is now kept
    first = SessionStore(written.session_key)
    first["django_language"] = "en"
    second = SessionStore(written.session_key)
    assert second["django_language"] == "sv"
    first.save()
    assert SessionStore(written.session_key)["django_language"] == "en"


def test_a_session_with_nested_values_is_decoded_anew_each_time(db: None) -> None:
    written = SessionStore()
    written["chosen"] = {"view": "calendar"}
    written.save()
    SessionStore(written.session_key).load()
    first = SessionStore(written.session_key)
    first["chosen"]["view"] = "map"  # changed in place, not saved
    assert SessionStore(written.session_key)["chosen"] == {"view": "calendar"}
