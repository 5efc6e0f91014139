from __future__ import annotations

from django.core.management import call_command

from utsikt.accounts.demo import PERSONAS
from utsikt.accounts.models import OrgUnit, RoleAssignment, User


def test_demo_data_loads_twice_without_duplicates(db: None) -> None:
    call_command("load_demo")
    counts = (User.objects.count(), OrgUnit.objects.count(), RoleAssignment.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), OrgUnit.objects.count(), RoleAssignment.objects.count()) == counts
    assert counts[0] == len(PERSONAS)


def test_demo_covers_every_role_in_two_faculties(db: None) -> None:
    call_command("load_demo")
    assert OrgUnit.objects.faculties().count() == 2
    assert OrgUnit.objects.departments().count() >= 4
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(RoleAssignment.Role.values)
    assert User.objects.filter(is_superuser=True).exists()
    officers = RoleAssignment.objects.filter(role="officer").values_list("unit__code", flat=True)
    assert set(officers) == {"ht", "s"}
