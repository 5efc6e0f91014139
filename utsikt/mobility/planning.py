"""Writing a plan: starting one, saving the draft safely, and travelling together.

Starting a plan, inviting a colleague and answering an invitation each write an event. Saving
the draft does not: the planner saves as the applicant types, and a row per keystroke would
bury the history; the draft's version counts the saves, and the submission records the plan.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory, User
from utsikt.catalogue.models import Opportunity
from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.grants.values import call_year_for
from utsikt.grants.vocabulary import Activity
from utsikt.mobility.models import Application, ApplicationQuerySet, Companion
from utsikt.mobility.workflow import WorkflowError

# Fields a draft save may change; status, version and money decisions are never among them.
DRAFT_FIELDS = (
    "activity",
    "opportunity",
    "origin",
    "start",
    "end",
    "travel_out",
    "travel_back",
    "travel_days",
    "travel_mode",
    "virtual_start",
    "virtual_end",
    "virtual_format",
    "virtual_description",
    "objectives",
    "added_value",
    "activities",
    "outcomes",
    "work_cover",
    "working_language",
    "language_level",
    "wants_language_course",
    "travel_cost_sek",
    "accommodation_cost_sek",
    "other_cost_sek",
    "talked_to_manager",
    "host_confirmed",
    "insurance_read",
    "travel_booked",
    "language_course_considered",
    "visible_to_colleagues",
)

# What the catalogue offers → the activity of the plan: a language course is a course.
_ACTIVITY_OF_OPPORTUNITY = {
    Opportunity.Kind.STAFF_WEEK: Activity.STAFF_WEEK,
    Opportunity.Kind.COURSE: Activity.TRAINING_COURSE,
    Opportunity.Kind.LANGUAGE_COURSE: Activity.TRAINING_COURSE,
    Opportunity.Kind.JOB_SHADOWING: Activity.JOB_SHADOWING,
}


class EditConflict(WorkflowError):
    """The draft changed since the form was opened (another tab or person saved first)."""

    def __init__(self, current: Application) -> None:
        super().__init__(
            _(
                "This plan was changed elsewhere after you opened it (another tab?). "
                "Your text is kept below; compare it with the saved version and save again."
            )
        )
        self.current = current


def start_plan(*, applicant: User, opportunity: Any = None) -> Application:
    """A new draft for the applicant, prefilled from a staff week or course when given."""
    if applicant.department_id is None:
        raise WorkflowError(
            _("Your profile has no department yet. Ask the International Office to add it.")
        )
    today = timezone.localdate()
    application = Application(
        applicant=applicant,
        department_id=applicant.department_id,
        call_year=call_year_for(today),
    )
    if opportunity is not None:
        application.opportunity = opportunity
        application.activity = _ACTIVITY_OF_OPPORTUNITY.get(opportunity.kind, Activity.STAFF_WEEK)
        application.start = opportunity.start_date
        application.end = opportunity.end_date
        application.call_year = call_year_for(opportunity.start_date)
    with transaction.atomic():
        application.save()
        if opportunity is not None:
            application.hosts.add(opportunity.host)
        events.record(
            action="application.created",
            actor=Actor.of(applicant),
            subject=application,
            payload={"opportunity": opportunity.pk} if opportunity is not None else {},
        )
    return application


def save_draft(
    *,
    application: Application,
    by: User,
    version: int,
    data: dict[str, Any],
    hosts: list[Any],
    page: str = "",
) -> Application:
    """Save the applicant's draft, unless it changed since `version` (then EditConflict).

    `page` names the planner page the save comes from. The page sends its requests one
    after another, but the answer carrying the new version may not have reached it when it
    sends the next; so a save from the page whose own save made the current version, based
    on the version just before, is the page's latest word and is taken as current. A save
    from any other page (another tab) at an older version is a conflict.
    """
    if application.applicant_id != by.pk:
        raise WorkflowError(_("Only the applicant can change the plan."))
    values = {field: data[field] for field in DRAFT_FIELDS if field in data}
    if values.get("start"):
        values["call_year"] = call_year_for(values["start"])
    editable = Application.objects.filter(pk=application.pk, status__in=Application.EDITABLE)
    update = {"version": F("version") + 1, "updated_at": timezone.now(), "saved_by_page": page}
    with transaction.atomic():
        changed = editable.filter(version=version).update(**update, **values)
        if changed != 1 and page:
            changed = editable.filter(version=version + 1, saved_by_page=page).update(
                **update, **values
            )
        if changed != 1:
            current = Application.objects.get(pk=application.pk)
            if current.status not in Application.EDITABLE:
                raise WorkflowError(_("This plan has been submitted and can no longer be changed."))
            raise EditConflict(current)
        application.hosts.set(hosts)
    application.refresh_from_db()
    return application


def colleagues_of(user: User) -> QuerySet[User]:
    """Whom one may invite to travel together: active staff with a department, neither
    oneself nor an administrator (who plans no mobility of their own here)."""
    return (
        User.objects.filter(is_active=True, is_superuser=False, department__isnull=False)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name")
    )


def invite_companion(*, application: Application, colleague: User, by: User) -> Companion:
    """Ask a colleague to travel together; they answer in Utsikt."""
    if application.applicant_id != by.pk:
        raise WorkflowError(_("Only the applicant can invite a travel companion."))
    if colleague.pk == by.pk:
        raise WorkflowError(_("Invite a colleague, not yourself."))
    if not colleagues_of(by).filter(pk=colleague.pk).exists():
        raise WorkflowError(_("Only colleagues with a department can be invited."))
    from utsikt.mobility import notifications

    with transaction.atomic():
        companion, created = Companion.objects.get_or_create(
            application=application, colleague=colleague
        )
        if created:
            events.record(
                action="companion.invited",
                actor=Actor.of(by),
                subject=application,
                payload={"companion": companion.pk, "colleague": colleague.pk},
            )
        notifications.invitation_sent(companion)
    return companion


# What accepting copies from the inviter's plan: the dates, the hosts (below) and the travel.
# Not the origin: the colleague travels from their own home, in their own staff category.
_SHARED_FIELDS = (
    "activity",
    "start",
    "end",
    "travel_out",
    "travel_back",
    "travel_days",
    "travel_mode",
    "call_year",
)


def answer_invitation(*, companion: Companion, by: User, accept: bool) -> Companion:
    """The colleague accepts (and gets a linked draft of their own) or declines.

    The answer is a conditional UPDATE from "invited": of two acceptances at once (two tabs,
    a double click) one answers and the other is refused, so only one plan is made.
    """
    if companion.colleague_id != by.pk:
        raise WorkflowError(_("This invitation is for someone else."))
    answered = _("You have already answered this invitation.")
    if companion.answer != Companion.Answer.INVITED:
        raise WorkflowError(answered)
    answer = Companion.Answer.ACCEPTED if accept else Companion.Answer.DECLINED
    with transaction.atomic():
        changed = Companion.objects.filter(pk=companion.pk, answer=Companion.Answer.INVITED).update(
            answer=answer
        )
        if changed != 1:
            raise WorkflowError(answered)
        companion.answer = answer
        if accept:
            source = companion.application
            own = start_plan(applicant=by, opportunity=source.opportunity)
            for name in _SHARED_FIELDS:
                setattr(own, name, getattr(source, name))
            own.save()
            own.hosts.set(source.hosts.all())
            companion.colleague_application = own
            companion.save(update_fields=["colleague_application"])
        events.record(
            action="companion.accepted" if accept else "companion.declined",
            actor=Actor.of(by),
            subject=companion.application,
            payload={
                "companion": companion.pk,
                "colleague_application": companion.colleague_application_id,
            },
        )
    return companion


def suggested_companions(visible: ApplicationQuerySet, user: User) -> ApplicationQuerySet:
    """Of the colleagues' visible applications, those the university would pair `user` with:
    the same role, or an administrative with an academic colleague."""
    academic = StaffCategory.academic()
    if user.staff_category in academic:
        return visible.exclude(applicant__staff_category__in=academic)
    return visible.filter(
        Q(applicant__staff_category=user.staff_category) | Q(applicant__staff_category__in=academic)
    )
