"""The faculty's Erasmus+ budget per call year: the allocation the office sets, and what is
allocated, committed, spent and remaining, with a forecast of the plans not yet granted.

- allocated: every grant the office allocated (granted and onward; ended ones out);
- committed: of those, the ones whose Mobility Agreement is signed and not yet reimbursed;
- spent: what was reimbursed to the departments;
- forecast: the estimates of applications waiting for the manager or the office;
- remaining: the allocation less what is allocated; after the forecast, less that too.

All in one grouped query per page, whatever the number of mobilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from utsikt.core.language import in_language
from utsikt.mobility.models import Application, ApplicationQuerySet, FacultyBudget, Status
from utsikt.reporting.ledger import MONEY, grant_eur

# Warn when less than this share of the allocation remains after the forecast.
WARNING_SHARE = Decimal("0.10")
SIGNED_NOT_PAID = (Status.SIGNED, Status.TRAVELLING, Status.COMPLETED)
WAITING = (Status.SUBMITTED, Status.MANAGER_APPROVED)


def _sums() -> dict[str, Any]:
    zero = Decimal(0)
    granted = Q(status__in=Application.GRANTED_OR_LATER)
    estimate = Cast(
        KT("estimate__total_eur"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    return {
        "allocated": Coalesce(Sum(grant_eur(), filter=granted), zero, output_field=MONEY),
        "committed": Coalesce(
            Sum(grant_eur(), filter=Q(status__in=SIGNED_NOT_PAID, reimbursement__isnull=True)),
            zero,
            output_field=MONEY,
        ),
        "spent": Coalesce(Sum("reimbursement__amount_eur"), zero, output_field=MONEY),
        "forecast": Coalesce(Sum(estimate, filter=Q(status__in=WAITING)), zero, output_field=MONEY),
    }


@dataclass(frozen=True)
class Standing:
    """Where one faculty (or one department's share of it) stands in one call year."""

    name: str
    call_year: int
    allocation_eur: Decimal | None
    allocated_eur: Decimal
    committed_eur: Decimal
    spent_eur: Decimal
    forecast_eur: Decimal

    @property
    def remaining_eur(self) -> Decimal | None:
        if self.allocation_eur is None:
            return None
        return self.allocation_eur - self.allocated_eur

    @property
    def remaining_after_forecast_eur(self) -> Decimal | None:
        remaining = self.remaining_eur
        return None if remaining is None else remaining - self.forecast_eur

    @property
    def share(self) -> Decimal | None:
        """The share of the faculty's allocation this has taken (a department's share)."""
        if not self.allocation_eur:
            return None
        return (self.allocated_eur / self.allocation_eur * 100).quantize(Decimal("0.1"))

    @property
    def warning(self) -> str:
        """ "over" when the allocated exceed it, "soon" when the forecast would (or nearly)."""
        after = self.remaining_after_forecast_eur
        if after is None or self.allocation_eur is None:
            return ""
        if self.remaining_eur is not None and self.remaining_eur < 0:
            return "over"
        if after < self.allocation_eur * WARNING_SHARE:
            return "soon"
        return ""


def faculties(
    applications: ApplicationQuerySet, faculty_ids: frozenset[int], call_year: int | None
) -> list[Standing]:
    """Each faculty's standing per call year that has a budget or a mobility."""
    budgets = FacultyBudget.objects.filter(faculty__in=sorted(faculty_ids)).select_related(
        "faculty"
    )
    if call_year:
        budgets = budgets.filter(call_year=call_year)
        applications = applications.filter(call_year=call_year)
    grouped: dict[tuple[int | None, int], dict[str, Any]] = {
        (row["department__parent"], row["call_year"]): dict(row)
        for row in applications.order_by()
        .values(
            "department__parent",
            "department__parent__name_sv",
            "department__parent__name_en",
            "call_year",
        )
        .annotate(**_sums())
    }
    allocations: dict[tuple[int | None, int], FacultyBudget] = {
        (b.faculty_id, b.call_year): b for b in budgets
    }
    found = []
    for key in sorted(set(grouped) | set(allocations), key=lambda k: (-k[1], k[0] or 0)):
        row: dict[str, Any] = grouped.get(key, {})
        budget = allocations.get(key)
        name = (
            budget.faculty.name
            if budget is not None
            else in_language(
                row.get("department__parent__name_sv", ""),
                row.get("department__parent__name_en", ""),
            )
        )
        found.append(_standing(name, key[1], budget.amount_eur if budget else None, row))
    return found


def _standing(
    name: str, call_year: int, allocation: Decimal | None, row: dict[str, Any]
) -> Standing:
    zero = Decimal(0)
    return Standing(
        name=name,
        call_year=call_year,
        allocation_eur=Decimal(allocation) if allocation is not None else None,
        allocated_eur=Decimal(row.get("allocated", zero)),
        committed_eur=Decimal(row.get("committed", zero)),
        spent_eur=Decimal(row.get("spent", zero)),
        forecast_eur=Decimal(row.get("forecast", zero)),
    )


def departments(applications: ApplicationQuerySet, call_year: int | None) -> list[Standing]:
    """Each department's share of its faculty's allocation per call year."""
    if call_year:
        applications = applications.filter(call_year=call_year)
    rows = list(
        applications.order_by()
        .values(
            "department__name_sv",
            "department__name_en",
            "department__parent",
            "call_year",
        )
        .annotate(**_sums())
        .order_by("-call_year", "department__name_sv")
    )
    budgets: dict[tuple[int | None, int], Decimal] = {
        (b.faculty_id, b.call_year): b.amount_eur
        for b in FacultyBudget.objects.filter(
            faculty__in=sorted(
                {row["department__parent"] for row in rows if row["department__parent"]}
            )
        )
    }
    return [
        _standing(
            in_language(row["department__name_sv"], row["department__name_en"]),
            row["call_year"],
            budgets.get((row["department__parent"], row["call_year"])),
            dict(row),
        )
        for row in rows
    ]
