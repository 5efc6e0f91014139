"""The plan of a call year's rates (calculation.Plan): the same answers as the rates it
stands in for, read the long way."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Callable

from utsikt.grants import calculation, eligibility
from utsikt.grants.eligibility import Draft
from utsikt.grants.tests.conftest import north_of
from utsikt.grants.values import Point, Rates, Trip

D = datetime.date


def test_the_plan_gives_each_country_the_daily_rate_and_verdict_of_the_rates(
    make_trip: Callable[..., Trip], places: dict[str, Point], all_rates: dict[int, Rates]
) -> None:
    for rates in all_rates.values():
        plan = calculation.plan_for(rates)
        for code in [*rates.countries, "XX"]:  # XX: a country the rates do not know
            trip = make_trip(to=dataclasses.replace(places["porto"], country=code))
            assert plan.daily_rates.get(code) == calculation.daily_rate_for(trip, rates), code
            drafts: list[Draft] = []
            eligibility._country(code, trip, rates, drafts)
            assert (code in plan.eligible_countries) == (not drafts), code


def test_the_plan_gives_the_exchange_rate_of_each_day_as_the_rates_do(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    plan = calculation.plan_for(rates_2025)
    set_on = [euro.date for euro in rates_2025.euro_rates]
    days = {D(2000, 1, 1), D(2100, 1, 1)}
    for day in set_on:
        days |= {day - datetime.timedelta(days=1), day, day + datetime.timedelta(days=1)}
    for day in sorted(days):
        assert plan.euro_rate(day) == calculation.euro_rate_for(make_trip(today=day), rates_2025)


def test_the_plan_gives_the_distance_and_band_of_great_circle_km_and_band_for(
    places: dict[str, Point], all_rates: dict[int, Rates]
) -> None:
    porto = places["porto"]
    points = [*places.values(), north_of(porto, 9.9), north_of(porto, 10), north_of(porto, 99.5)]
    for rates in all_rates.values():
        plan = calculation.plan_for(rates)
        for a, b in itertools.product(points, repeat=2):
            km = calculation.great_circle_km(a, b)
            assert plan.distance_and_band(a, b) == (km, calculation.band_for(km, rates.bands))


def test_a_plan_is_for_its_rates_only(rates_2025: Rates) -> None:
    changed = dataclasses.replace(rates_2025, reduction_counts_travel_days=False)
    assert calculation.plan_for(rates_2025).rates is rates_2025
    assert calculation.plan_for(changed).rates is changed
