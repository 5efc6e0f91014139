"""The money: distance, travel band, Erasmus+ grant and the department's cost. Pure functions.

Money is `Decimal` and each amount is rounded once, to whole euros or whole kronor, at the end
of its own calculation; totals are sums of rounded parts, as the programme and a travel claim
show them.
"""

from __future__ import annotations

import datetime
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


class Plan:
    """A call year's rates in the plain values an estimate reads for every trip.

    Worked out once per `Rates` object (which is frozen) by `plan_for`, so that each trip
    looks a value up once instead of walking the rates (`rates.travel_days.value`, the country,
    its group, the group's rate) in every rule that needs it. Only plain reads and answers
    that depend on the rates alone: every figure is the one the rates give.
    """

    __slots__ = (
        "daily_rates",
        "decision_lead_days",
        "distances",
        "eligible_countries",
        "euro_by_day",
        "green_travel_days",
        "hosts_within_km",
        "institution_max_days",
        "job_shadowing_usual_days",
        "known",
        "minimum_days",
        "most_hosts",
        "programme_max_days",
        "project_end",
        "project_start",
        "rates",
        "reduced_from_day",
        "reduced_share",
        "reduction_counts_travel_days",
        "standard_travel_days",
    )

    def __init__(self, rates: Rates) -> None:
        self.rates = rates
        self.standard_travel_days, self.green_travel_days = rates.travel_days.value
        self.reduced_from_day = rates.reduced_from_day.value
        self.reduced_share = rates.reduced_share.value
        self.reduction_counts_travel_days = rates.reduction_counts_travel_days
        # The daily rate of each country's group (as `daily_rate_for`); a country missing
        # here has none.
        self.daily_rates: dict[str, Rule[int]] = {}
        for code, country in rates.countries.items():
            group = country.group.value
            rate = rates.daily_rates.get(group) if group is not None else None
            if rate is not None:
                self.daily_rates[code] = rate
        # The rules' limits. Where the programme and the university differ on the shortest
        # activity, the stricter applies.
        institution = rates.institution
        self.minimum_days = max(rates.programme_days.value[0], institution.days.value[0])
        self.programme_max_days = rates.programme_days.value[1]
        self.institution_max_days = institution.days.value[1]
        self.job_shadowing_usual_days = institution.job_shadowing_usual_days.value
        self.decision_lead_days = institution.decision_lead_days.value
        self.most_hosts, self.hosts_within_km = institution.destinations.value
        self.project_start = rates.project_start
        self.project_end = rates.project_end
        # The countries where a host raises no finding of its country: eligible, and not
        # the university's own.
        self.eligible_countries = frozenset(
            code
            for code, country in rates.countries.items()
            if country.eligible.value and code != institution.home_country
        )
        # Answers that depend only on these rates and their key (see `remember`).
        self.known: dict[Any, Any] = {}
        # The one-way distance and its band by the two places' coordinates.
        self.distances: dict[tuple[float, float, float, float], tuple[Decimal, Band]] = {}
        # The exchange rate of an estimate by its day.
        self.euro_by_day: dict[datetime.date, EuroRate] = {}

    def distance_and_band(self, origin: Point, destination: Point) -> tuple[Decimal, Band]:
        """The one-way distance (as `great_circle_km`) and the band it falls in."""
        key = (origin.latitude, origin.longitude, destination.latitude, destination.longitude)
        found = self.distances.get(key)
        if found is None:
            if len(self.distances) >= _MOST_KNOWN:
                self.distances.clear()
            km = _great_circle_km(*key)
            found = self.distances[key] = (km, band_for(km, self.rates.bands))
        return found

    def euro_rate(self, day: datetime.date) -> EuroRate:
        """As `euro_rate_for` a trip estimated on that day."""
        euro = self.euro_by_day.get(day)
        if euro is None:
            if len(self.euro_by_day) >= _MOST_KNOWN:
                self.euro_by_day.clear()
            euro = self.euro_by_day[day] = _euro_rate(self.rates, day)
        return euro

    def remember[T](self, key: Any, answer: T) -> T:
        """Keep an answer that depends only on these rates and `key`; returns it."""
        if len(self.known) >= _MOST_KNOWN:
            self.known.clear()
        self.known[key] = answer
        return answer


# The plans of the rates in use, by the rates' id; a plan keeps its rates, so that the id
# cannot name other rates while the plan is kept.
_PLANS: dict[int, Plan] = {}


def plan_for(rates: Rates) -> Plan:
    """The plan of these rates, worked out on the first call for them."""
    plan = _PLANS.get(id(rates))
    if plan is None or plan.rates is not rates:
        if len(_PLANS) >= 64:
            _PLANS.clear()
        plan = _PLANS[id(rates)] = Plan(rates)
    return plan


def daily_rate_for(trip: Trip, rates: Rates) -> Rule[int] | None:
    """The daily rate of the receiving country's group, with its source; None without one."""
    country = rates.countries.get(trip.destination.place.country)
    group = country.group.value if country is not None else None
    return rates.daily_rates.get(group) if group is not None else None


def grant(trip: Trip, rates: Rates) -> Grant:
    """Travel support for the band plus individual support per funded day, in whole euros."""
    plan = plan_for(rates)
    distance, band = plan.distance_and_band(trip.origin, trip.destination.place)
    return grant_in(trip, plan, distance, band)


def grant_in(trip: Trip, plan: Plan, distance: Decimal, band: Band) -> Grant:
    """`grant` under a plan, for the distance and band the trip's places give."""
    travel = band.amount(trip.green_travel)
    # The declared travel days, up to what standard or green travel funds.
    declared = trip.declared_travel_days
    travel_days = min(
        declared, plan.green_travel_days if trip.green_travel else plan.standard_travel_days
    )
    days = trip.activity_days
    funded = days + travel_days
    # Individual support per day for the receiving country's group (0 without a group).
    daily = plan.daily_rates.get(trip.hosts[0].place.country)
    rate = daily.value if daily is not None else 0
    # Days from `reduced_from_day` on are paid at the reduced share; whether travel days count
    # towards that day is a rule of the call year.
    counted = funded if plan.reduction_counts_travel_days else days
    full = min(counted, plan.reduced_from_day - 1)
    reduced = counted - full
    if not plan.reduction_counts_travel_days:
        full += travel_days
    # A few rates and day counts: remembered rather than multiplied in Decimal, by whole
    # numbers only (hashing a Decimal costs more than the look-up).
    key = ("support", rate, full, reduced)
    support = plan.known.get(key)
    if support is None:
        support = plan.remember(key, _support(rate, full, reduced, plan.reduced_share))
    inclusion = whole(trip.inclusion_costs_eur) if trip.inclusion_costs_eur else 0
    # In the order of Grant's fields, built at once from a tuple: _make binds one argument
    # where calling the class binds thirteen, and costs half as much.
    return Grant._make(
        (
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
    )


def _support(rate: int, full: int, reduced: int, share: Decimal) -> int:
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
    return _euro_rate(rates, trip.today)


def _euro_rate(rates: Rates, day: datetime.date) -> EuroRate:
    for euro in rates.euro_rates:
        if euro.date <= day:
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
    plan = plan_for(rates)
    return department_cost_in(trip, plan, paid, eligible, plan.euro_rate(trip.today))


def department_cost_in(
    trip: Trip, plan: Plan, paid: Grant, eligible: bool, euro: EuroRate
) -> DepartmentCost:
    """`department_cost` under a plan, at the exchange rate of the trip's day."""
    # The trip's days as its grant counted them: read from the tuple, not worked out again.
    journey_days = paid.activity_days + paid.declared_travel_days
    nights = max(journey_days - 1, 0)
    half_days = min(journey_days, 2)  # the day you leave and the day you come home
    full_days = journey_days - half_days
    known = plan.known
    eur_sek = euro.eur_sek
    # The amounts in kronor are remembered by the exchange rate's object, which the rates keep
    # (see `Plan.euro_rate`), rather than by its Decimal: hashing one costs more than the rest.
    euro_id = id(euro)

    key: tuple[Any, ...]
    travel: int
    if trip.travel_sek is not None:
        travel = whole(trip.travel_sek)
    else:
        unit_cost = paid.band.amount(trip.green_travel)
        key = ("travel", unit_cost, euro_id)
        travel = known.get(key)  # type: ignore[assignment]
        if travel is None:
            travel = plan.remember(key, whole(unit_cost * eur_sek))

    # The allowance depends on the country, the tax year, the days and the meals only.
    country = trip.hosts[0].place.country
    key = ("allowance", country, trip.start.year, journey_days, trip.meals_provided)
    allowance_part = known.get(key)
    if allowance_part is None:
        allowance_part = plan.remember(
            key, _allowance(trip, plan.rates, full_days, half_days, nights)
        )
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
        key = ("reimbursed", paid.total_eur, euro_id)
        reimbursed = known.get(key)
        if reimbursed is None:
            reimbursed = plan.remember(key, whole(paid.total_eur * eur_sek))
    else:
        reimbursed = 0
    # In the order of DepartmentCost's fields, built at once from a tuple (as Grant's).
    return DepartmentCost._make(
        (
            eur_sek,
            euro.date,
            travel,
            trip.travel_sek is None,
            nights,
            accommodation,
            trip.accommodation_sek is None,
            per_diem.sek if per_diem is not None else None,
            per_diem.year if per_diem is not None else None,
            full_days,
            half_days,
            trip.meals_provided,
            per_diem_sek,
            cost,
            reimbursed,
            cost - reimbursed,
            missing,
            fee_sek,
            trip.fee or None,
            trip.fee_currency,
        )
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
