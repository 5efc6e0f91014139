"""The work lists write their amounts and counts as the language writes numbers ("1 655")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility import workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Status

Clients = Callable[[str | None], Client]


@pytest.mark.parametrize(("language", "written"), [("sv", "1\u202f655"), ("en", "1,655")])
def test_the_pipeline_groups_a_grant_in_thousands(
    personas: dict[str, User], client_for: Clients, language: str, written: str
) -> None:
    granted = application(applicant=personas["study_adviser"], status=Status.MANAGER_APPROVED)
    workflow.grant(
        application=granted,
        actor=Actor.of(personas["officer_ht"]),
        amount_eur=Decimal(1655),
        reason="A longer stay",
    )
    office = client_for("officer_ht")
    office.cookies["django_language"] = language
    page = office.get(reverse("mobility:office_home")).content.decode()
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert f"</span>{written}</td>" in row  # after the cell's name, shown on a phone
    assert ">1655<" not in row
