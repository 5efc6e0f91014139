"""One estimate from start to end: the verdict, the grant, the department's cost, the flags.

`estimate(trip, rates)` is pure; `run(data)` is what the `estimate` command, `POST
/api/estimate` and the "what can I get?" page call with the same JSON, so that all three
agree on every trip. `EstimateJSON` is that JSON's shape, and the shape of the snapshot an
application keeps from its submission.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, NotRequired, TypedDict

from utsikt.grants import calculation, eligibility
from utsikt.grants.values import ERROR, Estimate, EuroRate, Grant, Point, Rates, Trip

# What each flag in `unverified` stands for; the page explains them with their sources.
UNVERIFIED = (
    "eligibility",
    "country_group",
    "institution_exception",
    "distance_band",
    "daily_rate",
    "reduced_rate",
    "per_diem",
    "per_diem_rules",
    "exchange_rate",
)


def estimate(trip: Trip, rates: Rates) -> Estimate:
    """Check the trip and work out the money under the rates of its call year."""
    plan = calculation.plan_for(rates)
    # The rules and the money both need the distance and its band: looked up once.
    distance, band = plan.distance_and_band(trip.origin, trip.hosts[0].place)
    findings = eligibility.check_in(trip, plan, distance, band)
    paid = calculation.grant_in(trip, plan, distance, band)
    # check() puts errors first: as is_eligible(findings), without reading every finding.
    eligible = not findings or findings[0].severity != ERROR
    euro = plan.euro_rate(trip.today)
    cost = calculation.department_cost_in(trip, plan, paid, eligible, euro)
    return Estimate(trip, tuple(findings), paid, cost, _unverified(trip, plan, paid, euro))


def _unverified(trip: Trip, plan: calculation.Plan, paid: Grant, euro: EuroRate) -> tuple[str, ...]:
    """The values this estimate rests on that no primary source confirmed for the year."""
    # The flags depend on the country, the tax year, whether the band and the exchange rate
    # are verified and whether any day is reduced: remembered by those for the rates.
    key = (
        "unverified",
        trip.hosts[0].place.country,
        trip.start.year,
        paid.band.verified,
        paid.reduced_rate_days > 0,
        euro.verified,
    )
    flags: tuple[str, ...] | None = plan.known.get(key)
    if flags is None:
        flags = plan.remember(key, _flags(trip, plan.rates, paid))
    return flags


def _flags(trip: Trip, rates: Rates, paid: Grant) -> tuple[str, ...]:
    flags: list[str] = []
    country = rates.countries.get(trip.destination.place.country)
    if country is not None:
        if not country.eligible.verified:
            flags.append("eligibility")
        if country.group.value is not None and not country.group.verified:
            flags.append("country_group")
        exception = country.exception_min_working_days
        if not country.eligible.value and exception.value is not None and not exception.verified:
            flags.append("institution_exception")
    if not paid.band.verified:
        flags.append("distance_band")
    rate = calculation.daily_rate_for(trip, rates)
    if rate is not None and not rate.verified:
        flags.append("daily_rate")
    if paid.reduced_rate_days > 0 and not rates.reduced_share.verified:
        flags.append("reduced_rate")
    per_diem = calculation.per_diem_for(trip, rates)
    if per_diem is not None and (not per_diem.verified or per_diem.year != trip.start.year):
        flags.append("per_diem")
    allowance = calculation.allowance_rules_for(trip, rates)
    if allowance is not None and (not allowance.verified or allowance.year != trip.start.year):
        flags.append("per_diem_rules")
    if not calculation.euro_rate_for(trip, rates).verified:
        flags.append("exchange_rate")
    return tuple(flags)


class PlaceJSON(TypedDict):
    city: str
    city_sv: str
    country: str


class FindingJSON(TypedDict):
    code: str
    severity: str
    message_sv: str
    message_en: str


class DepartmentCostJSON(TypedDict):
    currency: str
    eur_sek: str
    eur_sek_date: str
    travel_sek: int
    travel_estimated: bool
    nights: int
    accommodation_sek: int | None
    accommodation_estimated: bool
    per_diem_rate_sek: int | None
    per_diem_year: int | None
    per_diem_full_days: int
    per_diem_half_days: int
    meals_provided: str
    per_diem_sek: int | None
    cost_sek: int
    grant_sek: int
    net_sek: int
    complete: bool
    missing: list[str]
    # Snapshots from before fees were counted lack these.
    fee_sek: NotRequired[int | None]
    fee: NotRequired[str | None]
    fee_currency: NotRequired[str]


class EstimateJSON(TypedDict):
    """An estimate as the API answers it and as an application keeps it from submission."""

    eligible: bool
    findings: list[FindingJSON]
    call_year: int
    origin: PlaceJSON
    destination: PlaceJSON
    distance_km: float
    band: str
    green_travel: bool
    travel_eur: int
    activity_days: int
    travel_days: int
    funded_travel_days: int
    funded_days: int
    daily_rate_eur: int
    full_rate_days: int
    reduced_rate_days: int
    individual_support_eur: int
    inclusion_eur: int
    total_eur: int
    unverified: list[str]
    department_cost: DepartmentCostJSON


def _place(point: Point) -> PlaceJSON:
    return {"city": point.city, "city_sv": point.city_sv or point.city, "country": point.country}


def full_snapshot(snapshot: Mapping[str, Any]) -> EstimateJSON | None:
    """A saved snapshot as an estimate, or None when it lacks parts (some older ones hold
    only a total): such a snapshot can show its total but not be explained."""
    cost = snapshot.get("department_cost")
    if (
        EstimateJSON.__required_keys__ <= snapshot.keys()
        and isinstance(cost, Mapping)
        and DepartmentCostJSON.__required_keys__ <= cost.keys()
    ):
        return snapshot  # type: ignore[return-value]
    return None


def as_json(result: Estimate) -> EstimateJSON:
    """The estimate in the API's shape: money in whole euros or kronor, dates as ISO text."""
    grant, cost = result.grant, result.department
    return {
        "eligible": result.eligible,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message_sv": f.message_sv,
                "message_en": f.message_en,
            }
            for f in result.findings
        ],
        "call_year": result.trip.call_year,
        "origin": _place(result.trip.origin),
        "destination": _place(result.trip.destination.place),
        "distance_km": float(grant.distance_km),
        "band": grant.band.label,
        "green_travel": result.trip.green_travel,
        "travel_eur": grant.travel_eur,
        "activity_days": grant.activity_days,
        "travel_days": grant.declared_travel_days,
        "funded_travel_days": grant.funded_travel_days,
        "funded_days": grant.funded_days,
        "daily_rate_eur": grant.daily_rate_eur,
        "full_rate_days": grant.full_rate_days,
        "reduced_rate_days": grant.reduced_rate_days,
        "individual_support_eur": grant.individual_support_eur,
        "inclusion_eur": grant.inclusion_eur,
        "total_eur": grant.total_eur,
        "unverified": list(result.unverified),
        "department_cost": {
            "currency": "SEK",
            "eur_sek": str(cost.eur_sek),
            "eur_sek_date": cost.eur_sek_date.isoformat(),
            "travel_sek": cost.travel_sek,
            "travel_estimated": cost.travel_estimated,
            "nights": cost.nights,
            "accommodation_sek": cost.accommodation_sek,
            "accommodation_estimated": cost.accommodation_estimated,
            "per_diem_rate_sek": cost.per_diem_rate_sek,
            "per_diem_year": cost.per_diem_year,
            "per_diem_full_days": cost.per_diem_full_days,
            "per_diem_half_days": cost.per_diem_half_days,
            "meals_provided": cost.meals_provided,
            "per_diem_sek": cost.per_diem_sek,
            "cost_sek": cost.cost_sek,
            "grant_sek": cost.grant_sek,
            "net_sek": cost.net_sek,
            "complete": cost.complete,
            "missing": list(cost.missing),
            "fee_sek": cost.fee_sek,
            "fee": str(cost.fee) if cost.fee is not None else None,
            "fee_currency": cost.fee_currency,
        },
    }


def run(
    data: Any,
    today: datetime.date | None = None,
    rates_for: Callable[[int], Rates] | None = None,
) -> EstimateJSON:
    """Estimate the trip the JSON describes; raises trips.InvalidTrip for bad input."""
    from django.utils import timezone

    from utsikt.grants import rates, trips

    load = rates_for or rates.for_call_year
    trip = trips.parse(data, load, today or timezone.localdate())
    return as_json(estimate(trip, load(trip.call_year)))
