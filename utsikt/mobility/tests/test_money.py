"""Money on the application's pages: the staff week's fee in the costs, boats and green
travel, the first-time priority, and the faculty budget before the officer allocates."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.catalogue.curation import save_opportunity
from utsikt.catalogue.models import Opportunity
from utsikt.grants.models import CallYear
from utsikt.mobility import workflow
from utsikt.mobility.estimate import Estimated, estimate
from utsikt.mobility.factories import PORTO, application, host
from utsikt.mobility.models import FacultyBudget, Status

Clients = Callable[[str | None], Client]
pytestmark = pytest.mark.django_db


def _staff_week(personas: dict[str, User], fee: str, currency: str = "EUR") -> Opportunity:
    return save_opportunity(
        opportunity=Opportunity(
            kind="staff_week",
            title_sv="Staff Week för bibliotekarier",
            title_en="Library staff week",
            host=host(**PORTO),
            faculty=personas["officer_ht"].roles.get().unit,
            start_date=datetime.date(2027, 5, 3),
            end_date=datetime.date(2027, 5, 7),
            status="published",
            staff_categories={"librarian"},
            topics={"library"},
            languages={"en"},
            fee=Decimal(fee),
            currency=currency,
        ),
        by=personas["officer_ht"],
    )


def test_the_staff_weeks_fee_is_carried_into_the_departments_cost(
    personas: dict[str, User],
) -> None:
    week = _staff_week(personas, "300")
    plan = application(applicant=personas["librarian"], opportunity=week, activity="staff_week")
    without = application(applicant=personas["economist"], activity="staff_week")
    with_fee, plain = estimate(plan), estimate(without)
    assert isinstance(with_fee, Estimated) and isinstance(plain, Estimated)
    cost = with_fee.estimate.department
    assert cost.fee_sek == round(300 * cost.eur_sek)
    assert cost.cost_sek == plain.estimate.department.cost_sek + cost.fee_sek


@pytest.mark.parametrize(("language", "label"), [("sv", "Avgift"), ("en", "Fee")])
def test_the_planner_shows_the_fee_as_a_line_of_the_cost(
    personas: dict[str, User], client_for: Clients, language: str, label: str
) -> None:
    week = _staff_week(personas, "300")
    plan = application(applicant=personas["librarian"], opportunity=week, activity="staff_week")
    client = client_for("librarian")
    client.cookies["django_language"] = language
    page = client.get(reverse("mobility:application_plan", args=[plan.pk])).content.decode()
    assert f'<th scope="row">{label}</th>' in page


def test_a_boat_is_green_travel_only_when_the_call_year_says_so(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], travel_mode="boat")
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated) and not verdict.estimate.trip.green_travel
    CallYear.objects.filter(year=plan.call_year).update(boats_are_green=True)
    from utsikt.grants import rates

    rates.forget()
    verdict = estimate(plan)
    rates.forget()
    assert isinstance(verdict, Estimated) and verdict.estimate.trip.green_travel


def test_an_earlier_granted_mobility_ends_the_first_time_priority(
    personas: dict[str, User],
) -> None:
    librarian = personas["librarian"]
    assert not librarian.had_grant_before
    plan = application(applicant=librarian)
    assert plan.first_grant
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated) and verdict.estimate.trip.first_time
    application(applicant=librarian, status=Status.COMPLETED)
    assert not plan.first_grant
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated) and not verdict.estimate.trip.first_time
    # A refused or withdrawn application is no grant had.
    application(applicant=personas["study_adviser"], status=Status.REJECTED)
    application(applicant=personas["study_adviser"], status=Status.WITHDRAWN)
    assert application(applicant=personas["study_adviser"]).first_grant
    # The profile's flag still counts on its own.
    assert not application(applicant=personas["economist"]).first_grant


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Fakultetens budget 2026", "Redan beviljat", "Kvar"]),
        ("en", ["Faculty budget 2026", "Already allocated", "Remaining"]),
    ],
)
def test_the_officer_sees_the_faculty_budget_before_allocating(
    personas: dict[str, User],
    client_for: Clients,
    org: dict[str, object],
    language: str,
    words: list[str],
) -> None:
    FacultyBudget.objects.create(faculty=org["ht"], call_year=2026, amount_eur=10000)
    granted = application(applicant=personas["study_adviser"], status=Status.MANAGER_APPROVED)
    from utsikt.core.actors import Actor

    workflow.grant(
        application=granted, actor=Actor.of(personas["officer_ht"]), amount_eur=Decimal(1500)
    )
    plan = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    office = client_for("officer_ht")
    office.cookies["django_language"] = language
    page = office.get(reverse("mobility:application_detail", args=[plan.pk])).content.decode()
    budget = page.split("data-budget")[1].split("</dl>")[0]
    for word in words:
        assert word in budget
    assert "10\u202f000" in budget or "10,000" in budget
    assert "1\u202f500" in budget or "1,500" in budget
    assert "8\u202f500" in budget or "8,500" in budget
    # The applicant sees no budget.
    mine = client_for("librarian").get(reverse("mobility:application_detail", args=[plan.pk]))
    assert "data-budget" not in mine.content.decode()
