"""Every change of an application's state: one function per action, one Transition row each.

A transition is a conditional UPDATE (`status IN sources`) that must change exactly one
row, inside a transaction: two people acting at once give exactly one transition, and the
other gets a clear refusal. Each also writes one event (`application.approved`, ...) in the
same transaction.

Who may take which action is decided here too, but apart from the move: callers first ask
`check(who, application, action)`, which judges from how the person (or the system, or a
host contact) stands to the application (see `relations`) and is enumerated by the tests;
then they call the action with the `Actor` to record. The move itself trusts that check and
only guards the state it starts from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from utsikt.accounts import access as people
from utsikt.accounts.models import User
from utsikt.core import events
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor, ActorKind
from utsikt.grants import estimates
from utsikt.grants.values import Estimate
from utsikt.mobility import notifications
from utsikt.mobility.models import Allocation, Application, FacultyBudget, Status, Transition

APPLICANT = "applicant"
MANAGER = "manager"
OFFICER = "officer"
FINANCE = "finance"
# Those without an account stand to every application the same way: as what they are.
SYSTEM = ActorKind.SYSTEM.value
HOST_CONTACT = ActorKind.HOST_CONTACT.value


class WorkflowError(Exception):
    """An action that cannot be taken; the message says why, in the user's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class NotAllowed(WorkflowError):
    pass


class TransitionRefused(WorkflowError):
    """The application was no longer in a state the action starts from (someone acted first)."""


class BudgetExceeded(WorkflowError):
    pass


class TooEarly(WorkflowError):
    """The trip's dates say this cannot have happened yet; an officer may override."""


@dataclass(frozen=True)
class Action:
    """An action: from which states it may be taken, by whom in each, and the event it writes."""

    name: str
    sources: dict[str, frozenset[str]]
    target: str
    event: str
    needs_comment: bool = False


def _from(statuses: tuple[str, ...], *actors: str) -> dict[str, frozenset[str]]:
    return {status: frozenset(actors) for status in statuses}


_BEFORE_TRAVEL = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.MANAGER_APPROVED,
    Status.GRANTED,
    Status.AGREEMENT_SENT,
    Status.SIGNED,
)

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action(
            "submit",
            _from((Status.DRAFT, Status.RETURNED), APPLICANT),
            Status.SUBMITTED,
            "application.submitted",
        ),
        Action(
            "approve",
            _from((Status.SUBMITTED,), MANAGER),
            Status.MANAGER_APPROVED,
            "application.approved",
        ),
        Action(
            "return_for_changes",
            {Status.SUBMITTED: frozenset({MANAGER}), Status.MANAGER_APPROVED: frozenset({OFFICER})},
            Status.RETURNED,
            "application.returned",
            needs_comment=True,
        ),
        Action(
            "reject",
            {Status.SUBMITTED: frozenset({MANAGER}), Status.MANAGER_APPROVED: frozenset({OFFICER})},
            Status.REJECTED,
            "application.rejected",
            needs_comment=True,
        ),
        Action(
            "grant",
            _from((Status.MANAGER_APPROVED,), OFFICER),
            Status.GRANTED,
            "application.granted",
        ),
        Action(
            "send_agreement",
            _from((Status.GRANTED,), OFFICER),
            Status.AGREEMENT_SENT,
            "application.agreement_sent",
        ),
        Action(
            "record_signed_agreement",
            _from((Status.GRANTED, Status.AGREEMENT_SENT), OFFICER),
            Status.SIGNED,
            "application.agreement_recorded",
        ),
        # The system may mark the trip begun and ended by its dates, as the traveller may.
        Action(
            "start_travel",
            _from((Status.SIGNED,), APPLICANT, OFFICER, SYSTEM),
            Status.TRAVELLING,
            "application.travel_started",
        ),
        Action(
            "complete",
            _from((Status.TRAVELLING,), APPLICANT, OFFICER, SYSTEM),
            Status.COMPLETED,
            "application.completed",
        ),
        Action(
            "settle",
            _from((Status.COMPLETED,), OFFICER, FINANCE),
            Status.SETTLED,
            "application.settled",
        ),
        Action(
            "withdraw",
            _from(_BEFORE_TRAVEL, APPLICANT),
            Status.WITHDRAWN,
            "application.withdrawn",
        ),
        Action(
            "cancel",
            _from((*_BEFORE_TRAVEL[1:], Status.TRAVELLING), OFFICER),
            Status.CANCELLED,
            "application.cancelled",
            needs_comment=True,
        ),
    ]
}


def relations(who: User | Actor, application: Application) -> set[str]:
    """How someone stands to an application: applicant, manager, officer, finance; or, for
    those without an account, the system or a host contact."""
    if isinstance(who, Actor):
        if who.user_id is None:  # the system or a host contact: they have no account
            return {who.kind.value}
        who = User.objects.get(pk=who.user_id)
    user = who
    found = set()
    if application.applicant_id == user.pk:
        # Nobody decides on their own application, whatever role they hold for its
        # department: head, officer or finance. They stand to it as its applicant only.
        return {APPLICANT}
    if people.managed_departments(user).filter(pk=application.department_id).exists():
        found.add(MANAGER)
    if people.office_faculties(user).filter(children=application.department_id).exists():
        found.add(OFFICER)
    if people.finance_departments(user).filter(pk=application.department_id).exists():
        found.add(FINANCE)
    return found


def allowed_actions(application: Application, mine: set[str]) -> list[str]:
    """The actions someone standing to the application as `mine` (see relations) may take
    on it as it stands now."""
    return [
        name
        for name, action in ACTIONS.items()
        if action.sources.get(application.status, frozenset()) & mine
    ]


_MOVED_ON = _("This application has moved on; reload to see where it stands.")


def check(who: User | Actor, application: Application, action: str) -> None:
    """Refuse unless `who` may take the action on the application as it stands.

    NotAllowed for one who may never take it on this application; TransitionRefused for one
    who may, but not from the state it is in now (someone acted first).
    """
    sources = ACTIONS[action].sources
    mine = relations(who, application)
    if not sources.get(application.status, frozenset()) & mine:
        if any(actors & mine for actors in sources.values()):
            raise TransitionRefused(_MOVED_ON)
        raise NotAllowed(_("You cannot do this with this application."))


def _move(
    application: Application,
    action_name: str,
    *,
    actor: Actor,
    comment: str = "",
    details: dict[str, Any] | None = None,
    version: int | None = None,
    **changes: Any,
) -> Transition:
    """Move the application as the action says, from the status the actor saw (and, when
    given, from the version the move was judged on).

    Whether the actor may is `check`'s question, asked before; here only the state counts.
    """
    action = ACTIONS[action_name]
    if application.status not in action.sources:
        raise TransitionRefused(_MOVED_ON)
    if action.needs_comment and not comment.strip():
        raise WorkflowError(_("Write a comment that tells the applicant why."))
    seen = Application.objects.filter(pk=application.pk, status=application.status)
    if version is not None:
        seen = seen.filter(version=version)
    with transaction.atomic():
        changed = seen.update(
            status=action.target,
            version=F("version") + 1,
            updated_at=timezone.now(),
            **changes,
        )
        if changed != 1:
            if (
                version is not None
                and Application.objects.filter(
                    pk=application.pk, status=application.status
                ).exists()
            ):
                raise TransitionRefused(_PLAN_CHANGED)
            raise TransitionRefused(
                _("Someone else acted on this application just now. Reload to see where it stands.")
            )
        transition = Transition.objects.create(
            application=application,
            from_status=application.status,
            to_status=action.target,
            actor_id=actor.user_id,
            actor_kind=actor.kind,
            actor_label=actor.name[:200],
            comment=comment.strip(),
        )
        # The comment stays on the transition, which the payload names.
        events.record(
            action=action.event,
            actor=actor,
            subject=application,
            payload={
                "from": application.status,
                "to": action.target,
                "transition": transition.pk,
                **(details or {}),
            },
        )
        notifications.transition_happened(transition)
    application.refresh_from_db()
    return transition


# The steps after the Mobility Agreement happen in time: none before the trip's own dates.
DATED_ACTIONS = ("start_travel", "complete", "settle")


def earliest_day(application: Application, action: str) -> datetime.date | None:
    """The first day the action can truthfully be recorded, from the trip's dates; None
    when the action is not tied to them or the dates are not known."""
    if action == "start_travel":
        return application.travel_out or application.start
    if action == "complete":  # back home: not before the activity's last day
        return application.end
    if action == "settle":
        return application.travel_back or application.end
    return None


def too_early(
    application: Application, action: str, today: datetime.date | None = None
) -> datetime.date | None:
    """The day from which the action may be recorded, when that is still to come."""
    earliest = earliest_day(application, action)
    today = today or timezone.localdate()
    return earliest if earliest is not None and today < earliest else None


def _dated_move(
    application: Application,
    action: str,
    *,
    actor: Actor,
    today: datetime.date | None,
    override_reason: str,
) -> Transition:
    """A step tied to the trip's dates: refused before them unless an officer overrides,
    and then the reason is kept on the transition and in the event."""
    if application.status not in ACTIONS[action].sources:
        raise TransitionRefused(_MOVED_ON)
    earliest = too_early(application, action, today)
    if earliest is None:
        return _move(application, action, actor=actor)
    if not override_reason.strip():
        raise TooEarly(
            _("The trip's dates say this cannot be recorded before %(day)s.")
            % {"day": formats.date_format(earliest, "DATE_FORMAT")}
        )
    if OFFICER not in relations(actor, application):
        raise NotAllowed(_("Only the International Office may record this before the dates."))
    return _move(
        application,
        action,
        actor=actor,
        comment=override_reason,
        details={"override": override_reason.strip(), "earliest": earliest.isoformat()},
    )


def missing_for_submission(application: Application) -> list[str]:
    """What the applicant still has to fill in before the manager can decide."""
    missing = []
    required = {
        "start": _("the first day of the activity"),
        "end": _("the last day of the activity"),
        "objectives": _("the objectives"),
        "added_value": _("the added value"),
        "activities": _("the activities"),
        "outcomes": _("the expected outcomes"),
        "work_cover": _("who covers your work while you are away"),
    }
    for field, label in required.items():
        if not getattr(application, field):
            missing.append(str(label))
    if not application.hosts.exists():
        missing.append(str(_("a host")))
    return missing


_PLAN_CHANGED = _(
    "The plan changed while you submitted it (another tab, or a save still on its way). "
    "Check it and submit again."
)


def submit(
    *,
    application: Application,
    actor: Actor,
    estimate: Estimate | None = None,
    version: int | None = None,
) -> Transition:
    """Send the plan to the manager; it must be complete and pass the rules.

    The plan is judged as it was read; the move is made only if it is still that version,
    so that a save landing in between (an autosave emptying a field) cannot slip an
    unchecked plan through. `version` is the one the page showed, when the page says.
    """
    if version is not None and version != application.version:
        raise TransitionRefused(_PLAN_CHANGED)
    missing = missing_for_submission(application)
    if missing:
        raise WorkflowError(
            _("Fill in %(fields)s before you submit.") % {"fields": ", ".join(missing)}
        )
    if estimate is not None and not estimate.eligible:
        raise WorkflowError(_("The plan breaks a rule of the programme: see the findings."))
    return _move(
        application,
        "submit",
        actor=actor,
        version=application.version,
        estimate=estimates.as_json(estimate) if estimate is not None else application.estimate,
        first_time=application.first_grant,
    )


def approve(*, application: Application, actor: Actor, comment: str = "") -> Transition:
    """The manager agrees to the mobility and to the department's cost."""
    return _move(application, "approve", actor=actor, comment=comment)


def return_for_changes(*, application: Application, actor: Actor, comment: str) -> Transition:
    """Send the plan back to the applicant with what to change; everything is kept."""
    return _move(application, "return_for_changes", actor=actor, comment=comment)


def reject(*, application: Application, actor: Actor, comment: str) -> Transition:
    """Say no, with the reason."""
    return _move(application, "reject", actor=actor, comment=comment)


def committed_eur(*, faculty_id: int, call_year: int) -> Decimal:
    """The grants already allocated in a faculty for a call year (ended ones excluded)."""
    total = (
        Allocation.objects.filter(
            application__department__parent_id=faculty_id, application__call_year=call_year
        )
        .exclude(application__status__in=Application.ENDED)
        .aggregate(total=Sum("amount_eur"))["total"]
    )
    return total or Decimal(0)


@dataclass(frozen=True)
class BudgetStanding:
    """A faculty's Erasmus+ budget for a call year: allocated, committed, and what remains."""

    call_year: int
    allocated_eur: Decimal
    committed_eur: Decimal

    @property
    def remaining_eur(self) -> Decimal:
        return self.allocated_eur - self.committed_eur


def budget_standing(application: Application) -> BudgetStanding | None:
    """Where the applicant's faculty stands before this grant; None without a budget."""
    faculty_id = application.department.parent_id
    if faculty_id is None:
        return None
    budget = FacultyBudget.objects.filter(
        faculty_id=faculty_id, call_year=application.call_year
    ).first()
    if budget is None:
        return None
    return BudgetStanding(
        call_year=application.call_year,
        allocated_eur=budget.amount_eur,
        committed_eur=committed_eur(faculty_id=faculty_id, call_year=application.call_year),
    )


def grant(
    *,
    application: Application,
    actor: Actor,
    amount_eur: Decimal,
    reason: str = "",
    override_budget: bool = False,
) -> Transition:
    """The office allocates the Erasmus+ grant within the faculty's budget for the call year."""
    if actor.user_id is None:
        # The allocation names the officer who answers for it.
        raise NotAllowed(_("You cannot do this with this application."))
    estimate_eur = Decimal(str(application.estimate.get("total_eur", 0) or 0))
    if amount_eur < 0:
        raise WorkflowError(_("The grant cannot be negative."))
    if amount_eur != estimate_eur and not reason.strip():
        raise WorkflowError(_("Give a reason when the grant differs from the estimate."))
    faculty_id = application.department.parent_id
    assert faculty_id is not None
    with transaction.atomic():
        # Locking the budget row makes two officers' allocations count one after the other.
        budget = (
            FacultyBudget.objects.select_for_update()
            .filter(faculty_id=faculty_id, call_year=application.call_year)
            .first()
        )
        over = False
        if budget is not None:
            after = (
                committed_eur(faculty_id=faculty_id, call_year=application.call_year) + amount_eur
            )
            over = after > budget.amount_eur
            if over and not override_budget:
                raise BudgetExceeded(
                    _(
                        "This grant would bring the faculty to %(after)s EUR of its %(budget)s EUR "
                        "for %(year)s. Lower it, or confirm that you allocate beyond the budget."
                    )
                    % {"after": after, "budget": budget.amount_eur, "year": application.call_year}
                )
        transition = _move(
            application,
            "grant",
            actor=actor,
            comment=reason,
            details={"amount_eur": amount_eur, "over_budget": over},
        )
        Allocation.objects.create(
            application=application,
            amount_eur=amount_eur,
            estimate_eur=estimate_eur,
            reason=reason.strip(),
            over_budget=over,
            allocated_by_id=actor.user_id,
        )
    return transition


def send_agreement(*, application: Application, actor: Actor) -> Transition:
    """The office has sent the Mobility Agreement for signing."""
    return _move(application, "send_agreement", actor=actor)


AGREEMENT_MAX_BYTES = 10 * 1024 * 1024


def record_signed_agreement(
    *, application: Application, actor: Actor, pdf: UploadedFile[Any]
) -> Transition:
    """The office files the Mobility Agreement signed by all three parties (a PDF)."""
    # The content decides, never the name or the content type the browser sent.
    try:
        core_pdf.check(pdf, max_bytes=AGREEMENT_MAX_BYTES)
    except core_pdf.PdfRefused as refused:
        raise WorkflowError(refused.message) from None
    with transaction.atomic():
        transition = _move(application, "record_signed_agreement", actor=actor)
        application.agreement_pdf.save(f"agreement-{application.pk}.pdf", pdf, save=False)
        Application.objects.filter(pk=application.pk).update(
            agreement_pdf=application.agreement_pdf.name
        )
    return transition


def start_travel(
    *,
    application: Application,
    actor: Actor,
    today: datetime.date | None = None,
    override_reason: str = "",
) -> Transition:
    """The traveller has left: not before the day of travel, unless an officer overrides."""
    return _dated_move(
        application, "start_travel", actor=actor, today=today, override_reason=override_reason
    )


def complete(
    *,
    application: Application,
    actor: Actor,
    today: datetime.date | None = None,
    override_reason: str = "",
) -> Transition:
    """The traveller is back home: not before the activity's last day, unless overridden."""
    return _dated_move(
        application, "complete", actor=actor, today=today, override_reason=override_reason
    )


def settle(
    *,
    application: Application,
    actor: Actor,
    today: datetime.date | None = None,
    override_reason: str = "",
) -> Transition:
    """Costs are settled and the department reimbursed; not before the journey home, and
    only when the ledger balances (the actual cost and the reimbursement are recorded and
    the euros reimbursed are the grant)."""
    # Imported here: money reads the after-trip record, which asks this module who may.
    from utsikt.mobility.money import why_not_settled

    if application.status in ACTIONS["settle"].sources:
        refusal = why_not_settled(application)
        if refusal is not None:
            raise WorkflowError(refusal)
    return _dated_move(
        application, "settle", actor=actor, today=today, override_reason=override_reason
    )


# The actual dates may be corrected once the trip is under way or over.
_CORRECTABLE = (Status.TRAVELLING, Status.COMPLETED)


def may_correct_dates(who: User | Actor, application: Application) -> bool:
    return application.status in _CORRECTABLE and bool(
        relations(who, application) & {APPLICANT, OFFICER}
    )


def correct_dates(
    *,
    application: Application,
    actor: Actor,
    start: datetime.date,
    end: datetime.date,
    travel_out: datetime.date | None = None,
    travel_back: datetime.date | None = None,
) -> Application:
    """Record the dates the trip actually had (on return); the planned ones stay in the
    event, so the history keeps both."""
    if not may_correct_dates(actor, application):
        raise NotAllowed(
            _("The dates can be corrected by the traveller or the office after travel.")
        )
    if end < start:
        raise WorkflowError(_("The last day cannot be before the first."))
    if (travel_out and travel_out > start) or (travel_back and travel_back < end):
        raise WorkflowError(
            _("The days of travel lie before the first and after the last day of the activity.")
        )
    dates = {"start": start, "end": end, "travel_out": travel_out, "travel_back": travel_back}
    planned = {name: getattr(application, name) for name in dates}
    with transaction.atomic():
        changed = Application.objects.filter(
            pk=application.pk, status=application.status, version=application.version
        ).update(version=F("version") + 1, updated_at=timezone.now(), **dates)
        if changed != 1:
            raise TransitionRefused(
                _("Someone else acted on this application just now. Reload to see where it stands.")
            )
        events.record(
            action="application.dates_corrected",
            actor=actor,
            subject=application,
            payload={
                "planned": {k: v.isoformat() if v else None for k, v in planned.items()},
                "actual": {k: v.isoformat() if v else None for k, v in dates.items()},
            },
        )
    application.refresh_from_db()
    return application


def withdraw(*, application: Application, actor: Actor, comment: str = "") -> Transition:
    """The applicant no longer wants to go."""
    return _move(application, "withdraw", actor=actor, comment=comment)


def cancel(*, application: Application, actor: Actor, comment: str) -> Transition:
    """The office stops the mobility (for example when the host cancels)."""
    return _move(application, "cancel", actor=actor, comment=comment)
