"""Tokens made by the person, hashed at rest and scoped; one's own applications and actions
through the API, behind the same gates as the pages; refusals in the project's JSON shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from utsikt.accounts import tokens
from utsikt.accounts.models import User
from utsikt.core.models import Event
from utsikt.mobility import factories
from utsikt.mobility.models import Status


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _refusal(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["error"] == error
    assert body["message_sv"] and body["message_en"]
    assert body["message_sv"] != body["message_en"]


def test_a_person_makes_a_token_sees_it_once_and_only_its_digest_is_kept(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for("librarian")
    page = client.post(reverse("accounts:api_tokens"), {"name": "My script", "scope": "read"})
    assert page.status_code == 200
    raw = page.context["raw"]
    assert raw.startswith(tokens.PREFIX) and raw in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    token = tokens.ApiToken.objects.get(user=personas["librarian"])
    assert token.digest == tokens.digest(raw) and raw not in {token.hint, token.digest}
    assert Event.objects.about(token).filter(action="api_token.created").exists()
    # Shown once: the list afterwards has the hint, never the token.
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert raw not in again and token.hint in again

    anonymous = Client()
    mine = anonymous.get(reverse("api:applications"), **_bearer(raw))
    assert mine.status_code == 200


def test_a_revoked_token_is_refused_at_once(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    token, raw = tokens.create(user=personas["librarian"], name="old", scope="write")
    assert Client().get(reverse("api:applications"), **_bearer(raw)).status_code == 200
    # Nobody else can revoke it: their list does not hold it.
    other = client_for("it_technician" if "it_technician" in personas else "head_libraries")
    assert other.post(reverse("accounts:revoke_api_token", args=[token.pk])).status_code == 404
    response = client_for("librarian").post(reverse("accounts:revoke_api_token", args=[token.pk]))
    assert response.status_code == 302
    _refusal(Client().get(reverse("api:applications"), **_bearer(raw)), 401, "invalid_token")


def test_without_credentials_ones_own_applications_are_a_json_401(db: None) -> None:
    response = Client().get(reverse("api:applications"))
    _refusal(response, 401, "not_signed_in")
    assert response["WWW-Authenticate"].startswith("Bearer")
    _refusal(Client().get(reverse("api:applications"), **_bearer("utsikt_nonsense")), 401,
             "invalid_token")  # fmt: skip
    # A bad token is refused on public routes too, rather than quietly read as anonymous.
    _refusal(Client().get(reverse("api:opportunities"), **_bearer("nonsense")), 401,
             "invalid_token")  # fmt: skip


def test_a_person_sees_only_their_own_applications(personas: dict[str, User]) -> None:
    mine = factories.application(applicant=personas["librarian"])
    theirs = factories.application(applicant=personas["head_libraries"], status=Status.SUBMITTED)
    _token, raw = tokens.create(user=personas["librarian"], name="r", scope="read")
    listed = Client().get(reverse("api:applications"), **_bearer(raw)).json()
    assert [a["id"] for a in listed["items"]] == [mine.pk]
    assert listed["items"][0]["actions"] == ["submit", "withdraw"]
    detail = Client().get(reverse("api:application", args=[mine.pk]), **_bearer(raw))
    assert detail.json()["objectives"] == mine.objectives
    _refusal(Client().get(reverse("api:application", args=[theirs.pk]), **_bearer(raw)), 404,
             "not_found")  # fmt: skip


def test_a_read_token_cannot_act_and_a_write_token_can(personas: dict[str, User]) -> None:
    draft = factories.application(applicant=personas["librarian"])
    url = reverse("api:application_act", args=[draft.pk, "withdraw"])
    _token, read = tokens.create(user=personas["librarian"], name="r", scope="read")
    _refusal(Client().post(url, {}, content_type="application/json", **_bearer(read)), 403,
             "insufficient_scope")  # fmt: skip
    _token, write = tokens.create(user=personas["librarian"], name="w", scope="write")
    response = Client().post(
        url, {"comment": "Not this year."}, content_type="application/json", **_bearer(write)
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.WITHDRAWN
    assert response.json()["history"][-1]["comment"] == "Not this year."
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    # The action wrote its event, as the page's does, with the person as the actor.
    event = Event.objects.about(draft).get(action="application.withdrawn")
    assert event.actor_user_id == personas["librarian"].pk
    # Again: it has moved on (409), not a 500.
    _refusal(Client().post(url, {}, content_type="application/json", **_bearer(write)), 409,
             "moved_on")  # fmt: skip


def test_an_action_the_applicant_may_not_take_is_refused_by_the_workflow(
    personas: dict[str, User],
) -> None:
    submitted = factories.application(applicant=personas["librarian"], status=Status.SUBMITTED)
    _token, write = tokens.create(user=personas["librarian"], name="w", scope="write")
    for action in ("approve", "grant"):
        url = reverse("api:application_act", args=[submitted.pk, action])
        _refusal(Client().post(url, {}, content_type="application/json", **_bearer(write)), 403,
                 "not_allowed")  # fmt: skip
    url = reverse("api:application_act", args=[submitted.pk, "no-such-action"])
    _refusal(Client().post(url, {}, content_type="application/json", **_bearer(write)), 404,
             "not_found")  # fmt: skip


def test_a_session_write_needs_the_csrf_token_as_the_pages_do(
    personas: dict[str, User],
) -> None:
    draft = factories.application(applicant=personas["librarian"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["librarian"])
    url = reverse("api:application_act", args=[draft.pk, "withdraw"])
    _refusal(client.post(url, {}, content_type="application/json"), 403, "csrf_failed")
    client.get(reverse("accounts:api_tokens"))  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_submitting_through_the_api_checks_the_plan_as_the_planner_does(
    personas: dict[str, User],
) -> None:
    incomplete = factories.application(applicant=personas["librarian"], objectives="")
    _token, write = tokens.create(user=personas["librarian"], name="w", scope="write")
    url = reverse("api:application_act", args=[incomplete.pk, "submit"])
    response = Client().post(url, {}, content_type="application/json", **_bearer(write))
    assert response.status_code == 400
    assert response.json()["error"] == "refused"
    incomplete.refresh_from_db()
    assert incomplete.status == Status.DRAFT


def test_invalid_parameters_are_a_400_in_both_languages(db: None) -> None:
    response = Client().get(reverse("api:opportunities"), {"limit": "many"})
    _refusal(response, 400, "invalid")
    assert response.json()["problems"][0]["field"] == "query.limit"


def test_the_catalogue_reads_as_its_pages_do(personas: dict[str, User]) -> None:
    from utsikt.catalogue.models import Opportunity

    listed = Client().get(reverse("api:opportunities"), {"limit": 100}).json()
    public = Opportunity.objects.listed()
    assert listed["count"] == public.count()
    drafts = Opportunity.objects.filter(status=Opportunity.Status.DRAFT)
    if drafts.exists():
        draft = drafts.first()
        assert draft is not None
        url = reverse("api:opportunity", args=[draft.slug])
        assert Client().get(url).status_code == 404
    hosts = Client().get(reverse("api:hosts"), {"q": "Porto"}).json()
    assert all("slug" in h for h in hosts["items"])


def test_the_openapi_schema_is_served(db: None) -> None:
    schema = Client().get(reverse("api:openapi")).json()
    assert {"/api/estimate", "/api/my/applications", "/api/catalogue/opportunities"} <= set(
        schema["paths"]
    )
    assert "BearerToken" in schema["components"]["securitySchemes"]
