"""A body larger than its route takes is refused with 413 before anything reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.catalogue import imports
from utsikt.core import limits
from utsikt.mobility import workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Status

MB = 1024 * 1024


class EndlessBody:
    """A client that keeps sending: counts what the server reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _send(client: Client, path: str, declared: int, body: EndlessBody) -> Any:
    return client.generic(
        "POST",
        path,
        data=b"x",
        content_type="multipart/form-data; boundary=edge",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": body},
    )


@pytest.mark.parametrize("path", ["/login/", "/admin/login/", "/api/estimate", "/no-such-page/"])
def test_a_300_mb_body_is_refused_unread(db: None, path: str) -> None:
    body = EndlessBody()
    response = _send(Client(), path, 300 * MB, body)
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_the_refusal_is_a_clear_page_in_the_visitors_language_and_json_for_programs(
    db: None,
) -> None:
    page = _send(Client(), "/login/", 300 * MB, EndlessBody())
    assert "större än 1 MB" in page.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "larger than 1 MB" in _send(english, "/login/", 300 * MB, EndlessBody()).content.decode()
    api = _send(Client(), "/api/estimate", 300 * MB, EndlessBody())
    assert api["Content-Type"] == "application/json"
    assert api.json()["error"] == "too_large" and api.json()["message_en"]


def test_upload_routes_take_their_files_and_refuse_more(
    client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    routes = {
        reverse("catalogue:import"): imports.MAX_UPLOAD_BYTES,
        reverse("mobility:application_act", args=[plan.pk, "record_signed_agreement"]): (
            workflow.AGREEMENT_MAX_BYTES
        ),
    }
    client = client_for("officer_ht")
    for path, file_size in routes.items():
        # A file of the largest size the route takes is read (and judged by its form) ...
        assert _send(client, path, file_size + 1024, EndlessBody()).status_code != 413
        # ... one beyond the route's limit is refused unread.
        body = EndlessBody()
        beyond = file_size + limits.FORM_OVERHEAD_BYTES + 1
        assert _send(client, path, beyond, body).status_code == 413
        assert body.read_bytes == 0
