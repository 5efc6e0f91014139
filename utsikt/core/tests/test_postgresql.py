"""The PostgreSQL back end: a kept connection the server ended is replaced before a request
uses it, a healthy one is not asked `SELECT 1` on every request, and the statement every
signed-in request sends is prepared once."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


@pytest.fixture
def kept() -> Iterator[Any]:
    """A connection of its own, kept between requests and checked, as the web server's are."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_HEALTH_CHECKS": True}
    wrapper.connect()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
    return pid


def next_request(wrapper: Any) -> None:
    wrapper.close_if_unusable_or_obsolete()  # what Django does when a request starts


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_uses_it(
    kept: Any,
) -> None:
    assert kept.__module__ == "utsikt.core.postgresql.base"
    first = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    poll = select.poll()
    poll.register(kept.connection.pgconn.socket, select.POLLIN)
    deadline = time.monotonic() + 5
    while not poll.poll(50) and time.monotonic() < deadline:
        pass  # the server's notice reaches the socket

    next_request(kept)
    second = backend_pid(kept)  # no error: the request got a new connection

    assert second != first


def test_a_healthy_kept_connection_is_not_asked_a_query_before_each_request(
    kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = []
    usable = kept.is_usable
    monkeypatch.setattr(kept, "is_usable", lambda: asked.append(1) or usable())
    first = backend_pid(kept)
    for _ in range(3):
        next_request(kept)
        assert backend_pid(kept) == first
    assert asked == []

    # A connection left in a transaction is checked the slow way.
    kept.connection.execute("BEGIN")
    next_request(kept)
    backend_pid(kept)
    assert asked == [1]


def test_the_statement_of_every_signed_in_request_is_prepared_once_and_still_counted() -> None:
    from django.test.utils import CaptureQueriesContext

    from utsikt.core.sessions import SessionStore

    session = SessionStore()
    session["language"] = "sv"
    session.save()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):  # two requests of one signed-in person
            assert SessionStore(session.session_key).load() == {"language": "sv"}
    assert len(queries) == 2  # Django still sees (and counts) each
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%django_session%"],
        )
        assert cursor.fetchone()[0] == 1  # one plan for both
