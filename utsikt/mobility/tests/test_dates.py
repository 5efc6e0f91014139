"""Time makes sense: the steps after signing are not recorded before the trip's dates
(unless the office overrides, with a reason kept), and the actual dates can be corrected."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.core.models import Event
from utsikt.mobility import workflow
from utsikt.mobility.factories import application, balanced_ledger
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]
pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2027, 4, 20)  # the factory's trip: 3-7 May 2027
DURING = datetime.date(2027, 5, 4)
AFTER = datetime.date(2027, 5, 10)


@pytest.mark.parametrize(
    ("status", "action", "allowed_from"),
    [
        (Status.SIGNED, "start_travel", DURING),
        (Status.TRAVELLING, "complete", AFTER),
        (Status.COMPLETED, "settle", AFTER),
    ],
)
def test_a_step_of_the_trip_cannot_be_recorded_before_its_dates(
    personas: dict[str, User], status: str, action: str, allowed_from: datetime.date
) -> None:
    plan = application(applicant=personas["librarian"], status=status)
    who = personas["finance_ht" if action == "settle" else "librarian"]
    workflow.check(who, plan, action)
    if action == "settle":  # settling asks for a balanced ledger
        balanced_ledger(plan, finance=who, officer=who)
    with pytest.raises(workflow.TooEarly):
        getattr(workflow, action)(application=plan, actor=Actor.of(who), today=BEFORE)
    assert Application.objects.get(pk=plan.pk).status == status
    getattr(workflow, action)(application=plan, actor=Actor.of(who), today=allowed_from)
    assert plan.status == workflow.ACTIONS[action].target


def test_the_traveller_cannot_override_the_dates_but_an_officer_can_with_a_reason(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    with pytest.raises(workflow.NotAllowed):
        workflow.start_travel(
            application=plan,
            actor=Actor.of(personas["librarian"]),
            today=BEFORE,
            override_reason="I left early.",
        )
    transition = workflow.start_travel(
        application=plan,
        actor=Actor.of(personas["officer_ht"]),
        today=BEFORE,
        override_reason="Left a week early for a conference at the host.",
    )
    assert transition.comment == "Left a week early for a conference at the host."
    event = Event.objects.about(plan).get()
    assert event.detail("override") == "Left a week early for a conference at the host."
    assert event.detail("earliest") == "2027-05-03"


@pytest.mark.parametrize(
    ("language", "words", "override"),
    [
        ("sv", "kan registreras från", "Registrera det ändå nu"),
        ("en", "can be recorded from", "Record it now anyway"),
    ],
)
def test_the_page_says_from_when_and_offers_the_officer_an_override(
    personas: dict[str, User], client_for: Clients, language: str, words: str, override: str
) -> None:
    # Dates far ahead of any clock this test runs on.
    start, end = datetime.date(2099, 5, 4), datetime.date(2099, 5, 8)
    plan = application(applicant=personas["librarian"], status=Status.SIGNED, start=start, end=end)
    pages = {}
    for who in ("librarian", "officer_ht"):
        client = client_for(who)
        client.cookies["django_language"] = language
        pages[who] = client.get(reverse("mobility:application_detail", args=[plan.pk]))
    mine = pages["librarian"].content.decode()
    assert 'data-too-early="start_travel"' in mine and words in mine
    assert override not in mine
    assert override in pages["officer_ht"].content.decode()
    # Posting the step anyway is refused with a message, and nothing moves.
    refused = client_for("librarian").post(
        reverse("mobility:application_act", args=[plan.pk, "start_travel"]), follow=True
    )
    assert Application.objects.get(pk=plan.pk).status == Status.SIGNED
    assert refused.status_code == 200
    client = client_for("officer_ht")
    client.post(
        reverse("mobility:application_act", args=[plan.pk, "start_travel"]),
        {"override_reason": "The host moved the week."},
    )
    assert Application.objects.get(pk=plan.pk).status == Status.TRAVELLING


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Datumen resan faktiskt hade"), ("en", "The dates the trip actually had")],
)
def test_the_actual_dates_are_corrected_on_return_and_the_planned_ones_kept(
    personas: dict[str, User], client_for: Clients, language: str, heading: str
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.TRAVELLING)
    client = client_for("librarian")
    client.cookies["django_language"] = language
    page = client.get(reverse("mobility:application_detail", args=[plan.pk])).content.decode()
    assert heading in page
    client.post(
        reverse("mobility:application_dates", args=[plan.pk]),
        {"start": "2027-05-04", "end": "2027-05-06", "travel_out": "2027-05-03"},
    )
    plan.refresh_from_db()
    assert (plan.start, plan.end) == (datetime.date(2027, 5, 4), datetime.date(2027, 5, 6))
    event = Event.objects.about(plan).get()
    assert event.action == "application.dates_corrected"
    assert event.detail("planned")["start"] == "2027-05-03"
    # Before travel, and for others than the traveller and the office, there is no such form.
    signed = application(applicant=personas["librarian"], status=Status.SIGNED)
    other = client.get(reverse("mobility:application_detail", args=[signed.pk]))
    assert heading not in other.content.decode()
    with pytest.raises(workflow.NotAllowed):
        workflow.correct_dates(
            application=plan,
            actor=Actor.of(personas["finance_ht"]),
            start=datetime.date(2027, 5, 4),
            end=datetime.date(2027, 5, 5),
        )
