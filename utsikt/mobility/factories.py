"""Applications in any state, for tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.text import slugify

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.gazetteer import find_places
from utsikt.grants.vocabulary import Activity
from utsikt.mobility.models import Application, Status

PORTO = {"name": "Universidade do Porto", "city": "Porto", "country": "PT", "kind": "university"}


def host(*, name: str, city: str, country: str, kind: str = "university") -> HostOrganisation:
    """A host organisation in a gazetteer city, created once by name.

    An institution the catalogue already has, under its English or its own name ("University
    of Porto" is "Universidade do Porto"), is that host: one record per real institution.
    """
    known = HostOrganisation.objects.filter(
        Q(name__iexact=name) | Q(local_name__iexact=name), country_id=country
    ).first()
    if known is not None:
        return known
    place = find_places(city, country).first()
    found, _created = HostOrganisation.objects.get_or_create(
        slug=slugify(name)[:120],
        defaults={"name": name, "kind": kind, "country_id": country, "place": place},
    )
    return found


def application(
    *,
    applicant: User,
    status: str = Status.DRAFT,
    hosts: list[HostOrganisation] | None = None,
    **fields: Any,
) -> Application:
    """A complete plan (a job shadowing in Porto in May by default) in the given state."""
    values: dict[str, Any] = {
        "department_id": applicant.department_id,
        "call_year": 2026,
        "activity": Activity.JOB_SHADOWING,
        "start": datetime.date(2027, 5, 3),
        "end": datetime.date(2027, 5, 7),
        "travel_mode": "train",
        "objectives": "Learn how the library runs its research data service.",
        "added_value": "We are starting the same service next year.",
        "activities": "Shadow the data librarians; take part in consultations.",
        "outcomes": "A plan for our own service, shared with colleagues.",
        "work_cover": "My colleague Anna covers the help desk.",
        "estimate": {"eligible": True, "total_eur": 1500},
        "status": status,
    }
    values.update(fields)
    made = Application.objects.create(applicant=applicant, **values)
    made.hosts.set(hosts if hosts is not None else [host(**PORTO)])
    return made


def balanced_ledger(
    plan: Application,
    *,
    finance: User,
    officer: User,
    grant_eur: Decimal = Decimal(1500),
    cost_sek: Decimal = Decimal("14250.50"),
    rate: Decimal = Decimal("11.4520"),
) -> None:
    """The money of a mobility back home, recorded so that its ledger balances (rows only,
    no events: what the write functions in mobility.money record is tested there)."""
    from utsikt.mobility.models import ActualCost, Allocation, Reimbursement
    from utsikt.mobility.money import in_sek

    if not Allocation.objects.filter(application=plan).exists():
        Allocation.objects.create(
            application=plan, amount_eur=grant_eur, estimate_eur=grant_eur, allocated_by=officer
        )
    ActualCost.objects.update_or_create(
        application=plan, defaults={"amount_sek": cost_sek, "recorded_by": finance}
    )
    day = (plan.end or datetime.date(2027, 5, 7)) + datetime.timedelta(days=20)
    Reimbursement.objects.update_or_create(
        application=plan,
        defaults={
            "amount_eur": grant_eur,
            "rate": rate,
            "rate_date": day,
            "amount_sek": in_sek(grant_eur, rate),
            "paid_on": day,
            "recorded_by": officer,
        },
    )
