"""The money: distance, travel band, Erasmus+ grant and the department's cost. Pure functions.

Money is `Decimal` and each amount is rounded once, to whole euros or whole kronor, at the end
of its own calculation; totals are sums of rounded parts, as the programme and a travel claim
show them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from utsikt.grants.values import (
    AllowanceRules,
    Band,
    DepartmentCost,
    EuroRate,
    Grant,
    PerDiemRate,
    Point,
    Rates,
    Rule,
    Trip,
)

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG); the EU calculator's formula is not public
ONE = Decimal(1)
TENTH = Decimal("0.1")


def whole(amount: Decimal) -> int:
    """Round half up to a whole unit: the one rounding each amount gets."""
    # As quantize(ONE, rounding=ROUND_HALF_UP), a third of the time: it runs five times an estimate.
    return int(amount.to_integral_value(ROUND_HALF_UP))


def great_circle_km(a: Point, b: Point) -> Decimal:
    """Distance as the crow flies (haversine), to a tenth of a kilometre."""
    return _great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


# The rules and the grant both ask for a trip's distance, and trips mostly start from a few
# home towns: remembering the last pairs spares the trigonometry and the rounding.
@functools.lru_cache(maxsize=1 << 16)
def _great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> Decimal:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(repr(km)).quantize(TENTH, rounding=ROUND_HALF_UP)


def band_for(km: Decimal, bands: Sequence[Band]) -> Band:
    """The band a one-way distance falls in; the bands cover every distance from 0 km."""
    # Remembered per distance for these bands: the rules and the grant both ask, and a
    # comparison of a Decimal with an int costs more than the look-up.
    known = remembered_for(bands)
    band = known.get(km)
    if band is None:
        for band in bands:
            if band.contains(km):
                break
        else:
            raise ValueError(f"no distance band covers {km} km")
        if len(known) >= _MOST_KNOWN:
            known.clear()
        known[km] = band
    return band


# Answers remembered per object of the rates (which are frozen): the object is kept with its
# answers, so that its id cannot name another object while they are remembered.
_KNOWN: dict[int, tuple[object, dict[Any, Any]]] = {}
_MOST_KNOWN = 1 << 16  # answers per object: a bound on memory, not a policy


def remembered_for(owner: object) -> dict[Any, Any]:
    """A dict of answers that depend only on `owner` (frozen) and the key they are kept by."""
    entry = _KNOWN.get(id(owner))
    if entry is None or entry[0] is not owner:
        if len(_KNOWN) >= 64:
            _KNOWN.clear()
        entry = _KNOWN[id(owner)] = (owner, {})
    return entry[1]


def funded_travel_days(trip: Trip, rates: Rates) -> int:
    """The declared travel days, up to what standard or green travel funds."""
    standard, green = rates.travel_days.value
    return min(trip.declared_travel_days, green if trip.green_travel else standard)


def daily_rate_for(trip: Trip, rates: Rates) -> Rule[int] | None:
    """The daily rate of the receiving country's group, with its source; None without one."""
    country = rates.countries.get(trip.destination.place.country)
    group = country.group.value if country is not None else None
    return rates.daily_rates.get(group) if group is not None else None


def daily_rate_eur(trip: Trip, rates: Rates) -> int:
    """Individual support per day for the receiving country's group (0 without a group)."""
    rate = daily_rate_for(trip, rates)
    return rate.value if rate is not None else 0


def grant(trip: Trip, rates: Rates) -> Grant:
    """Travel support for the band plus individual support per funded day, in whole euros."""
    distance = great_circle_km(trip.origin, trip.destination.place)
    band = band_for(distance, rates.bands)
    travel = band.amount(trip.green_travel)
    declared = trip.declared_travel_days
    travel_days = funded_travel_days(trip, rates)
    days = trip.activity_days
    funded = days + travel_days
    rate = daily_rate_eur(trip, rates)
    # Days from `reduced_from_day` on are paid at the reduced share; whether travel days count
    # towards that day is a rule of the call year.
    counted = funded if rates.reduction_counts_travel_days else days
    full = min(counted, rates.reduced_from_day.value - 1)
    reduced = counted - full
    if not rates.reduction_counts_travel_days:
        full += travel_days
    support = _support(rate, full, reduced, rates.reduced_share.value)
    inclusion = whole(trip.inclusion_costs_eur) if trip.inclusion_costs_eur else 0
    # In the order of Grant's fields: built at once, as a tuple.
    return Grant(
        distance,
        band,
        travel,
        days,
        declared,
        travel_days,
        funded,
        rate,
        full,
        reduced,
        support,
        inclusion,
        travel + support + inclusion,
    )


@functools.lru_cache(maxsize=4096)
def _support(rate: int, full: int, reduced: int, share: Decimal) -> int:
    # A few rates, day counts and shares: remembered rather than multiplied in Decimal.
    return whole(Decimal(rate) * full + Decimal(rate) * share * reduced)


def _for_year[T: (PerDiemRate, AllowanceRules)](rows: Sequence[T], year: int) -> T | None:
    """The newest row not after the year; failing that the oldest (rows are newest first)."""
    for row in rows:
        if row.year <= year:
            return row
    return rows[-1] if rows else None


def per_diem_for(trip: Trip, rates: Rates) -> PerDiemRate | None:
    """Skatteverket's normalbelopp for the destination in the trip's tax year, or the nearest."""
    return _for_year(rates.per_diems.get(trip.destination.place.country, ()), trip.start.year)


def allowance_rules_for(trip: Trip, rates: Rates) -> AllowanceRules | None:
    return _for_year(rates.allowance_rules, trip.start.year)


def euro_rate_for(trip: Trip, rates: Rates) -> EuroRate:
    """The newest exchange rate set on or before the day of the estimate, else the oldest."""
    for euro in rates.euro_rates:
        if euro.date <= trip.today:
            return euro
    return rates.euro_rates[-1]


def fee_in_sek(trip: Trip, euro: EuroRate) -> int | None:
    """The registration fee in kronor; None without a fee or in a currency with no rate.

    Only euros have a rate in the reference data; kronor need none.
    """
    if not trip.fee:
        return None
    if trip.fee_currency == "SEK":
        return whole(trip.fee)
    if trip.fee_currency == "EUR":
        return whole(trip.fee * euro.eur_sek)
    return None


def department_cost(trip: Trip, rates: Rates, paid: Grant, eligible: bool) -> DepartmentCost:
    """What the department pays in kronor, what Erasmus+ reimburses, and the net cost.

    Travel and accommodation are the traveller's figures when given. Otherwise travel is
    estimated at the programme's unit cost for the band, and accommodation at Skatteverket's
    night allowance; both are marked as estimates.
    """
    euro = euro_rate_for(trip, rates)
    journey_days = trip.activity_days + trip.declared_travel_days
    nights = max(journey_days - 1, 0)
    half_days = min(journey_days, 2)  # the day you leave and the day you come home
    full_days = journey_days - half_days
    known = remembered_for(rates)

    key: tuple[Any, ...]
    travel: int
    if trip.travel_sek is not None:
        travel = whole(trip.travel_sek)
    else:
        unit_cost = paid.band.amount(trip.green_travel)
        key = ("travel", unit_cost, euro.eur_sek)
        travel = known.get(key)  # type: ignore[assignment]
        if travel is None:
            travel = known[key] = whole(unit_cost * euro.eur_sek)

    # The allowance depends on the country, the tax year, the days and the meals only.
    key = ("allowance", trip.destination.place.country, trip.start.year, journey_days)
    key += (trip.meals_provided,)
    allowance_part = known.get(key)
    if allowance_part is None:
        if len(known) >= _MOST_KNOWN:
            known.clear()
        allowance_part = known[key] = _allowance(trip, rates, full_days, half_days, nights)
    per_diem, per_diem_sek, night_sek = allowance_part

    missing: tuple[str, ...] = ()
    if per_diem_sek is None:
        missing = ("per_diem",)
    accommodation: int | None
    if trip.accommodation_sek is not None:
        accommodation = whole(trip.accommodation_sek)
    else:
        accommodation = night_sek
        if night_sek is None:
            missing += ("accommodation",)

    fee_sek = fee_in_sek(trip, euro) if trip.fee else None
    if trip.fee and fee_sek is None:
        missing += ("fee",)

    cost = travel + (accommodation or 0) + (per_diem_sek or 0) + (fee_sek or 0)
    if eligible:
        key = ("reimbursed", paid.total_eur, euro.eur_sek)
        reimbursed = known.get(key)
        if reimbursed is None:
            reimbursed = known[key] = whole(paid.total_eur * euro.eur_sek)
    else:
        reimbursed = 0
    return DepartmentCost(
        eur_sek=euro.eur_sek,
        eur_sek_date=euro.date,
        travel_sek=travel,
        travel_estimated=trip.travel_sek is None,
        nights=nights,
        accommodation_sek=accommodation,
        accommodation_estimated=trip.accommodation_sek is None,
        per_diem_rate_sek=per_diem.sek if per_diem is not None else None,
        per_diem_year=per_diem.year if per_diem is not None else None,
        per_diem_full_days=full_days,
        per_diem_half_days=half_days,
        meals_provided=trip.meals_provided,
        per_diem_sek=per_diem_sek,
        cost_sek=cost,
        grant_sek=reimbursed,
        net_sek=cost - reimbursed,
        missing=missing,
        fee_sek=fee_sek,
        fee=trip.fee or None,
        fee_currency=trip.fee_currency,
    )


def _allowance(
    trip: Trip, rates: Rates, full_days: int, half_days: int, nights: int
) -> tuple[PerDiemRate | None, int | None, int | None]:
    """The normalbelopp, the per diem for the days and meals, and the nights' allowance."""
    per_diem = per_diem_for(trip, rates)
    allowance = allowance_rules_for(trip, rates)
    if per_diem is None or allowance is None:
        return per_diem, None, None
    days = full_days + half_days * allowance.half_day_share
    kept = ONE - allowance.reductions.get(trip.meals_provided, Decimal(0))
    return (
        per_diem,
        whole(per_diem.sek * days * kept),
        whole(per_diem.sek * allowance.night_share * nights),
    )
