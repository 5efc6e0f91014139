"""The money: distance, bands, the grant and the department's cost, table by table."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from utsikt.grants import calculation
from utsikt.grants.gazetteer import DATA
from utsikt.grants.tests.conftest import north_of
from utsikt.grants.values import EuroRate, Point, Rates, Trip

REFERENCE = json.loads((DATA / "erasmus-rates.json").read_text(encoding="utf-8"))


def _reference_band(call_year: int, label: str) -> tuple[int, int | None]:
    """Standard and green EUR for a band of a call year, read from the reference JSON."""
    for schedule in REFERENCE["distance_bands"]["schedules"]:
        if isinstance(schedule["call_years"], list) and call_year in schedule["call_years"]:
            for band in schedule["bands"]:
                end = "+" if band["max_km"] is None else f"-{band['max_km']}"
                if f"{band['min_km']}{end}" == label:
                    return band["standard_eur"], band["green_eur"]
    raise LookupError(label)


# One-way distance (km) → the band it falls in. Edges on both sides of every boundary.
BAND_EDGES = [
    ("0", "0-9"),
    ("9.9", "0-9"),
    ("10", "10-99"),
    ("99", "10-99"),
    ("99.9", "10-99"),
    ("100", "100-499"),
    ("499", "100-499"),
    ("500", "500-1999"),
    ("1999.9", "500-1999"),
    ("2000", "2000-2999"),
    ("2999", "2000-2999"),
    ("3000", "3000-3999"),
    ("3999", "3000-3999"),
    ("4000", "4000-7999"),
    ("7999.9", "4000-7999"),
    ("8000", "8000+"),
    ("20037.5", "8000+"),
]


@pytest.mark.parametrize("call_year", [2024, 2025, 2026])
@pytest.mark.parametrize(("km", "label"), BAND_EDGES)
def test_each_distance_falls_in_the_band_of_the_reference_table(
    all_rates: dict[int, Rates], call_year: int, km: str, label: str
) -> None:
    band = calculation.band_for(Decimal(km), all_rates[call_year].bands)
    assert band.label == label
    if label == "0-9":
        # Under 10 km: no travel grant (the DAAD table starts at 10 km).
        assert band.amount(green=False) == band.amount(green=True) == 0
    else:
        standard, green = _reference_band(call_year, label)
        assert band.amount(green=False) == standard
        assert band.amount(green=True) == (green if green is not None else standard)


@pytest.mark.parametrize(
    ("km", "travel_eur"),
    # 2025 amounts, erasmus-rates.json distance_bands (NA DAAD "Projekt 2025").
    [(9.9, 0), (10, 28), (99, 28), (100, 211), (499, 211), (500, 309), (2263.6, 395)],
)
def test_the_travel_grant_follows_the_one_way_distance(
    rates_2025: Rates,
    make_trip: Callable[..., Trip],
    places: dict[str, Point],
    km: float,
    travel_eur: int,
) -> None:
    trip = make_trip(to=north_of(places["lund"], km))
    grant = calculation.grant(trip, rates_2025)
    assert grant.distance_km == Decimal(str(km))
    assert grant.travel_eur == travel_eur


def test_lund_to_porto_is_2263_6_km_as_the_crow_flies(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    grant = calculation.grant(make_trip(), rates_2025)
    assert grant.distance_km == Decimal("2263.6")
    assert grant.band.label == "2000-2999"


def test_individual_support_is_the_group_rate_times_activity_and_travel_days(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    grant = calculation.grant(make_trip(), rates_2025)  # Porto: group 2
    rate = rates_2025.daily_rates[2].value
    assert grant.activity_days == 5
    assert grant.funded_days == 7
    assert grant.daily_rate_eur == rate
    assert grant.individual_support_eur == 7 * rate
    assert grant.total_eur == grant.travel_eur + 7 * rate


def test_from_day_15_the_day_is_paid_at_70_percent_rounded_once(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    # 14 activity days + 2 travel days = 16 funded days: 14 full, 2 reduced.
    rates = dataclasses.replace(
        rates_2025,
        daily_rates={2: dataclasses.replace(rates_2025.daily_rates[2], value=165)},
    )
    grant = calculation.grant(make_trip(days=14), rates)
    assert (grant.full_rate_days, grant.reduced_rate_days) == (14, 2)
    # 14 x 165 + 2 x 115.5 = 2541; rounding each reduced day first would give 2542.
    assert grant.individual_support_eur == 2541
    assert rates_2025.reduced_share.value == Decimal("0.70")


def test_when_travel_days_do_not_count_towards_day_15_they_are_paid_in_full(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    rates = dataclasses.replace(rates_2025, reduction_counts_travel_days=False)
    grant = calculation.grant(make_trip(days=14), rates)
    assert (grant.full_rate_days, grant.reduced_rate_days) == (16, 0)


@pytest.mark.parametrize(
    ("green", "declared", "funded"),
    [
        (False, None, 2),
        (False, 0, 0),
        (False, 1, 1),
        (False, 4, 2),
        (True, None, 2),
        (True, 4, 4),
        (True, 6, 6),
        (True, 9, 6),
    ],
)
def test_travel_days_are_funded_up_to_two_or_six_with_green_travel(
    make_trip: Callable[..., Trip],
    rates_2025: Rates,
    green: bool,
    declared: int | None,
    funded: int,
) -> None:
    assert rates_2025.travel_days.value == (2, 6)  # erasmus-rates.json travel_days
    grant = calculation.grant(make_trip(green_travel=green, travel_days=declared), rates_2025)
    assert grant.funded_travel_days == funded
    assert grant.funded_days == 5 + funded


def test_green_travel_pays_the_green_amount_of_the_band(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    standard = calculation.grant(make_trip(), rates_2025)
    green = calculation.grant(make_trip(green_travel=True), rates_2025)
    assert (standard.travel_eur, green.travel_eur) == _reference_band(2025, "2000-2999")


def test_inclusion_costs_are_added_to_the_grant_in_whole_euros(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    grant = calculation.grant(make_trip(inclusion_costs_eur=Decimal("300.50")), rates_2025)
    assert grant.inclusion_eur == 301
    assert grant.total_eur == grant.travel_eur + grant.individual_support_eur + 301


def test_a_country_without_a_group_gets_no_daily_rate(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    assert calculation.grant(make_trip(to=places["zurich"]), rates_2025).daily_rate_eur == 0


# --- The department's cost ---------------------------------------------------------------


def test_the_department_pays_per_diem_with_half_days_for_leaving_and_coming_home(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    trip = make_trip(to=places["berlin"], start=datetime.date(2026, 3, 2), days=5)
    paid = calculation.grant(trip, rates_2025)
    cost = calculation.department_cost(trip, rates_2025, paid, eligible=True)
    per_diem = calculation.per_diem_for(trip, rates_2025)
    assert per_diem is not None
    assert (per_diem.country, per_diem.year, per_diem.sek) == ("DE", 2024, 800)  # newest known
    # 7 journey days: 5 full days at the host and the two travel days as half days.
    assert (cost.per_diem_full_days, cost.per_diem_half_days) == (5, 2)
    assert cost.per_diem_sek == 800 * 6
    # Accommodation estimated at the night allowance, half the normalbelopp, for 6 nights.
    assert cost.nights == 6
    assert cost.accommodation_sek == 400 * 6
    assert cost.accommodation_estimated


@pytest.mark.parametrize(
    ("meals", "kept"),
    # Skatteverket SKV A 2025:5: free meals reduce the normalbelopp by 15/35/70/85 %.
    [
        ("none", "1"),
        ("breakfast", "0.85"),
        ("lunch_or_dinner", "0.65"),
        ("lunch_and_dinner", "0.30"),
        ("all_meals", "0.15"),
    ],
)
def test_free_meals_reduce_the_daily_allowance(
    make_trip: Callable[..., Trip],
    rates_2025: Rates,
    places: dict[str, Point],
    meals: str,
    kept: str,
) -> None:
    trip = make_trip(to=places["athens"], meals_provided=meals)
    paid = calculation.grant(trip, rates_2025)
    cost = calculation.department_cost(trip, rates_2025, paid, eligible=True)
    assert cost.per_diem_rate_sek == 728  # Greece, SKV A 2023:18 (tax year 2024)
    assert cost.per_diem_sek == calculation.whole(728 * Decimal(6) * Decimal(kept))


def test_entered_costs_replace_the_estimates_and_the_net_is_cost_less_grant(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    trip = make_trip(
        to=places["athens"], travel_sek=Decimal("4200"), accommodation_sek=Decimal("6000.4")
    )
    paid = calculation.grant(trip, rates_2025)
    cost = calculation.department_cost(trip, rates_2025, paid, eligible=True)
    euro = rates_2025.euro_rates[0].eur_sek
    assert (cost.travel_sek, cost.accommodation_sek) == (4200, 6000)
    assert not cost.travel_estimated and not cost.accommodation_estimated
    assert cost.cost_sek == 4200 + 6000 + cost.per_diem_sek  # type: ignore[operator]
    assert cost.grant_sek == calculation.whole(paid.total_eur * euro)
    assert cost.net_sek == cost.cost_sek - cost.grant_sek


def test_an_ineligible_trip_is_not_reimbursed(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    trip = make_trip(activity="conference")
    cost = calculation.department_cost(
        trip, rates_2025, calculation.grant(trip, rates_2025), eligible=False
    )
    assert cost.grant_sek == 0
    assert cost.net_sek == cost.cost_sek


def test_without_a_per_diem_for_the_country_the_cost_says_what_is_missing(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    # Portugal: no Skatteverket value found for any year (erasmus-rates.json per_diem_sek).
    trip = make_trip()
    cost = calculation.department_cost(
        trip, rates_2025, calculation.grant(trip, rates_2025), eligible=True
    )
    assert cost.missing == ("per_diem", "accommodation")
    assert not cost.complete
    assert cost.cost_sek == cost.travel_sek


def test_the_exchange_rate_is_the_newest_set_on_or_before_the_day(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    rates = dataclasses.replace(
        rates_2025,
        euro_rates=(
            EuroRate(datetime.date(2025, 10, 1), Decimal("11.00"), "later", True),
            EuroRate(datetime.date(2025, 9, 1), Decimal("11.20"), "earlier", True),
            EuroRate(datetime.date(2024, 3, 31), Decimal("11.53"), "oldest", False),
        ),
    )
    assert calculation.euro_rate_for(make_trip(), rates).source == "earlier"  # today 15 Sep
    early = make_trip(today=datetime.date(2020, 1, 1))
    assert calculation.euro_rate_for(early, rates).source == "oldest"


def test_a_staff_weeks_fee_in_euros_is_a_cost_of_its_own_at_the_exchange_rate(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    without = make_trip(to=places["athens"])
    trip = make_trip(to=places["athens"], fee=Decimal("350"), fee_currency="EUR")
    paid = calculation.grant(trip, rates_2025)
    cost = calculation.department_cost(trip, rates_2025, paid, eligible=True)
    before = calculation.department_cost(without, rates_2025, paid, eligible=True)
    assert cost.fee_sek == calculation.whole(Decimal(350) * cost.eur_sek)
    assert cost.cost_sek == before.cost_sek + cost.fee_sek
    assert cost.complete


def test_a_fee_in_kronor_needs_no_rate_and_one_in_another_currency_is_named_missing(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    kronor = make_trip(to=places["athens"], fee=Decimal("1500"), fee_currency="SEK")
    paid = calculation.grant(kronor, rates_2025)
    assert calculation.department_cost(kronor, rates_2025, paid, eligible=True).fee_sek == 1500
    francs = make_trip(to=places["athens"], fee=Decimal("400"), fee_currency="CHF")
    cost = calculation.department_cost(francs, rates_2025, paid, eligible=True)
    assert cost.fee_sek is None
    assert cost.missing == ("fee",)


def test_rates_changed_after_an_estimate_give_their_own_amounts_not_remembered_ones(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    trip = make_trip(to=places["athens"])
    before = calculation.department_cost(
        trip, rates_2025, calculation.grant(trip, rates_2025), eligible=True
    )
    band = rates_2025.bands[-1]
    changed = dataclasses.replace(
        rates_2025,
        euro_rates=(EuroRate(datetime.date(2020, 1, 1), Decimal("20.00"), "changed", True),),
        per_diems={},
        bands=(
            dataclasses.replace(rates_2025.bands[0], max_km=None, standard_eur=band.standard_eur),
        ),
    )
    paid = calculation.grant(trip, changed)
    after = calculation.department_cost(trip, changed, paid, eligible=True)
    assert paid.band.min_km == 0
    assert after.travel_sek == calculation.whole(band.standard_eur * Decimal("20.00"))
    assert after.grant_sek == calculation.whole(paid.total_eur * Decimal("20.00"))
    assert after.missing == ("per_diem", "accommodation") != before.missing
    # The first rates still give what they gave.
    again = calculation.department_cost(
        trip, rates_2025, calculation.grant(trip, rates_2025), eligible=True
    )
    assert again == before
