from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.mobility.models import Application, FacultyBudget, Status


def test_the_demo_gives_every_role_something_to_look_at_and_loads_twice(db: None) -> None:
    call_command("load_demo")
    count = Application.objects.count()
    call_command("load_demo")
    assert Application.objects.count() == count == 4
    assert set(Application.objects.values_list("status", flat=True)) == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.MANAGER_APPROVED,
        Status.GRANTED,
    }
    assert FacultyBudget.objects.count() == 2
    manager = Client()
    manager.force_login(User.objects.get(email="magnus.dahl@example.org"))
    assert "Jonas Berg" in manager.get(reverse("mobility:manager_home")).content.decode()
    office = Client()
    office.force_login(User.objects.get(email="sofia.almgren@example.org"))
    assert "Elin Nyström" in office.get(reverse("mobility:office_home")).content.decode()
