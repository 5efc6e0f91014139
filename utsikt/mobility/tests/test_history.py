"""Who moved an application, the event each write leaves, and the lead times read from them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts.models import User
from utsikt.core.actors import Actor, ActorKind
from utsikt.core.models import Event
from utsikt.mobility import planning, workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status, Transition

from .test_workflow import AFTER_THE_TRIP, MAY, _arguments, _take

# The event each action writes: the specification, by hand.
EVENTS = {
    "submit": "application.submitted",
    "approve": "application.approved",
    "return_for_changes": "application.returned",
    "reject": "application.rejected",
    "grant": "application.granted",
    "send_agreement": "application.agreement_sent",
    "record_signed_agreement": "application.agreement_recorded",
    "start_travel": "application.travel_started",
    "complete": "application.completed",
    "settle": "application.settled",
    "withdraw": "application.withdrawn",
    "cancel": "application.cancelled",
}

TRAVEL_DATES = Actor.system("travel dates")
HOST = Actor.host_contact(name="Ana Sousa", email="ana.sousa@up.pt", token="host-link:7")


def test_every_workflow_action_writes_one_event_with_its_code_actor_and_object(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert set(EVENTS) == set(workflow.ACTIONS)
    for action, by_status in MAY.items():
        status, people = next(iter(by_status.items()))
        person = personas[sorted(people)[0]]
        plan = application(applicant=personas["librarian"], status=status)
        _take(action, plan, person, **_arguments(action))
        event = Event.objects.about(plan).get()
        assert (event.action, event.actor_kind, event.actor_user) == (
            EVENTS[action],
            ActorKind.USER,
            person,
        ), action
        assert event.subject == f"mobility.application:{plan.pk}"
        assert event.detail("transition") == plan.transitions.get().pk
        assert (event.detail("from"), event.detail("to")) == (status, plan.status)


def test_the_system_may_start_and_end_the_travel_and_nothing_else(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    workflow.check(TRAVEL_DATES, plan, "start_travel")
    workflow.start_travel(application=plan, actor=TRAVEL_DATES, today=AFTER_THE_TRIP)
    workflow.check(TRAVEL_DATES, plan, "complete")
    workflow.complete(application=plan, actor=TRAVEL_DATES, today=AFTER_THE_TRIP)
    assert plan.status == Status.COMPLETED
    steps = list(plan.transitions.values_list("actor", "actor_kind", "actor_label"))
    assert steps == [(None, ActorKind.SYSTEM, "travel dates")] * 2
    assert [e.actor_label for e in Event.objects.about(plan)] == ["travel dates"] * 2
    with pytest.raises(workflow.NotAllowed):
        workflow.check(TRAVEL_DATES, plan, "settle")


def test_a_host_contact_may_take_no_action_yet_but_is_recorded_when_moved_for(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = application(applicant=personas["librarian"], status=Status.AGREEMENT_SENT)
    for action in workflow.ACTIONS:
        with pytest.raises(workflow.NotAllowed):
            workflow.check(HOST, plan, action)
    # The documents app will let the host sign through a link; the move already records them.
    moved = workflow._move(plan, "record_signed_agreement", actor=HOST)
    assert (moved.actor, moved.actor_kind, moved.actor_name) == (
        None,
        ActorKind.HOST_CONTACT,
        "Ana Sousa",
    )
    assert Event.objects.about(plan).get().actor_label == "Ana Sousa"


def test_the_move_refuses_a_state_the_action_does_not_start_from(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.DRAFT)
    with pytest.raises(workflow.TransitionRefused):
        workflow.start_travel(application=plan, actor=TRAVEL_DATES)
    assert not Event.objects.exists() and not Transition.objects.exists()


def test_no_event_is_written_when_the_change_rolls_back(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    with pytest.raises(RuntimeError), transaction.atomic():
        _take("approve", plan, personas["head_libraries"])
        raise RuntimeError("something after the approval failed")
    assert Application.objects.get(pk=plan.pk).status == Status.SUBMITTED
    assert not Event.objects.exists() and not Transition.objects.exists()


def test_a_refused_second_decision_leaves_one_event(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["economist"], status=Status.SUBMITTED)
    stale = Application.objects.get(pk=plan.pk)
    _take("approve", plan, personas["head_kultur"])
    with pytest.raises(workflow.TransitionRefused):
        _take("reject", stale, personas["deputy_kultur"], comment="No.")
    assert [e.action for e in Event.objects.about(plan)] == ["application.approved"]


def test_the_planner_records_new_plans_and_companions_but_not_each_save(
    personas: dict[str, User],
) -> None:
    librarian, colleague = personas["librarian"], personas["study_adviser"]
    plan = planning.start_plan(applicant=librarian)
    planning.save_draft(
        application=plan, by=librarian, version=plan.version, data={"objectives": "Learn"}, hosts=[]
    )
    companion = planning.invite_companion(application=plan, colleague=colleague, by=librarian)
    planning.invite_companion(application=plan, colleague=colleague, by=librarian)  # again
    planning.answer_invitation(companion=companion, by=colleague, accept=True)
    assert [(e.action, e.actor_user) for e in Event.objects.about(plan)] == [
        ("application.created", librarian),
        ("companion.invited", librarian),
        ("companion.accepted", colleague),
    ]
    companion.refresh_from_db()
    own = companion.colleague_application
    assert own is not None
    assert Event.objects.about(own).get().action == "application.created"


def test_lead_times_count_from_the_last_submission_to_the_approval(
    personas: dict[str, User],
) -> None:
    start = timezone.now() - datetime.timedelta(days=30)
    returned = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    quick = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    waiting = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    steps = [
        (returned, Status.SUBMITTED, 0),
        (returned, Status.RETURNED, 2),
        (returned, Status.SUBMITTED, 5),
        (returned, Status.MANAGER_APPROVED, 8),
        (quick, Status.SUBMITTED, 1),
        (quick, Status.MANAGER_APPROVED, 2),
        (waiting, Status.SUBMITTED, 3),
    ]
    for plan, status, day in steps:
        Transition.objects.create(
            application=plan,
            from_status=Status.DRAFT,
            to_status=status,
            created_at=start + datetime.timedelta(days=day),
        )
    lead_times = dict(
        Application.objects.with_lead_time(start=Status.SUBMITTED, end=Status.MANAGER_APPROVED)
        .values_list("pk", "lead_time")
        .order_by()
    )
    assert lead_times == {
        returned.pk: datetime.timedelta(days=3),
        quick.pk: datetime.timedelta(days=1),
    }


def test_the_history_page_says_when_utsikt_itself_moved_the_application(
    personas: dict[str, User], client_for: Any
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    workflow.start_travel(application=plan, actor=TRAVEL_DATES, today=AFTER_THE_TRIP)
    page = client_for("librarian").get(reverse("mobility:application_detail", args=[plan.pk]))
    assert "Utsikt (automatiskt)" in page.content.decode()
