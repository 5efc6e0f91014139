"""Caches and headers: what the anonymous page cache keeps, what personal pages may not be
kept, HEAD like GET, and refusals logged on one line."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_http_date

from utsikt.core import cache, revision


def test_the_page_cache_never_shows_one_visitors_query_string_to_the_next(db: None) -> None:
    revision.bump("catalogue")  # pages are cached once the catalogue has a revision
    cache.pages.clear()
    search = reverse("catalogue:search")
    first = Client().get(search, {"q": "porto", "utm_source": "first-visitors-marker"})
    assert first.status_code == 200
    later = Client().get(search, {"q": "porto"})
    assert later.status_code == 200
    assert b"first-visitors-marker" not in later.content
    # The language switch returns to the canonical address of the page shown.
    assert b'name="next" value="/catalogue/?q=porto"' in later.content


@pytest.mark.parametrize(
    "name", ["core:start", "catalogue:search", "catalogue:hosts", "grants:estimate"]
)
def test_head_answers_like_get_without_a_body(db: None, name: str) -> None:
    client = Client()
    got = client.get(reverse(name))
    head = client.head(reverse(name))
    assert (head.status_code, head["Content-Type"]) == (got.status_code, got["Content-Type"])
    assert head.content == b""


def test_head_through_the_wsgi_handler_itself_sends_no_body(db: None) -> None:
    # The test client drops HEAD bodies itself; a server in production may not.
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import FakePayload

    def call(method: str) -> tuple[str, dict[str, str], bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": reverse("catalogue:search"),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": FakePayload(b""),
        }
        status: list[str] = []
        headers: dict[str, str] = {}

        def start_response(code: str, sent: list[tuple[str, str]], *_: object) -> None:
            status.append(code)
            headers.update(sent)

        body = b"".join(WSGIHandler()(environ, start_response))
        return status[0], headers, body

    get_status, get_headers, get_body = call("GET")
    head_status, head_headers, head_body = call("HEAD")
    assert (head_status, head_body) == (get_status, b"")
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))


@pytest.mark.parametrize(
    "name", ["accounts:home", "accounts:profile", "mobility:staff_home", "catalogue:search"]
)
def test_a_signed_in_persons_pages_are_never_stored_by_a_cache(
    client_for: Callable[[str | None], Client], name: str
) -> None:
    response = client_for("librarian").get(reverse(name), follow=True)
    assert response.status_code == 200
    # As Django's never_cache has it (the middleware writes its result without parsing).
    never_cached = HttpResponse()
    add_never_cache_headers(never_cached)
    assert response["Cache-Control"] == never_cached["Cache-Control"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert parse_http_date(response["Expires"]) <= parse_http_date(never_cached["Expires"])


def test_a_signed_in_request_that_shows_nothing_of_the_person_reads_neither_session_nor_user(
    client_for: Callable[[str | None], Client],
) -> None:
    client = client_for("librarian")
    client.cookies["django_language"] = "sv"  # as log-in sets it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:ping"))
    assert response.status_code == 200
    assert len(queries) == 0


def test_anonymous_catalogue_pages_may_still_be_cached(db: None) -> None:
    assert "no-store" not in Client().get(reverse("catalogue:search")).get("Cache-Control", "")


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(
    client_for: Callable[[str | None], Client], caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for("librarian")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        forbidden = client.get(reverse("catalogue:office"))
        missing = client.get(reverse("catalogue:opportunity_detail", args=["no-such-thing"]))
    assert (forbidden.status_code, missing.status_code) == (403, 404)
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 2
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in refusals)
