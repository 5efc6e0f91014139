"""Properties that hold for every trip, checked on generated trips (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utsikt.grants import calculation, eligibility, estimates
from utsikt.grants.values import ACTIVITIES, HOST_KINDS, MEALS, Host, Point, Rates, Trip

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis directory in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
COUNTRIES = ["SE", "PT", "DE", "GR", "TR", "NO", "LT", "GB", "CH", "MT", "IS"]

points = st.builds(
    Point,
    city=st.sampled_from(["A", "B"]),
    country=st.sampled_from(COUNTRIES),
    latitude=st.floats(min_value=-89, max_value=89),
    longitude=st.floats(min_value=-180, max_value=180),
)
days = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2028, 12, 31))
amounts = st.none() | st.decimals(min_value=0, max_value=100_000, places=2)


@st.composite
def trips(draw: st.DrawFn) -> Trip:
    start = draw(days)
    return Trip(
        call_year=draw(st.sampled_from([2024, 2025, 2026])),
        origin=draw(points),
        hosts=tuple(
            Host("H", draw(st.sampled_from(HOST_KINDS)), draw(points))
            for _ in range(draw(st.integers(1, 3)))
        ),
        activity=draw(st.sampled_from(ACTIVITIES)),
        start=start,
        end=start + datetime.timedelta(days=draw(st.integers(0, 80))),
        today=draw(days),
        green_travel=draw(st.booleans()),
        travel_days=draw(st.none() | st.integers(0, 12)),
        virtual_part=draw(st.booleans()),
        first_time=draw(st.booleans()),
        travel_sek=draw(amounts),
        accommodation_sek=draw(amounts),
        meals_provided=draw(st.sampled_from(MEALS)),
        inclusion_costs_eur=draw(amounts),
    )


@SETTINGS
@given(trip=trips(), extra=st.integers(1, 30))
def test_a_longer_stay_never_lowers_individual_support(
    all_rates: dict[int, Rates], trip: Trip, extra: int
) -> None:
    rates = all_rates[trip.call_year]
    longer = dataclasses.replace(trip, end=trip.end + datetime.timedelta(days=extra))
    before = calculation.grant(trip, rates)
    after = calculation.grant(longer, rates)
    assert after.individual_support_eur >= before.individual_support_eur
    assert after.total_eur >= before.total_eur


@SETTINGS
@given(trip=trips())
def test_green_travel_never_lowers_the_travel_grant_or_the_funded_days(
    all_rates: dict[int, Rates], trip: Trip
) -> None:
    rates = all_rates[trip.call_year]
    standard = calculation.grant(dataclasses.replace(trip, green_travel=False), rates)
    green = calculation.grant(dataclasses.replace(trip, green_travel=True), rates)
    assert green.travel_eur >= standard.travel_eur
    assert green.funded_travel_days >= standard.funded_travel_days
    assert green.total_eur >= standard.total_eur


@SETTINGS
@given(km=st.decimals(min_value=0, max_value=40_000, places=3))
def test_the_bands_partition_every_distance(all_rates: dict[int, Rates], km: Decimal) -> None:
    for rates in all_rates.values():
        assert sum(band.contains(km) for band in rates.bands) == 1


@SETTINGS
@given(trip=trips())
def test_totals_equal_the_sum_of_their_parts(all_rates: dict[int, Rates], trip: Trip) -> None:
    result = estimates.estimate(trip, all_rates[trip.call_year])
    grant, cost = result.grant, result.department
    assert grant.total_eur == grant.travel_eur + grant.individual_support_eur + grant.inclusion_eur
    assert grant.funded_days == grant.activity_days + grant.funded_travel_days
    assert grant.full_rate_days + grant.reduced_rate_days == grant.funded_days
    parts = cost.travel_sek + (cost.accommodation_sek or 0) + (cost.per_diem_sek or 0)
    assert cost.cost_sek == parts
    assert cost.net_sek == cost.cost_sek - cost.grant_sek
    assert cost.grant_sek == (
        calculation.whole(grant.total_eur * cost.eur_sek) if result.eligible else 0
    )
    assert all(isinstance(n, int) for n in (grant.total_eur, cost.cost_sek, cost.net_sek))


@SETTINGS
@given(trip=trips())
def test_every_finding_has_a_stable_code_and_both_languages(
    all_rates: dict[int, Rates], trip: Trip
) -> None:
    for finding in eligibility.check(trip, all_rates[trip.call_year]):
        assert finding.code in eligibility.CODES
        assert finding.severity in ("error", "warning", "info")
        assert finding.message_sv and finding.message_en
        assert finding.message_sv != finding.message_en  # really translated
        assert "%(" not in finding.message_sv + finding.message_en


@SETTINGS
@given(trip=trips())
def test_a_trip_is_eligible_exactly_when_no_finding_is_an_error(
    all_rates: dict[int, Rates], trip: Trip
) -> None:
    result = estimates.estimate(trip, all_rates[trip.call_year])
    assert result.eligible == all(f.severity != "error" for f in result.findings)
    assert set(result.unverified) <= set(estimates.UNVERIFIED)


def test_properties_run_on_the_loaded_rates_of_three_call_years(
    all_rates: dict[int, Rates], make_trip: Callable[..., Trip]
) -> None:
    # The generated trips above use these call years; make sure they are really loaded.
    assert {2024, 2025, 2026} <= set(all_rates)


@SETTINGS
@given(trip=trips())
def test_findings_come_errors_first_then_warnings_then_notes(
    all_rates: dict[int, Rates], trip: Trip
) -> None:
    order = ["error", "warning", "info"]
    severities = [f.severity for f in eligibility.check(trip, all_rates[trip.call_year])]
    assert severities == sorted(severities, key=order.index)


@SETTINGS
@given(start=days, length=st.integers(0, 400))
def test_working_days_are_the_weekdays_between_first_and_last_day(
    start: datetime.date, length: int
) -> None:
    end = start + datetime.timedelta(days=length)
    trip = Trip(2025, Point("A", "SE", 0, 0), (), "job_shadowing", start, end, start)
    every_day = (start + datetime.timedelta(days=n) for n in range(length + 1))
    assert trip.working_days == sum(1 for day in every_day if day.weekday() < 5)
    assert trip.activity_days == length + 1
