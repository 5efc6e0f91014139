"""Who may see which people and units. Gates raise 404 for what the user may not see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from utsikt.accounts.models import ADMINISTRATOR as ADMINISTRATOR
from utsikt.accounts.models import STAFF as STAFF
from utsikt.accounts.models import OrgUnit, OrgUnitQuerySet, RoleAssignment, User

Role = RoleAssignment.Role


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The roles a user holds today; every signed-in person is staff. Cached per request."""
    return user.current_roles() if user.is_authenticated else frozenset()


def _unit_ids(user: User, *roles: str) -> list[int]:
    return list(RoleAssignment.objects.current().of(user, roles).values_list("unit_id", flat=True))


def managed_departments(user: User) -> OrgUnitQuerySet:
    """Departments the user decides for, as head or as a deputy in force today."""
    return OrgUnit.objects.departments().filter(id__in=_unit_ids(user, Role.MANAGER, Role.DEPUTY))


def office_faculties(user: User) -> OrgUnitQuerySet:
    """Faculties whose international office the user works in."""
    return OrgUnit.objects.faculties().filter(id__in=_unit_ids(user, Role.OFFICER))


def finance_departments(user: User) -> OrgUnitQuerySet:
    """Departments whose money the user follows."""
    return OrgUnit.objects.departments().filter(id__in=_unit_ids(user, Role.FINANCE))


def _departments(user: User, *department_roles: str) -> OrgUnitQuerySet:
    if user.is_superuser:
        return OrgUnit.objects.departments()
    return OrgUnit.objects.departments().filter(
        Q(id__in=_unit_ids(user, *department_roles))
        | Q(parent_id__in=_unit_ids(user, Role.OFFICER))
    )


def visible_departments(user: User) -> OrgUnitQuerySet:
    """Departments a user may look into: managed, financed, or in a faculty they serve."""
    return _departments(user, Role.MANAGER, Role.DEPUTY, Role.FINANCE)


def visible_people(user: User) -> QuerySet[User]:
    """People a user may look up: themselves, their reports, and those of units they lead or serve.

    The one rule for lists and for each person's page alike. Finance follows a department's
    money, not its people, so it adds nobody here.
    """
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(manager=user)
        | Q(department__in=_departments(user, Role.MANAGER, Role.DEPUTY))
    )


def members_visible_to(user: User, department: OrgUnit) -> QuerySet[User]:
    """The department's active staff whom the user may look up (see visible_people): a list
    shows no one whose own page would answer 404."""
    return visible_people(user).filter(department=department, is_active=True)


def shows_grant_history_in(user: User, department: OrgUnit | None) -> bool:
    """Whether the user sees who in the department had an Erasmus+ grant before.

    Only the international office's decisions use it (first-time participants come first
    when grants are allocated), so only its officers and administrators see it of others.
    """
    if user.is_superuser:
        return True
    if department is None or department.parent_id is None:
        return False
    return office_faculties(user).filter(pk=department.parent_id).exists()


def shows_grant_history(user: User, person: User) -> bool:
    """Whether the user sees this person's earlier-grant flag: their own, or as above."""
    return user.pk == person.pk or shows_grant_history_in(user, person.department)


def department_for(user: User, code: str) -> OrgUnit:
    """The department with this code, if the user may see it; 404 otherwise."""
    return get_object_or_404(visible_departments(user).select_related("parent"), code=code)


def faculty_for(user: User, code: str) -> OrgUnit:
    """The faculty with this code, if the user works in its office or administers; else 404."""
    faculties = OrgUnit.objects.faculties() if user.is_superuser else office_faculties(user)
    return get_object_or_404(faculties, code=code)


def person_for(user: User, pk: int) -> User:
    """The person with this id, if the user may see them; 404 otherwise."""
    return get_object_or_404(
        visible_people(user).select_related("department__parent", "manager"), pk=pk
    )
