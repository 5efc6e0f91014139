from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.accounts.models import User

# The start page shows stories, ambassadors and staff weeks from the database (the pages
# app's start_page), so the tests that open it ask for the database.


def test_pages_are_swedish_by_default_whatever_the_browser_asks(client: Client, db: None) -> None:
    response = client.get(reverse("core:start"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Fortbilda dig utomlands i tjänsten" in body
    assert response["Content-Language"] == "sv"


def test_english_is_one_click_away_and_remembered(client: Client, db: None) -> None:
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    body = client.get(reverse("core:start")).content.decode()
    assert '<html lang="en">' in body
    assert "Train abroad as a member of staff" in body


def test_the_language_switch_never_redirects_off_site(client: Client) -> None:
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_keeps_swedish(client: Client, db: None) -> None:
    client.post(reverse("core:set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_a_signed_in_persons_choice_follows_them_to_a_new_browser(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client_for("librarian").post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert User.objects.get(pk=personas["librarian"].pk).language == "en"
    fresh_browser = client_for("librarian")
    assert "Welcome, Maja" in fresh_browser.get(reverse("mobility:staff_home")).content.decode()


def test_error_pages_are_translated(client: Client) -> None:
    assert "Vi hittade inte sidan" in client.get("/no-such-page/").content.decode()
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_an_anonymous_visitor_switches_language_without_a_csrf_token(db: None) -> None:
    """Their pages carry no token (so they cache whole); the switch only sets a cookie."""
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in client.get(reverse("core:start")).content.decode()
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_forged_switch_cannot_change_a_signed_in_persons_profile(
    personas: dict[str, User],
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["librarian"])
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(pk=personas["librarian"].pk).language == "sv"
    # With the token of their own page, the switch goes through.
    page = client.get(reverse("mobility:staff_home")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    client.post(
        reverse("core:set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token[1]},
    )
    assert User.objects.get(pk=personas["librarian"].pk).language == "en"


def test_short_dates_follow_the_language() -> None:
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day|date:"MONTH_DAY_FORMAT" }}')
    day = datetime.date(2026, 11, 17)
    with translation.override("sv"):
        assert template.render(Context({"day": day})) == "17 nov 2026 · 17 nov"
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "17 Nov 2026 · 17 Nov"
