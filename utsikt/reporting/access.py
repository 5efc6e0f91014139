"""Whose numbers a person sees: the office its faculties', managers and finance their
departments'. Every reporting view reads through `scope_of`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from utsikt.accounts import access as people
from utsikt.accounts.models import OrgUnit, OrgUnitQuerySet, User
from utsikt.mobility.models import Application, ApplicationQuerySet, Status


@dataclass(frozen=True)
class Scope:
    """The departments and faculties whose mobilities a person's reports cover."""

    department_ids: frozenset[int]
    faculty_ids: frozenset[int]
    # The office sees whole faculties (and sets their budgets); the others departments.
    office: bool

    def departments(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.departments().filter(pk__in=self.department_ids)

    def faculties(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.faculties().filter(pk__in=self.faculty_ids)

    def applications(self) -> ApplicationQuerySet:
        """Submitted mobilities of these departments (drafts are private to their authors)."""
        return Application.objects.filter(department__in=sorted(self.department_ids)).exclude(
            status=Status.DRAFT
        )


def scope_of(user: User) -> Scope:
    """The reporting scope of a person, from the roles they hold today."""
    faculties = set(people.office_faculties(user).values_list("pk", flat=True))
    own = set(
        OrgUnit.objects.departments()
        .filter(
            Q(pk__in=people.managed_departments(user)) | Q(pk__in=people.finance_departments(user))
        )
        .values_list("pk", flat=True)
    )
    in_faculties = set(
        OrgUnit.objects.departments().filter(parent__in=faculties).values_list("pk", flat=True)
    )
    departments = own | in_faculties
    parents = set(
        OrgUnit.objects.filter(pk__in=departments)
        .exclude(parent=None)
        .values_list("parent_id", flat=True)
    )
    return Scope(
        department_ids=frozenset(departments),
        faculty_ids=frozenset(faculties | {p for p in parents if p is not None}),
        office=bool(faculties),
    )
