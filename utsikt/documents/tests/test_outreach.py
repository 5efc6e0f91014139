"""Template letters to a host, filled from the plan, and the outreach tracked with dates."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.core.models import Event
from utsikt.documents.models import Letter
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]


@pytest.fixture
def plan(personas: dict[str, User]) -> Application:
    return application(applicant=personas["librarian"], status=Status.DRAFT)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["Dear", "job shadowing", "Learn how the library"]), ("sv", ["Hej", "skugga"])],
)
def test_a_letter_is_drafted_from_the_plan_in_either_language(
    plan: Application, client_for: Clients, language: str, words: list[str]
) -> None:
    page = client_for("librarian").get(
        reverse("documents:letters", args=[plan.pk]),
        {"kind": "job_shadowing", "language": language},
    )
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text, word


def test_the_staff_member_edits_sends_and_tracks_a_letter(
    plan: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for("librarian")
    client.post(
        reverse("documents:letters", args=[plan.pk]),
        {
            "kind": "job_shadowing",
            "language": "en",
            "to_email": "ana@example.org",
            "subject": "Job shadowing next May?",
            "body": "Dear Ana,\n\nEdited by hand.\n",
        },
    )
    letter = Letter.objects.get(application=plan)
    assert letter.status == Letter.Status.WRITTEN and "Edited by hand." in letter.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:letter_send", args=[plan.pk, letter.pk]))
    sent = mail.outbox[-1]
    assert sent.to == ["ana@example.org"] and sent.reply_to == [personas["librarian"].email]
    assert sent.subject == "Job shadowing next May?"
    today = datetime.date.today()
    client.post(
        reverse("documents:letter_step", args=[plan.pk, letter.pk]),
        {"status": "answered", "on": today.isoformat()},
    )
    client.post(
        reverse("documents:letter_step", args=[plan.pk, letter.pk]),
        {"status": "accepted", "on": today.isoformat()},
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ACCEPTED
    assert letter.sent_on and letter.answered_on and letter.accepted_on
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"letter.written", "letter.sent", "letter.answered", "letter.accepted"} <= actions
    # The planner shows the outreach, in Swedish by default.
    planner = client.get(reverse("mobility:application_plan", args=[plan.pk])).content.decode()
    assert "Job shadowing" in planner or "jobbskuggning" in planner.lower()
    assert "accepterat" in planner or "accepted" in planner


def test_a_letter_is_sent_once_and_a_manual_send_is_recorded_with_its_day(
    plan: Application, client_for: Clients
) -> None:
    from utsikt.core.actors import Actor
    from utsikt.documents import outreach

    letter = outreach.write(
        application=plan,
        actor=Actor.system("test"),
        kind="thank_you",
        language="en",
        subject="Thanks",
        body="Thank you.",
    )
    with pytest.raises(outreach.LetterError):
        outreach.send(letter=letter, actor=Actor.system("test"))  # no address
    day = letter.written_on + datetime.timedelta(days=2)
    outreach.mark(letter=letter, actor=Actor.system("test"), status="sent", on=day)
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.sent_on == day
    with pytest.raises(outreach.LetterError):
        outreach.mark(
            letter=letter,
            actor=Actor.system("test"),
            status="declined",
            on=letter.written_on - datetime.timedelta(days=1),
        )


def test_nobody_else_sees_or_writes_a_plans_letters(plan: Application, client_for: Clients) -> None:
    for persona in ["head_libraries", "officer_ht", "deputy_kultur"]:
        assert (
            client_for(persona).get(reverse("documents:letters", args=[plan.pk])).status_code == 404
        )
