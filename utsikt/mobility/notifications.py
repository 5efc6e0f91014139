"""The e-mails of the workflow: who gets one for which step, written in their language.

Each e-mail is rendered from templates/mobility/email/ and written through core.email in
the same transaction as the change it reports, then sent after the commit. Its key names
the step and the person, so a step announced twice mails once.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from utsikt.accounts.models import RoleAssignment, User
from utsikt.core.email import send_template
from utsikt.core.models import Event
from utsikt.mobility.models import Allocation, Application, Companion, Status, Transition

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
    manager = application.applicant.manager
    if not people and manager is not None:
        people = [manager]
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
    return settings.UTSIKT_BASE_URL + reverse("mobility:application_detail", args=[application.pk])


def recipients_for(transition: Transition) -> list[tuple[User, str]]:
    """Who is written to about a transition, and which e-mail (template) each gets."""
    application = transition.application
    found: list[tuple[User, str]] = []
    if transition.to_status == Status.SUBMITTED:
        found += [(person, "decide") for person in deciders(application)]
    if transition.to_status == Status.MANAGER_APPROVED:
        found += [(person, "review") for person in officers(application)]
    if transition.to_status in _TO_APPLICANT and transition.actor_id != application.applicant_id:
        found.append((application.applicant, "status"))
    return found


def _decided_by(transition: Transition) -> str:
    """Who took the step: a person by name, a host contact or the system by its label."""
    if transition.actor is None:
        return transition.actor_name
    return transition.actor.get_full_name() or transition.actor.email


def _granted_eur(transition: Transition) -> object:
    """The grant the office allocated: its event's amount, when this is the grant itself."""
    # The allocation row is written after the step that mails, so the step's event tells.
    event = (
        Event.objects.about(transition.application)
        .filter(payload__transition=transition.pk)
        .first()
    )
    if event is not None and "amount_eur" in event.payload:
        return event.payload["amount_eur"]
    allocation = Allocation.objects.filter(application=transition.application).first()
    return allocation.amount_eur if allocation is not None else None


def transition_happened(transition: Transition) -> int:
    """Write the e-mails a transition calls for; they go out once the transaction commits.

    Returns how many were written now: none for a transition already announced.
    """
    application = transition.application
    context = {
        "applicant": application.applicant.get_full_name(),
        "status": Status(transition.to_status).label,
        "to_status": transition.to_status,
        "decided_by": _decided_by(transition),
        "granted_eur": _granted_eur(transition),
        "comment": transition.comment,
        "link": link(application),
        # Rendered in the reader's language: the templates ask for its names themselves.
        "faculty": application.department.parent,
    }
    return sum(
        send_template(
            template=f"mobility/email/{kind}",
            to=recipient,
            context=context,
            key=f"mobility.transition.{transition.pk}.{kind}.{recipient.pk}",
        )
        for recipient, kind in recipients_for(transition)
    )


def invitation_sent(companion: Companion) -> int:
    """Invite a colleague to travel together, by e-mail once the invitation commits."""
    return send_template(
        template="mobility/email/invitation",
        to=companion.colleague,
        context={
            "applicant": companion.application.applicant.get_full_name(),
            # The plan itself, so that who, what, where and when are written in the
            # colleague's language when the e-mail is rendered.
            "plan": companion.application,
            "link": settings.UTSIKT_BASE_URL
            + reverse("mobility:invitation_answer", args=[companion.pk]),
        },
        key=f"mobility.invitation.{companion.pk}",
    )


def remind(application: Application, recipient: User, waited_days: int, kind: str) -> bool:
    """Remind someone of a decision that has waited; once per reminder kind and transition."""
    last = application.transitions.last()
    return send_template(
        template="mobility/email/reminder",
        to=recipient,
        context={
            "applicant": application.applicant.get_full_name(),
            "days": waited_days,
            "link": link(application),
            "faculty": application.department.parent,
        },
        key=f"mobility.{kind}.{last.pk if last else 'none'}.{application.pk}.{recipient.pk}",
    )
