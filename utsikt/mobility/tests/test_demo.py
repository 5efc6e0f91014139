from __future__ import annotations

import os

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.mobility.models import Application, FacultyBudget, Status


def test_the_demo_gives_every_role_something_to_look_at_and_loads_twice(db: None) -> None:
    call_command("load_demo")
    count = Application.objects.count()
    call_command("load_demo")
    # Five plans on their way (the librarian has two), and the economist's settled trip to
    # Athens that the pages demo tells as a story (he is its ambassador).
    assert Application.objects.count() == count == 6
    assert set(Application.objects.values_list("status", flat=True)) == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.MANAGER_APPROVED,
        Status.GRANTED,
        Status.SETTLED,
    }
    assert FacultyBudget.objects.count() == 2
    manager = Client()
    manager.force_login(User.objects.get(email="magnus.dahl@example.org"))
    assert "Jonas Berg" in manager.get(reverse("mobility:manager_home")).content.decode()
    # Karin Ek, the first manager the README lists, finds a decision waiting.
    manager.force_login(User.objects.get(email="karin.ek@example.org"))
    inbox = manager.get(reverse("mobility:manager_home")).content.decode()
    assert "Maja Lindqvist" in inbox and "KU Leuven" in inbox
    office = Client()
    office.force_login(User.objects.get(email="sofia.almgren@example.org"))
    assert "Elin Nyström" in office.get(reverse("mobility:office_home")).content.decode()


def test_the_demo_keeps_one_host_per_institution_and_plans_that_fit_each_person(
    db: None,
) -> None:
    from collections import Counter

    from django.conf import settings

    from utsikt.accounts.demo import PERSONAS
    from utsikt.catalogue.models import HostOrganisation

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # An institution is one record: no host is named what another calls itself locally.
    names = Counter(HostOrganisation.objects.values_list("name", flat=True))
    local = set(
        HostOrganisation.objects.exclude(local_name="").values_list("local_name", flat=True)
    )
    doubled = {name for name, count in names.items() if count > 1}
    taken = {
        h.name for h in HostOrganisation.objects.filter(name__in=local) if h.local_name != h.name
    }
    assert doubled == set() and taken == set()
    assert not HostOrganisation.objects.filter(name="Universidade do Porto").exists()
    plans = {a.applicant.email: a for a in Application.objects.select_related("applicant")}
    assert "library" not in plans["jonas.berg@example.org"].objectives.lower()
    assert "ekonom" in plans["jonas.berg@example.org"].outcomes
    assert "bibliotek" in plans["maja.lindqvist@example.org"].objectives
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert [p.email for p in PERSONAS if p.email not in readme] == []
