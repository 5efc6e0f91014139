"""The ledger and the budget, to the öre and the cent, from "back home" to "settled"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from utsikt.accounts.models import OrgUnit, User
from utsikt.core.actors import Actor
from utsikt.mobility import money, workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Allocation, Application, FacultyBudget, Status
from utsikt.reporting import budget, ledger
from utsikt.reporting.access import scope_of

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]
PAID = datetime.date(2027, 6, 12)


def _granted(personas: dict[str, User], status: str, grant: int, **fields: Any) -> Application:
    plan = application(applicant=personas["librarian"], status=status, **fields)
    Allocation.objects.create(
        application=plan,
        amount_eur=Decimal(grant),
        estimate_eur=Decimal(grant),
        allocated_by=personas["officer_ht"],
    )
    return plan


@pytest.fixture
def books(personas: dict[str, User]) -> dict[str, Application]:
    """Three granted mobilities of the HT libraries, one waiting, with known money.

    A: back home, cost 14 250,50 kr, reimbursed 1 500 € at 11,4525 (17 178,75 kr).
    B: back home, cost 9 000,25 kr, not yet reimbursed. C: granted 800 €, nothing else.
    W: waiting for the office, estimated at 1 100 €.
    """
    finance = Actor.of(personas["finance_ht"])
    officer = Actor.of(personas["officer_ht"])
    a = _granted(personas, Status.COMPLETED, 1500)
    b = _granted(personas, Status.COMPLETED, 1200)
    c = _granted(personas, Status.GRANTED, 800)
    waiting = application(
        applicant=personas["librarian"],
        status=Status.MANAGER_APPROVED,
        estimate={"eligible": True, "total_eur": 1100},
    )
    money.record_actual_cost(application=a, actor=finance, amount_sek=Decimal("14250.50"))
    money.record_actual_cost(application=b, actor=finance, amount_sek=Decimal("9000.25"))
    money.record_reimbursement(
        application=a,
        actor=officer,
        amount_eur=Decimal(1500),
        rate=Decimal("11.4525"),
        rate_date=datetime.date(2027, 6, 10),
        paid_on=PAID,
    )
    return {"a": a, "b": b, "c": c, "waiting": waiting}


def test_the_ledger_totals_what_is_expected_reimbursed_and_when_to_the_ore(
    books: dict[str, Application],
) -> None:
    totals = ledger.totals(Application.objects.all())
    assert totals.mobilities == 3
    assert totals.expected_eur == Decimal("3500.00")
    assert totals.reimbursed_eur == Decimal("1500.00")
    assert totals.reimbursed_sek == Decimal("17178.75")
    assert totals.actual_sek == Decimal("23250.75")
    # Net only where both sides are known: A's 17 178,75 − 14 250,50.
    assert totals.net_sek == Decimal("2928.25")
    assert totals.outstanding_eur == Decimal("2000.00")
    assert totals.last_paid == PAID


def test_a_mobility_goes_from_back_home_to_settled_and_the_ledger_follows(
    personas: dict[str, User], books: dict[str, Application]
) -> None:
    b = books["b"]
    finance = Actor.of(personas["finance_ht"])
    after = datetime.date(2027, 6, 20)
    with pytest.raises(workflow.WorkflowError):
        workflow.settle(application=b, actor=finance, today=after)
    money.record_reimbursement(
        application=b,
        actor=Actor.of(personas["officer_ht"]),
        amount_eur=Decimal(1200),
        rate=Decimal("11.3977"),
        rate_date=datetime.date(2027, 6, 15),
        paid_on=datetime.date(2027, 6, 16),
    )
    workflow.settle(application=b, actor=finance, today=after)
    assert b.status == Status.SETTLED
    totals = ledger.totals(Application.objects.all())
    # 1 200 × 11,3977 = 13 677,24 kr; B's net 13 677,24 − 9 000,25 = 4 676,99.
    assert totals.reimbursed_sek == Decimal("17178.75") + Decimal("13677.24")
    assert totals.net_sek == Decimal("2928.25") + Decimal("4676.99")
    assert totals.last_paid == datetime.date(2027, 6, 16)


def test_the_totals_per_department_are_each_departments_own_and_add_up_to_the_whole(
    org: dict[str, OrgUnit], personas: dict[str, User], books: dict[str, Application]
) -> None:
    sol = _granted(personas, Status.GRANTED, 700, department_id=org["sol"].pk)
    Allocation.objects.filter(application=sol).update(amount_eur=Decimal(650))
    everything = Application.objects.all()
    parts = ledger.per_department(everything)
    # Ordered by the departments' Swedish names: "HT-biblioteken" before "Språk- och …".
    assert [name for name, _sums in parts] == [org["ht-libraries"].name, org["sol"].name]
    libraries, languages = (sums for _name, sums in parts)
    assert libraries.mobilities == 3 and libraries.expected_eur == Decimal("3500.00")
    assert libraries.net_sek == Decimal("2928.25") and libraries.last_paid == PAID
    assert languages.mobilities == 1 and languages.expected_eur == Decimal("650.00")
    assert languages.reimbursed_sek == Decimal(0) and languages.last_paid is None
    assert ledger.summed(parts) == ledger.totals(everything)


def test_finance_sees_the_ledger_page_with_rows_and_totals(
    books: dict[str, Application], client_for: Clients
) -> None:
    page = client_for("finance_ht").get(reverse("reporting:ledger"))
    assert page.status_code == 200
    assert page.context["totals"].expected_eur == Decimal("3500.00")
    assert len(page.context["page"].object_list) == 3
    assert "17\u202f178,75\u202fkr" in page.content.decode()


def test_the_ledger_export_streams_every_row_with_its_money(
    books: dict[str, Application], client_for: Clients
) -> None:
    response = client_for("officer_ht").get(reverse("reporting:ledger_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = text.strip().splitlines()
    assert len(lines) == 4
    assert "14250.50" in text and "17178.75" in text and "2928.25" in text


def test_the_budget_shows_allocated_committed_spent_remaining_and_warns_before_it_runs_out(
    personas: dict[str, User], books: dict[str, Application], org: dict[str, OrgUnit]
) -> None:
    faculty = org["ht"]
    money.set_faculty_budget(
        faculty=faculty,
        call_year=2026,
        amount_eur=Decimal(5000),
        actor=Actor.of(personas["officer_ht"]),
    )
    scope = scope_of(personas["officer_ht"])
    [standing] = budget.faculties(scope.applications(), frozenset({faculty.pk}), 2026)
    assert standing.allocation_eur == Decimal(5000)
    assert standing.allocated_eur == Decimal(3500)
    assert standing.committed_eur == Decimal(1200)  # B: signed and back, not yet reimbursed
    assert standing.spent_eur == Decimal("1500.00")
    assert standing.remaining_eur == Decimal(1500)
    assert standing.forecast_eur == Decimal(1100)
    assert standing.remaining_after_forecast_eur == Decimal(400)
    assert standing.warning == "soon"  # less than a tenth of 5 000 € after the forecast


def test_only_the_faculty_office_sets_its_budget(
    personas: dict[str, User], org: dict[str, OrgUnit]
) -> None:
    with pytest.raises(workflow.NotAllowed):
        money.set_faculty_budget(
            faculty=org["ht"],
            call_year=2026,
            amount_eur=Decimal(1),
            actor=Actor.of(personas["finance_ht"]),
        )
    assert not FacultyBudget.objects.exists()


def test_a_manager_sees_the_department_share_and_no_faculty_form(
    books: dict[str, Application], client_for: Clients
) -> None:
    page = client_for("head_libraries").get(reverse("reporting:budget"))
    assert page.status_code == 200
    assert page.context["form"] is None and page.context["faculties"] == []
    [share] = page.context["departments"]
    assert share.allocated_eur == Decimal(3500)
    refused = client_for("head_libraries").post(
        reverse("reporting:budget"), {"faculty": 1, "call_year": 2026, "amount_eur": 1}
    )
    assert refused.status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "route", ["reporting:ledger", "reporting:budget", "reporting:dashboard", "reporting:late"]
)
def test_the_reports_issue_the_same_queries_for_few_and_many_mobilities(
    personas: dict[str, User], books: dict[str, Application], client_for: Clients, route: str
) -> None:
    client = client_for("officer_ht")
    url = reverse(route)
    finance = Actor.of(personas["finance_ht"])

    def back_late(count: int) -> None:
        """Mobilities back home since September 2026, with a cost: late after the trip."""
        for index in range(count):
            plan = _granted(
                personas,
                Status.COMPLETED,
                1000 + index,
                end=datetime.date(2026, 9, 1),
                start=datetime.date(2026, 8, 28),
            )
            money.record_actual_cost(application=plan, actor=finance, amount_sek=Decimal(index))

    back_late(1)
    client.get(url)  # the first request warms caches (rates, the revision, the person)
    few = _queries(client, url)
    back_late(40)
    client.get(url)  # the writes renewed the workflow revision: the person is read again
    assert _queries(client, url) == few


def test_the_dashboard_keeps_its_figures_a_while_per_scope_filters_and_language(
    personas: dict[str, User], books: dict[str, Application], client_for: Clients, settings: Any
) -> None:
    settings.UTSIKT_REPORT_CACHE_SECONDS = 60
    client = client_for("officer_ht")
    url = reverse("reporting:dashboard")
    client.get(url)
    cached = _queries(client, url)
    settings.UTSIKT_REPORT_CACHE_SECONDS = 0
    fresh = _queries(client, url)
    assert cached < fresh  # the aggregates are not asked again
    settings.UTSIKT_REPORT_CACHE_SECONDS = 60
    assert _queries(client, url + "?call_year=2026") > cached  # other filters, other figures
