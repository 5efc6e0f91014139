from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.core.pdf import blank as blank_pdf
from utsikt.mobility import workflow
from utsikt.mobility.estimate import Estimated, estimate
from utsikt.mobility.factories import application, balanced_ledger
from utsikt.mobility.models import Allocation, Application, FacultyBudget, Status, Transition

# The specification, written out by hand: which persona may take which action from which
# state. The librarian applies; head_libraries manages HT Libraries; officer_ht serves the
# faculty; finance_ht follows the department's money. Everybody else may do nothing.
MAY: dict[str, dict[str, set[str]]] = {
    "submit": {"draft": {"librarian"}, "returned": {"librarian"}},
    "approve": {"submitted": {"head_libraries"}},
    "return_for_changes": {"submitted": {"head_libraries"}, "manager_approved": {"officer_ht"}},
    "reject": {"submitted": {"head_libraries"}, "manager_approved": {"officer_ht"}},
    "grant": {"manager_approved": {"officer_ht"}},
    "send_agreement": {"granted": {"officer_ht"}},
    "record_signed_agreement": {"granted": {"officer_ht"}, "agreement_sent": {"officer_ht"}},
    "start_travel": {"signed": {"librarian", "officer_ht"}},
    "complete": {"travelling": {"librarian", "officer_ht"}},
    "settle": {"completed": {"officer_ht", "finance_ht"}},
    "withdraw": {
        state: {"librarian"}
        for state in [
            "draft",
            "submitted",
            "returned",
            "manager_approved",
            "granted",
            "agreement_sent",
            "signed",
        ]
    },
    "cancel": {
        state: {"officer_ht"}
        for state in [
            "submitted",
            "returned",
            "manager_approved",
            "granted",
            "agreement_sent",
            "signed",
            "travelling",
        ]
    },
}
ACTORS = [
    "librarian",
    "head_libraries",
    "deputy_kultur",
    "officer_ht",
    "officer_s",
    "finance_ht",
    "finance_s",
    "admin",
    "economist",
]
AFTER_THE_TRIP = datetime.date(2027, 6, 1)
PDF = blank_pdf()


def _take(action: str, application: Application, user: User, **arguments: Any) -> Transition:
    """What a page does: ask whether the person may, then act as them."""
    workflow.check(user, application, action)
    if action == "settle":  # settling asks for a balanced ledger
        balanced_ledger(application, finance=user, officer=user)
    transition: Transition = getattr(workflow, action)(
        application=application, actor=Actor.of(user), **arguments
    )
    return transition


def _arguments(action: str) -> dict[str, Any]:
    if action in {"return_for_changes", "reject", "cancel"}:
        return {"comment": "Because."}
    if action == "grant":
        return {"amount_eur": Decimal(1500)}
    if action == "record_signed_agreement":
        return {"pdf": SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")}
    if action in {"start_travel", "complete", "settle"}:
        return {"today": AFTER_THE_TRIP}  # the factory's trip is in May 2027
    return {}


def test_every_action_is_allowed_from_its_states_to_its_roles_only(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert set(MAY) == set(workflow.ACTIONS)
    # Asking changes nothing, so one application per state answers every question.
    in_state = {
        status: application(applicant=personas["librarian"], status=status)
        for status in Status.values
    }
    permitted = set()
    for action in workflow.ACTIONS:
        for status, subject in in_state.items():
            for actor in ACTORS:
                try:
                    workflow.check(personas[actor], subject, action)
                except workflow.WorkflowError:
                    continue
                permitted.add((action, status, actor))
    expected = {
        (action, status, actor)
        for action, sources in MAY.items()
        for status, actors in sources.items()
        for actor in actors
    }
    assert permitted == expected
    for status, subject in in_state.items():
        assert Application.objects.get(pk=subject.pk).status == status
    assert not Transition.objects.exists()
    # Every permitted move is made, on an application of its own: one transition each.
    for action, status, actor in sorted(expected):
        subject = application(applicant=personas["librarian"], status=status)
        _take(action, subject, personas[actor], **_arguments(action))
        assert Application.objects.get(pk=subject.pk).status == workflow.ACTIONS[action].target
        assert Transition.objects.filter(application=subject).count() == 1


def test_on_their_own_application_every_role_may_do_only_what_an_applicant_may(
    personas: dict[str, User],
) -> None:
    """Separation of duties: a head, an officer or a finance person who applies decides
    nothing on their application; they may do what the librarian may do on hers."""
    as_applicant = {
        (action, status)
        for action, sources in MAY.items()
        for status, actors in sources.items()
        if "librarian" in actors
    }
    for actor in ACTORS:
        own = {
            status: application(applicant=personas[actor], status=status)
            for status in Status.values
        }
        permitted = set()
        for action in workflow.ACTIONS:
            for status, subject in own.items():
                try:
                    workflow.check(personas[actor], subject, action)
                except workflow.WorkflowError:
                    continue
                permitted.add((action, status))
        assert permitted == as_applicant, actor


def test_finance_cannot_settle_their_own_application(personas: dict[str, User]) -> None:
    own = application(applicant=personas["finance_ht"], status=Status.COMPLETED)
    with pytest.raises(workflow.NotAllowed):
        _take("settle", own, personas["finance_ht"])


def test_the_move_itself_refuses_a_state_its_action_does_not_start_from(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    officer = Actor.of(personas["officer_ht"])  # the move asks no permission; the state decides
    for name, action in workflow.ACTIONS.items():
        for status in set(Status.values) - set(action.sources):
            subject = application(applicant=personas["librarian"], status=status)
            with pytest.raises(workflow.TransitionRefused):
                getattr(workflow, name)(application=subject, actor=officer, **_arguments(name))
            assert Application.objects.get(pk=subject.pk).status == status
    assert not Transition.objects.exists()


def test_the_whole_journey_writes_one_transition_per_step(
    personas: dict[str, User], settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = application(applicant=personas["librarian"])
    steps = [
        ("submit", "librarian"),
        ("approve", "head_libraries"),
        ("grant", "officer_ht"),
        ("send_agreement", "officer_ht"),
        ("record_signed_agreement", "officer_ht"),
        ("start_travel", "librarian"),
        ("complete", "librarian"),
        ("settle", "finance_ht"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for action, actor in steps:
            _take(action, plan, personas[actor], **_arguments(action))
    history = list(plan.transitions.values_list("from_status", "to_status", "actor__email"))
    assert [row[1] for row in history] == [
        "submitted",
        "manager_approved",
        "granted",
        "agreement_sent",
        "signed",
        "travelling",
        "completed",
        "settled",
    ]
    assert history[0] == ("draft", "submitted", "maja.lindqvist@example.org")
    assert plan.agreement_pdf.name.endswith(".pdf")
    assert Allocation.objects.get(application=plan).amount_eur == 1500


def test_a_manager_cannot_approve_their_own_application(personas: dict[str, User]) -> None:
    own = application(applicant=personas["head_libraries"], status=Status.SUBMITTED)
    with pytest.raises(workflow.NotAllowed):
        _take("approve", own, personas["head_libraries"])


def test_a_deputy_decides_for_the_department_while_delegated(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["economist"], status=Status.SUBMITTED)
    _take("approve", plan, personas["deputy_kultur"])
    assert plan.status == Status.MANAGER_APPROVED


def test_returning_needs_a_comment_and_keeps_everything(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    with pytest.raises(workflow.WorkflowError, match="kommentar"):
        _take("return_for_changes", plan, personas["head_libraries"], comment=" ")
    _take(
        "return_for_changes", plan, personas["head_libraries"], comment="Shorten it to four days."
    )
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.objectives.startswith("Learn how the library")
    assert plan.transitions.get().comment == "Shorten it to four days."


def test_an_incomplete_plan_cannot_be_submitted(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], objectives="", work_cover="")
    with pytest.raises(workflow.WorkflowError) as refused:
        _take("submit", plan, personas["librarian"])
    assert "målen" in str(refused.value.message)
    assert Application.objects.get(pk=plan.pk).status == Status.DRAFT


def test_a_plan_that_breaks_a_rule_cannot_be_submitted(personas: dict[str, User]) -> None:
    one_day = datetime.date(2027, 5, 3)
    plan = application(applicant=personas["librarian"], start=one_day, end=one_day)
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated) and not verdict.estimate.eligible
    with pytest.raises(workflow.WorkflowError):
        _take("submit", plan, personas["librarian"], estimate=verdict.estimate)


def test_a_grant_beyond_the_faculty_budget_needs_an_explicit_override(
    personas: dict[str, User], org: Any
) -> None:
    FacultyBudget.objects.create(faculty=org["ht"], call_year=2026, amount_eur=2000)
    first = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    second = application(applicant=personas["study_adviser"], status=Status.MANAGER_APPROVED)
    _take("grant", first, personas["officer_ht"], amount_eur=Decimal(1500))
    with pytest.raises(workflow.BudgetExceeded, match="3000"):
        _take("grant", second, personas["officer_ht"], amount_eur=Decimal(1500))
    assert Application.objects.get(pk=second.pk).status == Status.MANAGER_APPROVED
    _take(
        "grant",
        second,
        personas["officer_ht"],
        amount_eur=Decimal(1500),
        override_budget=True,
    )
    assert Allocation.objects.get(application=second).over_budget is True


def test_a_grant_different_from_the_estimate_needs_a_reason(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    with pytest.raises(workflow.WorkflowError, match="motivering"):
        _take("grant", plan, personas["officer_ht"], amount_eur=Decimal(1200))
    _take(
        "grant",
        plan,
        personas["officer_ht"],
        amount_eur=Decimal(1200),
        reason="Four days, not five.",
    )
    assert Allocation.objects.get(application=plan).estimate_eur == 1500


def test_the_signed_agreement_must_be_a_pdf(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    fake = SimpleUploadedFile(
        "signed.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(workflow.WorkflowError, match="PDF"):
        _take("record_signed_agreement", plan, personas["officer_ht"], pdf=fake)
    assert Application.objects.get(pk=plan.pk).status == Status.GRANTED


def test_the_second_of_two_identical_decisions_is_refused_cleanly(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["economist"], status=Status.SUBMITTED)
    seen_by_head = Application.objects.get(pk=plan.pk)
    seen_by_deputy = Application.objects.get(pk=plan.pk)
    _take("approve", seen_by_head, personas["head_kultur"])
    with pytest.raises(workflow.TransitionRefused):
        _take("reject", seen_by_deputy, personas["deputy_kultur"], comment="No.")
    assert Transition.objects.filter(application=plan).count() == 1


def test_e_mails_go_to_whoever_must_act_in_their_language(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    plan = application(applicant=personas["study_adviser"])  # Elin reads English
    with django_capture_on_commit_callbacks(execute=True):
        _take("submit", plan, personas["study_adviser"])
    assert [m.to for m in mail.outbox] == [["helena.strom@example.org"]]
    assert "ber om ditt beslut" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _take("approve", plan, personas["head_sol"])
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["elin.nystrom@example.org", "sofia.almgren@example.org"]
    to_elin = next(m for m in mail.outbox if m.to == ["elin.nystrom@example.org"])
    assert "Your mobility" in to_elin.subject


def test_a_transition_announced_twice_mails_once(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    from utsikt.mobility.notifications import transition_happened

    plan = application(applicant=personas["librarian"])
    with django_capture_on_commit_callbacks(execute=True):
        transition = _take("submit", plan, personas["librarian"])
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert transition_happened(transition) == 0
    assert len(mail.outbox) == 1


def test_waiting_decisions_are_reminded_once_per_period(
    personas: dict[str, User], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    from utsikt.mobility.reminders import send_reminders

    settings.UTSIKT_REMINDER_DAYS = 5
    plan = application(applicant=personas["librarian"])
    _take("submit", plan, personas["librarian"])
    mail.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=now + datetime.timedelta(days=4)) == 0
        assert send_reminders(now=now + datetime.timedelta(days=6)) == 1
        assert send_reminders(now=now + datetime.timedelta(days=7)) == 0
        assert send_reminders(now=now + datetime.timedelta(days=11)) == 1
    assert [m.to for m in mail.outbox] == [["karin.ek@example.org"]] * 2
    assert "Påminnelse" in mail.outbox[0].subject
