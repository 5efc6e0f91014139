"""After the trip: the traveller's checklist, its writes, its reminders and who is late.

From the activity's last day the traveller confirms the dates the trip actually had (the
grant is recomputed from them), hands in the certificate of attendance and the Mobility
Costs form within a month, answers the EU's participant report (the office marks it done)
and writes a short report of what they learned, which they may offer as a story. Only then
can the department be reimbursed (`mobility.money`).
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.core import events
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.core.email import send_template
from utsikt.mobility import notifications, workflow
from utsikt.mobility.estimate import Estimated, estimate
from utsikt.mobility.models import (
    HOMECOMING_DAYS,
    PARTICIPANT_REPORT_DAYS,
    Application,
    ApplicationQuerySet,
    Homecoming,
    Status,
)

# The checklist is open while the trip is ending or over, until it is settled.
OPEN = (Status.TRAVELLING, Status.COMPLETED)
REMIND_DAYS_BEFORE = 7
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_CHARS = 4000

DATES = "dates"
ATTENDANCE = "attendance"
COSTS = "costs"
PARTICIPANT_REPORT = "participant_report"
LEARNING = "learning"
STEPS = (DATES, ATTENDANCE, COSTS, PARTICIPANT_REPORT, LEARNING)

_LABELS = {
    DATES: _("Confirm the dates the trip actually had"),
    ATTENDANCE: _("Certificate of attendance"),
    COSTS: _("Mobility Costs form"),
    PARTICIPANT_REPORT: _("The EU's participant report"),
    LEARNING: _("What you learned"),
}


def step_label(step: str) -> str:
    return str(_LABELS[step])


@dataclass(frozen=True)
class Step:
    """One item of the checklist: whether it is done and by when it should be."""

    code: str
    done: bool
    due: datetime.date | None

    @property
    def label(self) -> str:
        return step_label(self.code)

    def late(self, today: datetime.date) -> bool:
        return not self.done and self.due is not None and today > self.due


def homecoming_of(application: Application) -> Homecoming:
    """The application's after-trip record, made on first use."""
    found, _created = Homecoming.objects.get_or_create(application=application)
    return found


def opens_on(application: Application) -> datetime.date | None:
    """The checklist opens on the activity's last day."""
    return application.end


def is_open(application: Application, today: datetime.date | None = None) -> bool:
    day = opens_on(application)
    today = today or timezone.localdate()
    return application.status in OPEN and day is not None and today >= day


def due(application: Application, step: str) -> datetime.date | None:
    """The day a step should be done by: a month after the activity's last day."""
    if application.end is None:
        return None
    days = PARTICIPANT_REPORT_DAYS if step == PARTICIPANT_REPORT else HOMECOMING_DAYS
    return application.end + datetime.timedelta(days=days)


def done(homecoming: Homecoming | None) -> dict[str, bool]:
    """Which steps are done."""
    if homecoming is None:
        return dict.fromkeys(STEPS, False)
    return {
        DATES: homecoming.dates_confirmed_at is not None,
        ATTENDANCE: homecoming.attendance_recorded_at is not None,
        COSTS: homecoming.costs_submitted_at is not None,
        PARTICIPANT_REPORT: homecoming.participant_report_done_at is not None,
        LEARNING: homecoming.learning_reported_at is not None,
    }


def checklist(application: Application, homecoming: Homecoming | None) -> list[Step]:
    """The after-trip steps as they stand."""
    finished = done(homecoming)
    return [Step(code, finished[code], due(application, code)) for code in STEPS]


# --- who may ---------------------------------------------------------------------------------


def _may(actor: Actor, application: Application, *roles: str) -> None:
    if not workflow.relations(actor, application) & set(roles):
        raise workflow.NotAllowed(_("You cannot do this with this application."))
    if application.status not in OPEN:
        raise workflow.TransitionRefused(
            _("The after-trip steps are open while the trip ends and until it is settled.")
        )


# --- the grant before and after the actual dates --------------------------------------------


@dataclass(frozen=True)
class GrantChange:
    """The grant as allocated and as the actual dates give it (None: cannot be estimated)."""

    before_eur: Decimal | None
    after_eur: Decimal | None

    @property
    def difference_eur(self) -> Decimal | None:
        if self.before_eur is None or self.after_eur is None:
            return None
        return self.after_eur - self.before_eur


def current_grant_eur(application: Application) -> Decimal | None:
    """The grant that stands: recomputed from the actual dates, else the allocation."""
    homecoming = Homecoming.objects.filter(application=application).first()
    if homecoming is not None and homecoming.grant_after_dates_eur is not None:
        return homecoming.grant_after_dates_eur
    allocation = getattr(application, "allocation", None)
    if allocation is not None:
        return Decimal(allocation.amount_eur)
    total = application.estimate.get("total_eur")
    return Decimal(str(total)) if total is not None else None


def grant_change(
    application: Application,
    *,
    start: datetime.date,
    end: datetime.date,
    travel_out: datetime.date | None = None,
    travel_back: datetime.date | None = None,
) -> GrantChange:
    """What the grant would become with these dates; nothing is saved."""
    trial = copy.copy(application)
    trial.start, trial.end = start, end
    trial.travel_out, trial.travel_back = travel_out, travel_back
    verdict = estimate(trial)
    after = verdict.estimate.grant.total_eur if isinstance(verdict, Estimated) else None
    return GrantChange(
        before_eur=current_grant_eur(application),
        after_eur=Decimal(after) if after is not None else None,
    )


# --- the writes ------------------------------------------------------------------------------


def confirm_dates(
    *,
    application: Application,
    actor: Actor,
    start: datetime.date,
    end: datetime.date,
    travel_out: datetime.date | None = None,
    travel_back: datetime.date | None = None,
) -> GrantChange:
    """Confirm the dates the trip actually had and recompute the grant from them."""
    _may(actor, application, workflow.APPLICANT, workflow.OFFICER)
    change = grant_change(
        application, start=start, end=end, travel_out=travel_out, travel_back=travel_back
    )
    with transaction.atomic():
        workflow.correct_dates(
            application=application,
            actor=actor,
            start=start,
            end=end,
            travel_out=travel_out,
            travel_back=travel_back,
        )
        homecoming = homecoming_of(application)
        homecoming.dates_confirmed_at = timezone.now()
        homecoming.grant_after_dates_eur = change.after_eur
        homecoming.save(update_fields=["dates_confirmed_at", "grant_after_dates_eur"])
        events.record(
            action="homecoming.dates_confirmed",
            actor=actor,
            subject=application,
            payload={
                "grant_before_eur": str(change.before_eur) if change.before_eur else None,
                "grant_after_eur": str(change.after_eur) if change.after_eur else None,
            },
        )
    return change


def record_attendance(
    *,
    application: Application,
    actor: Actor,
    start: datetime.date,
    end: datetime.date,
    document: UploadedFile[Any] | None = None,
) -> Homecoming:
    """The host's certificate of attendance: the days attended, and the signed PDF if any.

    Called by the traveller's or the office's upload, and by the host's own confirmation
    through a signed link (then the actor is the host contact and there may be no file).
    """
    if actor.user_id is not None:
        _may(actor, application, workflow.APPLICANT, workflow.OFFICER)
    elif application.status not in OPEN:
        raise workflow.TransitionRefused(
            _("The after-trip steps are open while the trip ends and until it is settled.")
        )
    if end < start:
        raise workflow.WorkflowError(_("The last day cannot be before the first."))
    if document is not None:
        # The content decides, never the name or the content type the browser sent.
        try:
            core_pdf.check(document, max_bytes=CERTIFICATE_MAX_BYTES)
        except core_pdf.PdfRefused as refused:
            raise workflow.WorkflowError(refused.message) from None
    with transaction.atomic():
        homecoming = homecoming_of(application)
        homecoming.attendance_start, homecoming.attendance_end = start, end
        homecoming.attendance_recorded_at = timezone.now()
        homecoming.attendance_recorded_by = actor.name[:200]
        if document is not None:
            homecoming.attendance_document.save(
                f"attendance-{application.pk}.pdf", document, save=False
            )
        homecoming.save()
        events.record(
            action="homecoming.attendance_recorded",
            actor=actor,
            subject=application,
            payload={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "document": bool(document),
            },
        )
    return homecoming


def submit_costs(
    *,
    application: Application,
    actor: Actor,
    travel_sek: Decimal,
    accommodation_sek: Decimal,
    per_diem_sek: Decimal,
    fees_sek: Decimal,
    travel_claim_reference: str,
) -> Homecoming:
    """The Mobility Costs form: what the trip cost the department, with the claim's number."""
    _may(actor, application, workflow.APPLICANT, workflow.OFFICER)
    amounts = {
        "travel_sek": travel_sek,
        "accommodation_sek": accommodation_sek,
        "per_diem_sek": per_diem_sek,
        "fees_sek": fees_sek,
    }
    if any(amount < 0 for amount in amounts.values()):
        raise workflow.WorkflowError(_("A cost cannot be negative."))
    if not travel_claim_reference.strip():
        raise workflow.WorkflowError(_("Give the reference of your travel expense claim."))
    with transaction.atomic():
        homecoming = homecoming_of(application)
        for name, amount in amounts.items():
            setattr(homecoming, name, amount.quantize(Decimal("0.01")))
        homecoming.travel_claim_reference = travel_claim_reference.strip()[:40]
        homecoming.costs_submitted_at = timezone.now()
        homecoming.save()
        events.record(
            action="homecoming.costs_submitted",
            actor=actor,
            subject=application,
            payload={name: str(amount) for name, amount in amounts.items()}
            | {"reference": homecoming.travel_claim_reference},
        )
    return homecoming


def mark_participant_report_done(*, application: Application, actor: Actor) -> Homecoming:
    """The office has seen the EU participant report answered; reminders stop."""
    _may(actor, application, workflow.OFFICER)
    with transaction.atomic():
        homecoming = homecoming_of(application)
        homecoming.participant_report_done_at = timezone.now()
        homecoming.participant_report_done_by_id = actor.user_id
        homecoming.save(update_fields=["participant_report_done_at", "participant_report_done_by"])
        events.record(action="homecoming.participant_report_done", actor=actor, subject=application)
    return homecoming


def report_learning(
    *, application: Application, actor: Actor, text: str, offered_as_story: bool
) -> Homecoming:
    """The traveller's short report of what they learned, perhaps offered as a story."""
    _may(actor, application, workflow.APPLICANT)
    text = text.strip()
    if not text:
        raise workflow.WorkflowError(_("Write a few lines about what you learned."))
    if len(text) > REPORT_MAX_CHARS:
        raise workflow.WorkflowError(_("Keep the report to 4,000 characters."))
    with transaction.atomic():
        homecoming = homecoming_of(application)
        now = timezone.now()
        homecoming.learning_report = text
        homecoming.learning_reported_at = now
        if offered_as_story and not homecoming.offered_as_story:
            homecoming.offered_as_story_at = now
        if not offered_as_story:
            homecoming.offered_as_story_at = None
        homecoming.offered_as_story = offered_as_story
        homecoming.save()
        events.record(
            action="homecoming.learning_reported",
            actor=actor,
            subject=application,
            payload={"offered_as_story": offered_as_story},
        )
    return homecoming


# --- late, and reminders ---------------------------------------------------------------------


def _missing(prefix: str = "homecoming__") -> Q:
    """Some step of the checklist is not done (or nothing was handed in at all)."""
    return (
        Q(**{f"{prefix}isnull": True})
        | Q(**{f"{prefix}dates_confirmed_at__isnull": True})
        | Q(**{f"{prefix}attendance_recorded_at__isnull": True})
        | Q(**{f"{prefix}costs_submitted_at__isnull": True})
        | Q(**{f"{prefix}participant_report_done_at__isnull": True})
        | Q(**{f"{prefix}learning_reported_at__isnull": True})
    )


def late(
    applications: ApplicationQuerySet, today: datetime.date | None = None
) -> ApplicationQuerySet:
    """Those whose month after the trip has passed with a step not done."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=HOMECOMING_DAYS)
    return applications.filter(status__in=OPEN, end__lt=limit).filter(_missing())


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind travellers a week before the month is up, and when it has passed; once each.

    The participant report is the office's to mark done, so its reminder goes on weekly
    until it is.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    # The activity ended at least a week short of the month, and the checklist is open.
    ended_before = soon - datetime.timedelta(days=HOMECOMING_DAYS)
    candidates = Application.objects.filter(status__in=OPEN, end__lte=ended_before)
    sent = 0
    for application in candidates.filter(_missing()).select_related(
        "applicant", "department__parent", "homecoming"
    ):
        homecoming = getattr(application, "homecoming", None)
        steps = [step for step in checklist(application, homecoming) if not step.done]
        for step in steps:
            assert step.due is not None
            if today < step.due:
                stage = "soon"
            elif step.code == PARTICIPANT_REPORT:
                stage = f"late-{(today - step.due).days // 7}"
            else:
                stage = "late"
            sent += send_template(
                template="mobility/email/homecoming_reminder",
                to=application.applicant,
                context={
                    "step": step.code,
                    "due": step.due,
                    "late": today > step.due,
                    "link": notifications.link(application),
                    "faculty": application.department.parent,
                },
                key=f"mobility.homecoming.{application.pk}.{step.code}.{stage}",
            )
    return sent
