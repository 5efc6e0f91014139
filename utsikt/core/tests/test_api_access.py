"""API routes refuse in JSON (401, 403), never with a login page, and still need a decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import path

from utsikt.accounts.models import RoleAssignment, User
from utsikt.core import access


def _answer(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"answer": 42})


def _undecided(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"answer": "never served"})


urlpatterns = [
    path("public", access.api_public(_answer)),
    path("signed-in", access.api_signed_in(_answer)),
    path("officers", access.api_holds_role(RoleAssignment.Role.OFFICER)(_answer)),
    path("undecided", _undecided),
]


@override_settings(ROOT_URLCONF=__name__)
def test_api_routes_answer_who_may_call_them_in_json(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    def status(persona: str | None, route: str) -> tuple[int, Any]:
        response = client_for(persona).get(f"/{route}")
        assert response["Content-Type"] == "application/json"
        return response.status_code, response.json().get("error")

    assert status(None, "public") == (200, None)
    assert status(None, "signed-in") == (401, "not_signed_in")
    assert status("librarian", "signed-in") == (200, None)
    assert status(None, "officers") == (401, "not_signed_in")
    assert status("librarian", "officers") == (403, "forbidden")
    assert status("officer_ht", "officers") == (200, None)


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_says_why_in_swedish_and_in_english(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    refused = client_for("librarian").get("/officers").json()
    assert refused == {
        "error": "forbidden",
        "message_sv": "Du får inte använda detta.",
        "message_en": "You may not use this.",
    }
    assert client_for(None).get("/signed-in").json()["message_sv"] == (
        "Logga in för att använda detta."
    )


@override_settings(ROOT_URLCONF=__name__)
def test_an_api_route_without_a_decision_is_refused(db: None, client: Client) -> None:
    assert client.get("/undecided").status_code == 404
