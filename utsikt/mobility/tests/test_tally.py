"""The work lists' counts (mobility.tally) always equal a fresh count, whatever wrote last."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.core.pdf import blank as blank_pdf
from utsikt.mobility import planning, tally, workflow
from utsikt.mobility.factories import application, balanced_ledger
from utsikt.mobility.models import Application, ApplicationTally, Status

Clients = Callable[[str | None], Client]


def assert_counts_are_fresh() -> None:
    assert tally.kept() == tally.fresh()


def _step(plan: Application, action: str, user: User, **arguments: Any) -> None:
    workflow.check(user, plan, action)
    getattr(workflow, action)(application=plan, actor=Actor.of(user), **arguments)
    assert_counts_are_fresh()


def test_every_workflow_step_keeps_the_counts_equal_to_a_fresh_count(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    librarian, head, officer = (
        personas["librarian"],
        personas["head_libraries"],
        personas["officer_ht"],
    )
    plan = planning.start_plan(applicant=librarian)
    assert_counts_are_fresh()
    assert ApplicationTally.objects.get(applicant=librarian).status == Status.DRAFT
    plan.delete()
    assert_counts_are_fresh()
    assert not ApplicationTally.objects.exists()  # a count that reaches 0 is removed

    plan = application(applicant=librarian)
    _step(plan, "submit", librarian)
    _step(plan, "return_for_changes", head, comment="Add the dates.")
    _step(plan, "submit", librarian)
    _step(plan, "approve", head)
    _step(plan, "grant", officer, amount_eur=Decimal(1500))
    _step(plan, "send_agreement", officer)
    pdf = SimpleUploadedFile("signed.pdf", blank_pdf(), content_type="application/pdf")
    _step(plan, "record_signed_agreement", officer, pdf=pdf)
    after = plan.end + (plan.end - plan.start)
    _step(plan, "start_travel", librarian, today=after)
    _step(plan, "complete", librarian, today=after)
    balanced_ledger(plan, finance=personas["finance_ht"], officer=officer)
    _step(plan, "settle", personas["finance_ht"], today=after)
    assert ApplicationTally.objects.get(applicant=librarian).status == Status.SETTLED

    for ending, who, arguments in [
        ("withdraw", librarian, {}),
        ("reject", head, {"comment": "Not this year."}),
        ("cancel", officer, {"comment": "The host closed."}),
    ]:
        _step(application(applicant=librarian, status=Status.SUBMITTED), ending, who, **arguments)
    assert ApplicationTally.objects.filter(applicant=librarian).total() == 4


def test_bulk_writes_and_moves_between_departments_keep_the_counts(
    personas: dict[str, User],
) -> None:
    librarian, economist = personas["librarian"], personas["economist"]
    made = Application.objects.bulk_create(
        [
            Application(applicant=person, department_id=person.department_id, call_year=2026)
            for person in (librarian, economist, economist)
        ]
    )
    assert_counts_are_fresh()
    Application.objects.filter(pk__in=[a.pk for a in made]).update(status=Status.SUBMITTED)
    assert_counts_are_fresh()
    Application.objects.filter(pk=made[0].pk).update(department_id=economist.department_id)
    assert_counts_are_fresh()
    Application.objects.filter(pk=made[1].pk).update(version=7)  # no count changes
    assert_counts_are_fresh()
    Application.objects.all().delete()
    assert_counts_are_fresh()
    assert not ApplicationTally.objects.exists()


def test_a_write_that_rolls_back_leaves_the_counts_as_they_were(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    before = tally.kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        Application.objects.filter(pk=plan.pk).update(status=Status.MANAGER_APPROVED)
        application(applicant=personas["economist"])
        raise RuntimeError
    assert tally.kept() == before == tally.fresh()


def test_the_command_rebuilds_counts_that_drifted(personas: dict[str, User]) -> None:
    application(applicant=personas["librarian"], status=Status.SUBMITTED)
    application(applicant=personas["economist"], status=Status.GRANTED)
    ApplicationTally.objects.all().delete()  # as after a restore without the table's rows
    ApplicationTally.objects.create(
        department=personas["librarian"].department,
        applicant=personas["librarian"],
        status=Status.SETTLED,
        applications=9,
    )
    call_command("recount_applications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_counts_are_fresh()
    assert len(tally.kept()) == 2


def test_the_pipeline_shows_the_counts_of_what_it_lists(
    personas: dict[str, User], client_for: Clients
) -> None:
    for person, status in [
        ("librarian", Status.SUBMITTED),
        ("librarian", Status.MANAGER_APPROVED),
        ("economist", Status.MANAGER_APPROVED),
        ("study_adviser", Status.DRAFT),  # private
        ("it_technician", Status.SUBMITTED),  # another faculty
    ]:
        application(applicant=personas[person], status=status)
    office = client_for("officer_ht")

    def counts(**filters: str) -> tuple[dict[str, int], int]:
        page = office.get(reverse("mobility:office_home"), filters).content.decode()
        shown = re.findall(r"\?status=(\w+)\">[^<]*: <strong>(\d+)</strong>", page)
        total = re.search(r": <strong>(\d+)</strong></li>\s*</ul>", page)
        assert total is not None
        return {status: int(n) for status, n in shown}, int(total.group(1))

    assert counts() == ({"submitted": 1, "manager_approved": 2}, 3)
    assert counts(status="manager_approved") == ({"manager_approved": 2}, 2)
    assert counts(department="kultur") == ({"manager_approved": 1}, 1)
    # A filter the tally does not count by is counted over the list itself.
    assert counts(activity="staff_week") == ({}, 0)
    assert counts(activity="job_shadowing") == ({"submitted": 1, "manager_approved": 2}, 3)
