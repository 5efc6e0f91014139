"""The ledger per department: for each mobility the Erasmus+ grant, the actual cost and the
net; in total what is expected, what was reimbursed and when. Sums are made in the database
(stored öre and cents, never floats), so the page issues the same queries for any number of
mobilities."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import Coalesce

from utsikt.accounts.models import OrgUnit
from utsikt.core.language import in_language
from utsikt.mobility.models import Application, ApplicationQuerySet

MONEY = DecimalField(max_digits=14, decimal_places=2)
# A mobility enters the ledger once the office granted it.
IN_LEDGER = Application.GRANTED_OR_LATER


def grant_eur() -> Any:
    """The grant that stands: recomputed from the actual dates, else the allocation."""
    return Coalesce(
        F("homecoming__grant_after_dates_eur"), F("allocation__amount_eur"), output_field=MONEY
    )


def net_sek() -> Any:
    """Reimbursed less the actual cost, in SEK; empty until both are recorded."""
    return ExpressionWrapper(
        F("reimbursement__amount_sek") - F("actual_cost__amount_sek"), output_field=MONEY
    )


def in_ledger(applications: ApplicationQuerySet) -> ApplicationQuerySet:
    return applications.filter(status__in=IN_LEDGER)


def rows(applications: ApplicationQuerySet) -> ApplicationQuerySet:
    """The ledger's rows with their money (`grant_eur`, `net_sek`) and what they show."""
    return applications.select_related(
        "applicant", "department", "allocation", "homecoming", "actual_cost", "reimbursement"
    ).annotate(grant_eur=grant_eur(), net_sek=net_sek())


@dataclass(frozen=True)
class Totals:
    """What a department (or all shown) expects, and what was reimbursed and when."""

    mobilities: int
    expected_eur: Decimal
    reimbursed_eur: Decimal
    reimbursed_sek: Decimal
    actual_sek: Decimal
    net_sek: Decimal
    outstanding_eur: Decimal
    last_paid: datetime.date | None


def _sums() -> dict[str, Any]:
    zero = Decimal(0)
    return {
        "mobilities": Count("pk"),
        "expected_eur": Coalesce(Sum(grant_eur()), zero, output_field=MONEY),
        "reimbursed_eur": Coalesce(Sum("reimbursement__amount_eur"), zero, output_field=MONEY),
        "reimbursed_sek": Coalesce(Sum("reimbursement__amount_sek"), zero, output_field=MONEY),
        "actual_sek": Coalesce(Sum("actual_cost__amount_sek"), zero, output_field=MONEY),
        # Net only where both sides are known, so that a missing cost is not a gain.
        "net_sek": Coalesce(
            Sum(
                net_sek(),
                filter=Q(reimbursement__isnull=False, actual_cost__isnull=False),
            ),
            zero,
            output_field=MONEY,
        ),
        "last_paid": Max("reimbursement__paid_on"),
    }


CENT = Decimal("0.01")


def _cents(value: Any) -> Decimal:
    """A sum to the öre or cent. PostgreSQL adds decimals exactly; SQLite adds the stored
    values as floating point (62421945.0700001), a residue far below half an öre at any
    number of mobilities, which rounding to the öre removes."""
    return Decimal(value).quantize(CENT)


def _totals(values: dict[str, Any]) -> Totals:
    expected, reimbursed = _cents(values["expected_eur"]), _cents(values["reimbursed_eur"])
    return Totals(
        mobilities=values["mobilities"],
        expected_eur=expected,
        reimbursed_eur=reimbursed,
        reimbursed_sek=_cents(values["reimbursed_sek"]),
        actual_sek=_cents(values["actual_sek"]),
        net_sek=_cents(values["net_sek"]),
        outstanding_eur=expected - reimbursed,
        last_paid=values["last_paid"],
    )


def totals(applications: ApplicationQuerySet) -> Totals:
    """The totals of these mobilities, in one query."""
    return _totals(in_ledger(applications).order_by().aggregate(**_sums()))


def summed(parts: list[tuple[str, Totals]]) -> Totals:
    """The totals of the departments' totals: a sum over departments, not over mobilities,
    so the ledger page reads its mobilities once."""
    paid = [part.last_paid for _name, part in parts if part.last_paid is not None]
    zero = Decimal(0)
    return Totals(
        mobilities=sum(part.mobilities for _name, part in parts),
        expected_eur=sum((part.expected_eur for _name, part in parts), zero),
        reimbursed_eur=sum((part.reimbursed_eur for _name, part in parts), zero),
        reimbursed_sek=sum((part.reimbursed_sek for _name, part in parts), zero),
        actual_sek=sum((part.actual_sek for _name, part in parts), zero),
        net_sek=sum((part.net_sek for _name, part in parts), zero),
        outstanding_eur=sum((part.outstanding_eur for _name, part in parts), zero),
        last_paid=max(paid) if paid else None,
    )


def per_department(applications: ApplicationQuerySet) -> list[tuple[str, Totals]]:
    """The totals per department, in one aggregate query and one for the departments' names.

    Grouped by the department's id alone, so that the database streams the mobilities along
    the (department, status) index without joining each one to its department's row; the
    few names are read afterwards and the departments ordered by their Swedish name."""
    grouped = list(in_ledger(applications).order_by().values("department_id").annotate(**_sums()))
    names = {
        unit.pk: (unit.name_sv, unit.name_en)
        for unit in OrgUnit.objects.filter(
            pk__in=sorted(row["department_id"] for row in grouped)
        ).only("name_sv", "name_en")
    }
    found = sorted(
        (names.get(row["department_id"], ("", "")), row["department_id"], row) for row in grouped
    )
    return [(in_language(sv, en), _totals(dict(row))) for (sv, en), _pk, row in found]
