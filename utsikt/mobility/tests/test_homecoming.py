"""After the trip: the checklist, the money and "settled" only when the ledger balances."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.core.models import Event, OutgoingEmail
from utsikt.core.pdf import blank as blank_pdf
from utsikt.mobility import homecoming, money, workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Allocation, Application, Homecoming, Status

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]
PDF = blank_pdf()
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    """The refusals are read in English here, whatever language an earlier test left."""
    with translation.override("en"):
        yield


def _back_home(personas: dict[str, User], **fields: Any) -> Application:
    """A job shadowing that ended three days ago, granted 1 500 €."""
    end = TODAY - datetime.timedelta(days=3)
    values: dict[str, Any] = {
        "status": Status.COMPLETED,
        "start": end - datetime.timedelta(days=4),
        "end": end,
    }
    values.update(fields)
    plan = application(applicant=personas["librarian"], **values)
    Allocation.objects.create(
        application=plan,
        amount_eur=Decimal(1500),
        estimate_eur=Decimal(1500),
        allocated_by=personas["officer_ht"],
    )
    return plan


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")


def test_the_traveller_walks_the_checklist_and_the_office_marks_the_eu_report(
    personas: dict[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = _back_home(personas)
    traveller = Actor.of(personas["librarian"])
    assert [step.done for step in homecoming.checklist(plan, None)] == [False] * 5
    homecoming.confirm_dates(application=plan, actor=traveller, start=plan.start, end=plan.end)
    homecoming.record_attendance(
        application=plan, actor=traveller, start=plan.start, end=plan.end, document=_pdf()
    )
    homecoming.submit_costs(
        application=plan,
        actor=traveller,
        travel_sek=Decimal("3120.50"),
        accommodation_sek=Decimal("4800"),
        per_diem_sek=Decimal("3424"),
        fees_sek=Decimal("0"),
        travel_claim_reference="RE-2026-0042",
    )
    homecoming.report_learning(
        application=plan,
        actor=traveller,
        text="How Porto runs its data desk.",
        offered_as_story=True,
    )
    with pytest.raises(workflow.NotAllowed):  # only the office marks the EU's report
        homecoming.mark_participant_report_done(application=plan, actor=traveller)
    homecoming.mark_participant_report_done(
        application=plan, actor=Actor.of(personas["officer_ht"])
    )
    record = Homecoming.objects.get(application=plan)
    assert all(step.done for step in homecoming.checklist(plan, record))
    assert record.costs_total_sek == Decimal("11344.50")
    assert record.offered_as_story and record.offered_as_story_at is not None
    assert record.attendance_document.name.endswith(".pdf")
    codes = list(Event.objects.about(plan).values_list("action", flat=True))
    assert "homecoming.costs_submitted" in codes and "homecoming.attendance_recorded" in codes


def test_a_certificate_that_is_not_a_pdf_is_refused(personas: dict[str, User]) -> None:
    plan = _back_home(personas)
    text = SimpleUploadedFile("certificate.pdf", b"hello", content_type="application/pdf")
    with pytest.raises(workflow.WorkflowError):
        homecoming.record_attendance(
            application=plan,
            actor=Actor.of(personas["librarian"]),
            start=plan.start,
            end=plan.end,
            document=text,
        )
    assert not Homecoming.objects.filter(attendance_recorded_at__isnull=False).exists()


def test_the_host_may_confirm_attendance_through_its_link_without_a_file(
    personas: dict[str, User],
) -> None:
    plan = _back_home(personas)
    host = Actor.host_contact(name="Ana Sousa", email="ana.sousa@up.pt", token="host-link:7")
    record = homecoming.record_attendance(
        application=plan, actor=host, start=plan.start, end=plan.end
    )
    assert record.attendance_recorded_by == "Ana Sousa"


def test_a_colleague_of_another_department_cannot_hand_in_for_the_traveller(
    personas: dict[str, User],
) -> None:
    plan = _back_home(personas)
    with pytest.raises(workflow.NotAllowed):
        homecoming.report_learning(
            application=plan,
            actor=Actor.of(personas["finance_ht"]),
            text="Not mine.",
            offered_as_story=False,
        )


def test_the_dates_page_shows_the_grant_difference_before_anything_is_saved(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = _back_home(personas)
    url = reverse("mobility:homecoming_dates", args=[plan.pk])
    shorter = {"actual-start": plan.start.isoformat(), "actual-end": plan.start.isoformat()}
    response = client_for("librarian").post(url, {**shorter, "intent": "preview"})
    assert response.status_code == 200
    change = response.context["change"]
    assert change.before_eur == Decimal(1500)
    assert change.difference_eur == change.after_eur - Decimal(1500)
    assert b"data-grant-change" in response.content
    plan.refresh_from_db()
    assert plan.end != plan.start  # nothing saved
    response = client_for("librarian").post(url, {**shorter, "intent": "save"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.end == plan.start
    record = Homecoming.objects.get(application=plan)
    assert record.grant_after_dates_eur == change.after_eur
    assert homecoming.current_grant_eur(plan) == change.after_eur


def test_bad_dates_on_the_dates_page_are_a_form_error_not_a_500(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = _back_home(personas)
    url = reverse("mobility:homecoming_dates", args=[plan.pk])
    response = client_for("librarian").post(
        url, {"actual-start": "1200-01-01", "actual-end": "nonsense"}
    )
    assert response.status_code == 422


def test_settled_is_refused_until_the_costs_and_the_reimbursement_balance_the_ledger(
    personas: dict[str, User],
) -> None:
    plan = _back_home(personas)
    finance = Actor.of(personas["finance_ht"])
    officer = Actor.of(personas["officer_ht"])
    after = TODAY + datetime.timedelta(days=1)
    with pytest.raises(workflow.WorkflowError, match="actual cost and the reimbursement"):
        workflow.settle(application=plan, actor=finance, today=after)
    money.record_actual_cost(application=plan, actor=finance, amount_sek=Decimal("14250.50"))
    with pytest.raises(workflow.WorkflowError, match="reimbursement"):
        workflow.settle(application=plan, actor=finance, today=after)
    money.record_reimbursement(
        application=plan,
        actor=officer,
        amount_eur=Decimal("1499.99"),
        rate=Decimal("11.4525"),
        rate_date=TODAY,
        paid_on=TODAY,
    )
    with pytest.raises(workflow.WorkflowError, match="does not balance"):
        workflow.settle(application=plan, actor=finance, today=after)
    reimbursement = money.record_reimbursement(
        application=plan,
        actor=officer,
        amount_eur=Decimal("1500"),
        rate=Decimal("11.4525"),
        rate_date=TODAY,
        paid_on=TODAY,
    )
    assert reimbursement.amount_sek == Decimal("17178.75")
    workflow.settle(application=plan, actor=finance, today=after)
    assert plan.status == Status.SETTLED


def test_euros_at_a_rate_are_rounded_once_half_up_to_the_ore() -> None:
    assert money.in_sek(Decimal("1234.56"), Decimal("11.4525")) == Decimal(
        "14138.80"
    )  # 14 138,8044
    assert money.in_sek(Decimal("0.01"), Decimal("0.5")) == Decimal("0.01")  # 0.005 goes up


def test_only_finance_records_the_cost_and_only_the_office_the_reimbursement(
    personas: dict[str, User],
) -> None:
    plan = _back_home(personas)
    with pytest.raises(workflow.NotAllowed):
        money.record_actual_cost(
            application=plan, actor=Actor.of(personas["officer_ht"]), amount_sek=Decimal(1)
        )
    with pytest.raises(workflow.NotAllowed):
        money.record_reimbursement(
            application=plan,
            actor=Actor.of(personas["finance_ht"]),
            amount_eur=Decimal(1),
            rate=Decimal(11),
            rate_date=TODAY,
            paid_on=TODAY,
        )


def test_travellers_are_reminded_a_week_before_the_month_is_up_and_when_it_has_passed_once_each(
    personas: dict[str, User],
) -> None:
    plan = _back_home(personas)
    assert plan.end is not None
    week_before = plan.end + datetime.timedelta(days=homecoming.HOMECOMING_DAYS - 7)
    mail.outbox.clear()
    first = homecoming.send_reminders(today=week_before)
    assert first == 5  # every step is still to do
    assert homecoming.send_reminders(today=week_before) == 0
    late_day = plan.end + datetime.timedelta(days=homecoming.HOMECOMING_DAYS + 1)
    assert homecoming.send_reminders(today=late_day) == 5
    subjects = set(OutgoingEmail.objects.values_list("subject", flat=True))
    assert len(subjects) == 2


def test_the_office_sees_who_is_late(personas: dict[str, User]) -> None:
    plan = _back_home(personas)
    assert plan.end is not None
    late_day = plan.end + datetime.timedelta(days=homecoming.HOMECOMING_DAYS + 1)
    everyone = Application.objects.all()
    assert list(homecoming.late(everyone, today=late_day)) == [plan]
    assert list(homecoming.late(everyone, today=plan.end)) == []


def test_the_application_page_shows_the_checklist_from_the_last_day(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = _back_home(personas)
    page = client_for("librarian").get(reverse("mobility:application_detail", args=[plan.pk]))
    assert b"data-after-trip" in page.content
    assert b'action="/mobility/%d/after/costs/"' % plan.pk in page.content
    future = application(applicant=personas["librarian"], status=Status.TRAVELLING)
    page = client_for("librarian").get(reverse("mobility:application_detail", args=[future.pk]))
    assert b"data-after-trip" not in page.content


def test_a_refused_step_shows_its_form_again_with_what_was_typed(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = _back_home(personas)
    client = client_for("librarian")
    too_long = "Vi lärde oss katalogisera forskningsdata. " * 100  # over the 4,000 characters
    response = client.post(
        reverse("mobility:homecoming_learning", args=[plan.pk]), {"text": too_long}
    )
    assert response.status_code == 422
    assert too_long.strip()[:200] in response.content.decode()
    assert not Homecoming.objects.filter(learning_reported_at__isnull=False).exists()

    not_a_pdf = SimpleUploadedFile("certificate.pdf", b"<html>", content_type="application/pdf")
    response = client.post(
        reverse("mobility:homecoming_attendance", args=[plan.pk]),
        {"start": plan.start.isoformat(), "end": plan.end.isoformat(), "document": not_a_pdf},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'value="{plan.start.isoformat()}"' in page
    assert "<details open>" in page
