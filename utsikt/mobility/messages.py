"""The e-mails of the workflow: who gets one for which step, written in their language.

Sending is idempotent: a Notification row is written in the same transaction as the e-mail
is sent, so a task that runs twice sends nothing the second time, and a failed send leaves
no row behind and can be tried again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from utsikt.accounts.models import RoleAssignment, User
from utsikt.mobility.models import Application, Companion, Notification, Status, Transition

Role = RoleAssignment.Role

# What the applicant is told when their application reaches a state.
_TO_APPLICANT = {
    Status.RETURNED,
    Status.MANAGER_APPROVED,
    Status.REJECTED,
    Status.GRANTED,
    Status.AGREEMENT_SENT,
    Status.SIGNED,
    Status.CANCELLED,
    Status.SETTLED,
}


def deciders(application: Application) -> list[User]:
    """The managers (and deputies in force) of the department that pays."""
    people = list(
        User.objects.filter(
            is_active=True,
            roles__in=RoleAssignment.objects.current().filter(
                role__in=[Role.MANAGER, Role.DEPUTY], unit_id=application.department_id
            ),
        )
        .exclude(pk=application.applicant_id)
        .distinct()
    )
    if not people and application.applicant.manager_id:
        people = [application.applicant.manager]  # type: ignore[list-item]
    return people


def officers(application: Application) -> list[User]:
    faculty_id = application.department.parent_id
    return list(
        User.objects.filter(
            is_active=True,
            roles__in=RoleAssignment.objects.current().filter(
                role=Role.OFFICER, unit_id=faculty_id
            ),
        ).distinct()
    )


def link(application: Application) -> str:
    return settings.UTSIKT_BASE_URL + reverse("application_detail", args=[application.pk])


def _send_once(
    *, transition: Transition | None, recipient: User, kind: str, subject: str, body: str
) -> bool:
    try:
        with transaction.atomic():
            if transition is not None:
                Notification.objects.create(transition=transition, recipient=recipient, kind=kind)
            EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    except IntegrityError:
        return False  # already sent by an earlier run
    return True


def _compose(transition: Transition, recipient: User, kind: str) -> tuple[str, str]:
    application = transition.application
    applicant = application.applicant.get_full_name()
    with translation.override(recipient.language):
        if kind == "decide":
            subject = _("%(name)s asks for your decision on a mobility") % {"name": applicant}
            lead = _(
                "%(name)s has applied for an Erasmus+ staff mobility. It waits for your decision."
            ) % {"name": applicant}
        elif kind == "review":
            subject = _("A mobility is ready for the international office: %(name)s") % {
                "name": applicant
            }
            lead = _(
                "The manager has approved %(name)s's mobility. Review it and allocate the grant."
            ) % {"name": applicant}
        else:
            status = Status(transition.to_status).label
            subject = _("Your mobility: %(status)s") % {"status": status}
            lead = _("Your Erasmus+ staff mobility has a new status: %(status)s.") % {
                "status": status
            }
        parts = [
            _("Hello %(name)s,") % {"name": recipient.first_name or recipient.email},
            "",
            str(lead),
        ]
        if transition.comment:
            parts += ["", _("Comment:"), transition.comment]
        parts += ["", _("Open it in Utsikt:"), link(application), "", "Utsikt"]
    return str(subject), "\n".join(str(part) for part in parts)


def recipients_for(transition: Transition) -> list[tuple[User, str]]:
    application = transition.application
    found: list[tuple[User, str]] = []
    if transition.to_status == Status.SUBMITTED:
        found += [(person, "decide") for person in deciders(application)]
    if transition.to_status == Status.MANAGER_APPROVED:
        found += [(person, "review") for person in officers(application)]
    if transition.to_status in _TO_APPLICANT and transition.actor_id != application.applicant_id:
        found.append((application.applicant, "status"))
    return found


def send_for_transition(transition_id: int) -> int:
    """Send a transition's e-mails; returns how many went out this time."""
    transition = Transition.objects.select_related(
        "application__applicant", "application__department"
    ).get(pk=transition_id)
    sent = 0
    for recipient, kind in recipients_for(transition):
        subject, body = _compose(transition, recipient, kind)
        sent += _send_once(
            transition=transition, recipient=recipient, kind=kind, subject=subject, body=body
        )
    return sent


def send_invitation(companion_id: int) -> int:
    companion = Companion.objects.select_related("application__applicant", "colleague").get(
        pk=companion_id
    )
    if companion.answer != Companion.Answer.INVITED:
        return 0
    colleague = companion.colleague
    with translation.override(colleague.language):
        subject = _("%(name)s invites you to travel together") % {
            "name": companion.application.applicant.get_full_name()
        }
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": colleague.first_name or colleague.email},
                "",
                _("%(name)s plans an Erasmus+ staff mobility and would like you to come along.")
                % {"name": companion.application.applicant.get_full_name()},
                "",
                _("Answer in Utsikt:"),
                settings.UTSIKT_BASE_URL + reverse("staff_home"),
            ]
        )
    EmailMessage(subject=str(subject), body=str(body), to=[colleague.email]).send()
    return 1


def remind(application: Application, recipient: User, waited_days: int, kind: str) -> bool:
    """Remind someone of a decision that has waited; once per reminder kind."""
    last = application.transitions.last()
    with translation.override(recipient.language):
        subject = _("Reminder: a mobility has waited %(days)s days for a decision") % {
            "days": waited_days
        }
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": recipient.first_name or recipient.email},
                "",
                _("%(name)s's application has waited %(days)s days for a decision.")
                % {"name": application.applicant.get_full_name(), "days": waited_days},
                "",
                _("Open it in Utsikt:"),
                link(application),
            ]
        )
    return _send_once(
        transition=last, recipient=recipient, kind=kind, subject=str(subject), body=str(body)
    )
