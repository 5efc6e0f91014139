"""Travelling together that a colleague can act on: the invitation says who, what, where
and when, opens a read-only summary of the plan, and accepting makes one plan only."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.mobility import planning, workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Companion, Status

Clients = Callable[[str | None], Client]
pytestmark = pytest.mark.django_db


def _invite(
    personas: dict[str, User], colleague: str = "study_adviser", **fields: Any
) -> Companion:
    plan = application(
        applicant=personas["librarian"],
        status=Status.SUBMITTED,
        travel_out=datetime.date(2027, 5, 2),
        travel_back=datetime.date(2027, 5, 8),
        travel_mode="train",
        visible_to_colleagues=True,
        **fields,
    )
    return planning.invite_companion(
        application=plan, colleague=personas[colleague], by=personas["librarian"]
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Maja Lindqvist", "Jobbskuggning", "Porto", "Portugal", "3 maj 2027"]),
        ("en", ["Maja Lindqvist", "Job shadowing", "Porto", "Portugal", "May", "2027"]),
    ],
)
def test_the_invitation_email_says_who_what_where_and_when_and_links_the_invitation(
    personas: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    language: str,
    words: list[str],
) -> None:
    colleague = personas["study_adviser"]
    User.objects.filter(pk=colleague.pk).update(language=language)
    colleague.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        companion = _invite(personas)
    sent = mail.outbox[-1]
    assert sent.to == [colleague.email]
    for word in words:
        assert word in sent.body, (word, sent.body)
    assert "Porto" in sent.subject
    assert reverse("mobility:invitation_answer", args=[companion.pk]) in sent.body


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Inbjudan att resa tillsammans", "Vart", "När", "Porto"]),
        ("en", ["Invitation to travel together", "Where", "When", "Porto"]),
    ],
)
def test_the_invitee_opens_the_invitation_and_a_read_only_summary_of_the_plan(
    personas: dict[str, User], client_for: Clients, language: str, words: list[str]
) -> None:
    companion = _invite(personas)
    plan = companion.application
    client = client_for("study_adviser")
    client.cookies["django_language"] = language
    page = client.get(reverse("mobility:invitation_answer", args=[companion.pk]))
    html = page.content.decode()
    for word in words:
        assert word in html
    assert reverse("mobility:shared_plan", args=[plan.pk]) in html
    summary = client.get(reverse("mobility:shared_plan", args=[plan.pk])).content.decode()
    assert plan.objectives in summary
    assert 'method="post"' not in summary.split("<main")[-1] or "autosave" not in summary
    # Neither the money nor the status: the summary is about the trip.
    assert plan.get_status_display() not in summary
    # The full application stays closed to the colleague, and the summary to anyone else.
    detail = client.get(reverse("mobility:application_detail", args=[plan.pk]))
    assert detail.status_code == 404
    other = client_for("economist").get(reverse("mobility:shared_plan", args=[plan.pk]))
    assert other.status_code == 404


def test_accepting_copies_dates_host_and_travel_but_keeps_the_colleagues_own(
    personas: dict[str, User],
) -> None:
    companion = _invite(personas)
    source = companion.application
    planning.answer_invitation(companion=companion, by=personas["study_adviser"], accept=True)
    own = Application.objects.get(pk=companion.colleague_application_id)
    assert own.applicant == personas["study_adviser"]
    assert own.department_id == personas["study_adviser"].department_id
    for name in ("start", "end", "travel_out", "travel_back", "travel_mode", "activity"):
        assert getattr(own, name) == getattr(source, name), name
    assert list(own.hosts.all()) == list(source.hosts.all())
    assert own.origin is None  # from the colleague's own home
    assert own.status == Status.DRAFT


def test_a_second_acceptance_even_at_the_same_moment_creates_nothing(
    personas: dict[str, User],
) -> None:
    companion = _invite(personas)
    # Two requests that both read the invitation while it was still open (two tabs, a
    # double click): each holds its own copy saying "invited".
    first = Companion.objects.get(pk=companion.pk)
    second = Companion.objects.get(pk=companion.pk)
    colleague = personas["study_adviser"]
    planning.answer_invitation(companion=first, by=colleague, accept=True)
    with pytest.raises(workflow.WorkflowError):
        planning.answer_invitation(companion=second, by=colleague, accept=True)
    assert Application.objects.filter(applicant=colleague).count() == 1
    with pytest.raises(workflow.WorkflowError):
        planning.answer_invitation(
            companion=Companion.objects.get(pk=companion.pk), by=colleague, accept=True
        )
    assert Application.objects.filter(applicant=colleague).count() == 1


def test_only_colleagues_can_be_invited_not_oneself_nor_an_administrator(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    for who in ("librarian", "admin"):
        with pytest.raises(workflow.WorkflowError):
            planning.invite_companion(
                application=plan, colleague=personas[who], by=personas["librarian"]
            )
    assert not Companion.objects.exists()
    page = client_for("librarian").get(reverse("mobility:application_detail", args=[plan.pk]))
    choices = page.content.decode().split('name="colleague"')[1].split("</select>")[0]
    assert f'value="{personas["study_adviser"].pk}"' in choices
    assert f'value="{personas["admin"].pk}"' not in choices
    assert f'value="{personas["librarian"].pk}"' not in choices


def test_who_else_is_going_shows_where_and_when_but_not_status_or_first_time(
    personas: dict[str, User], client_for: Clients
) -> None:
    application(
        applicant=personas["librarian"],
        status=Status.MANAGER_APPROVED,
        visible_to_colleagues=True,
        first_time=True,
    )
    page = client_for("study_adviser").get(
        reverse("mobility:travelling_together"), {"city": "Porto"}
    )
    html = page.content.decode()
    assert "Maja Lindqvist" in html and "Porto" in html
    assert "Väntar på internationella kansliet" not in html
    assert "status-manager_approved" not in html
    assert "Första gången" not in html and 'class="badge"' not in html
