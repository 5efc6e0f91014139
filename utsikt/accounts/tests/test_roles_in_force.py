"""The roles a person holds today, as every role-gated page reads them (User.current_roles).

current_roles reads them with one plain query for speed; it must say exactly what the
queryset RoleAssignment.objects.current() says, at the edges of each assignment's dates.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from utsikt.accounts.models import STAFF, OrgUnit, RoleAssignment, User

Role = RoleAssignment.Role


def test_the_roles_in_force_are_those_the_queryset_says_at_every_edge_of_their_dates(
    personas: dict[str, User], org: dict[str, OrgUnit]
) -> None:
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    person = personas["librarian"]
    RoleAssignment.objects.filter(user=person).delete()
    edges = {
        # role: (valid_from, valid_until)
        Role.MANAGER: (today, today),  # in force today only
        Role.DEPUTY: (today + day, None),  # from tomorrow
        Role.FINANCE: (None, today - day),  # ended yesterday
        Role.OFFICER: (today - day, today + day),
    }
    for role, (valid_from, valid_until) in edges.items():
        unit = org["ht"] if role == Role.OFFICER else org["ht-libraries"]
        RoleAssignment.objects.create(
            user=person, role=role, unit=unit, valid_from=valid_from, valid_until=valid_until
        )
    expected = {
        STAFF,
        *RoleAssignment.objects.current().filter(user=person).values_list("role", flat=True),
    }
    fresh = User.objects.get(pk=person.pk)
    assert fresh.current_roles() == expected == {STAFF, Role.MANAGER, Role.OFFICER}
