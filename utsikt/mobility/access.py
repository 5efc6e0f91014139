"""Who may see which applications. Gates raise 404 for what the user may not see."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from utsikt.accounts import access as people
from utsikt.accounts.models import User
from utsikt.mobility.models import Application, ApplicationQuerySet, Companion, Status


def visible_applications(user: User) -> ApplicationQuerySet:
    """Own applications; and, once submitted, those of the departments and faculties one serves.

    A draft is private to its author until it is submitted.
    """
    applications = Application.objects.all()
    if user.is_superuser:
        return applications.filter(Q(applicant=user) | ~Q(status=Status.DRAFT))
    served = (
        Q(department__in=people.managed_departments(user))
        | Q(department__parent__in=people.office_faculties(user))
        | Q(department__in=people.finance_departments(user))
    )
    return applications.filter(Q(applicant=user) | (served & ~Q(status=Status.DRAFT)))


def application_for(user: User, pk: int) -> Application:
    """The application with this id, if the user may see it; 404 otherwise."""
    return get_object_or_404(
        visible_applications(user).select_related(
            "applicant", "department__parent", "opportunity", "origin"
        ),
        pk=pk,
    )


def own_application_for(user: User, pk: int) -> Application:
    """The user's own application with this id; 404 for anybody else's."""
    return get_object_or_404(
        Application.objects.select_related("department__parent", "opportunity", "origin"),
        pk=pk,
        applicant=user,
    )


def invitation_for(user: User, pk: int) -> Companion:
    """An invitation to travel together addressed to this user; 404 otherwise."""
    return get_object_or_404(
        Companion.objects.select_related("application__applicant", "application__opportunity"),
        pk=pk,
        colleague=user,
    )


def shared_plan_for(user: User, pk: int) -> Application:
    """A plan its author invited this user to share (read-only), or the user's own; 404
    otherwise. An invitation opens the plan's summary, never its money or its history."""
    return get_object_or_404(
        Application.objects.select_related("applicant", "opportunity")
        .filter(Q(applicant=user) | Q(companions__colleague=user))
        .distinct(),
        pk=pk,
    )
