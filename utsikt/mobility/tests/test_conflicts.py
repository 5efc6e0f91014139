"""No false conflicts and no lost words: the planner's saves from one page, two tabs, the
retry after a conflict, and a submission racing an autosave. The browser side of the same
races is in tests/browser/test_planner_races.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility import planning, workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

from .test_views import _plan_form

Clients = Callable[[str | None], Client]
pytestmark = pytest.mark.django_db


def _autosave(client: Client, plan: Application, **changes: Any) -> str:
    response = client.post(
        reverse("mobility:application_autosave", args=[plan.pk]),
        _plan_form(plan, **changes),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_save_from_the_page_whose_own_autosave_answer_is_on_its_way_is_not_a_conflict(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    # The autosave sent on leaving the field reaches the server first ...
    _autosave(client, plan, page="tab-a", objectives="Typed, then Save clicked.")
    # ... and the page's own Save, sent before that answer came back, carries the version
    # the page had: it is the same page's latest word, not a conflict.
    saved = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, page="tab-a", objectives="Typed, then Save clicked!", intent="save"),
    )
    assert saved.status_code == 302
    assert Application.objects.get(pk=plan.pk).objectives == "Typed, then Save clicked!"


def test_a_save_from_another_page_at_an_older_version_is_still_a_conflict(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    _autosave(client, plan, page="tab-b", objectives="Saved in tab B.")
    stale = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, page="tab-a", objectives="Typed in tab A."),
    )
    assert stale.status_code == 409
    assert Application.objects.get(pk=plan.pk).objectives == "Saved in tab B."


@pytest.mark.parametrize(
    ("language", "keep", "take"),
    [
        ("sv", "Behåll mitt", "Ta deras"),
        ("en", "Keep mine", "Take theirs"),
    ],
)
def test_an_autosave_conflict_never_hands_the_stale_page_the_newer_version(
    personas: dict[str, User], client_for: Clients, language: str, keep: str, take: str
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    client.cookies["django_language"] = language
    _autosave(client, plan, page="tab-b", objectives="Tab B's acknowledged text.")
    current = Application.objects.get(pk=plan.pk).version
    body = _autosave(client, plan, page="tab-a", objectives="Tab A's text.")
    # The stale page keeps its own version: the next keystroke cannot save over tab B.
    assert 'id="id_version"' not in body
    assert f'data-conflict="{current}"' in body
    assert "Tab B&#x27;s acknowledged text." in body  # what differs is shown
    assert keep in body and take in body
    assert f'name="keep_mine" value="{current}"' in body
    body = _autosave(client, plan, page="tab-a", objectives="Tab A's text, typed on.")
    assert Application.objects.get(pk=plan.pk).objectives == "Tab B's acknowledged text."


def test_after_a_conflict_the_persons_choice_resolves_it_and_submit_goes_through(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    url = reverse("mobility:application_plan", args=[plan.pk])
    _autosave(client, plan, page="tab-b", objectives="Tab B.")
    mine = _plan_form(plan, page="tab-a", objectives="Tab A, kept.")
    assert client.post(url, mine).status_code == 409
    # Saving again without choosing is still a conflict: nothing is saved over tab B ...
    assert client.post(url, mine).status_code == 409
    assert Application.objects.get(pk=plan.pk).objectives == "Tab B."
    # ... and choosing to keep one's own text saves it, at the version that was shown.
    current = Application.objects.get(pk=plan.pk).version
    chosen = client.post(url, {**mine, "keep_mine": str(current)})
    assert chosen.status_code == 302
    plan.refresh_from_db()
    assert plan.objectives == "Tab A, kept."
    # The planner opened again submits at once.
    page = client.get(url)
    assert f'value="{plan.version}"' in page.content.decode()
    submitted = client.post(url, _plan_form(plan, page="tab-a2", intent="submit"))
    assert submitted.status_code == 302
    assert Application.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_keep_mine_refers_to_the_version_shown_so_a_newer_save_is_a_new_conflict(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    url = reverse("mobility:application_plan", args=[plan.pk])
    _autosave(client, plan, page="tab-b", objectives="Tab B.")
    shown = Application.objects.get(pk=plan.pk)
    _autosave(client, shown, page="tab-b", objectives="Tab B, later.")
    refused = client.post(
        url, _plan_form(plan, page="tab-a", objectives="A.", keep_mine=str(shown.version))
    )
    assert refused.status_code == 409
    assert Application.objects.get(pk=plan.pk).objectives == "Tab B, later."


def test_a_submission_is_refused_when_a_save_lands_between_the_check_and_the_move(
    personas: dict[str, User],
) -> None:
    librarian = personas["librarian"]
    plan = application(applicant=librarian)
    judged = Application.objects.get(pk=plan.pk)  # complete, as the submission read it
    # The autosave sent just before the click empties a required field.
    planning.save_draft(
        application=plan,
        by=librarian,
        version=plan.version,
        data={"objectives": ""},
        hosts=list(plan.hosts.all()),
    )
    workflow.check(librarian, judged, "submit")
    with pytest.raises(workflow.TransitionRefused):
        workflow.submit(application=judged, actor=Actor.of(librarian))
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT and plan.objectives == ""
    assert not plan.transitions.exists()


def test_the_overview_submits_only_the_version_it_showed(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    detail = client.get(reverse("mobility:application_detail", args=[plan.pk])).content.decode()
    assert f'name="version" value="{plan.version}"' in detail
    _autosave(client, plan, page="tab-b", objectives="")
    client.post(
        reverse("mobility:application_act", args=[plan.pk, "submit"]),
        {"version": str(plan.version)},
    )
    assert Application.objects.get(pk=plan.pk).status == Status.DRAFT


def test_through_htmx_a_save_answers_with_a_redirect_and_a_conflict_with_the_page(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    url = reverse("mobility:application_plan", args=[plan.pk])
    saved = client.post(url, _plan_form(plan, page="tab-a", intent="save"), HTTP_HX_REQUEST="true")
    assert saved["HX-Redirect"] == url
    stale = client.post(url, _plan_form(plan, page="tab-c"), HTTP_HX_REQUEST="true")
    # htmx swaps only successful answers: the conflict page comes as 200 and says so.
    assert stale.status_code == 200
    assert "data-conflict=" in stale.content.decode()
