"""The rules: one table row per finding, each with its code, severity and both languages."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from utsikt.grants import eligibility
from utsikt.grants.tests.conftest import north_of
from utsikt.grants.values import (
    ERROR,
    INFO,
    WARNING,
    Host,
    Point,
    Rates,
    Trip,
    call_year_for,
    project_start,
)
from utsikt.grants.vocabulary import HostKind

D = datetime.date


def _hosts(places: dict[str, Point], *keys: str) -> tuple[Host, ...]:
    return tuple(Host(key, "university", places[key]) for key in keys)


# (case, changes to the base trip, the code expected, its severity). `changes` may name places
# as "@key" and hosts as ("@hosts", key, ...).
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("Zürich is outside the programme", {"to": "@zurich"}, "country_not_eligible", ERROR),
    (
        "the UK with five working days is the university's exception",
        {"to": "@london", "days": 5},
        "country_institution_exception",
        INFO,
    ),
    (
        "the UK with four working days is too short for the exception",
        {"to": "@oxford", "days": 4},
        "exception_too_short",
        ERROR,
    ),
    ("an EU institution", {"kind": "eu_institution"}, "host_eu_institution", ERROR),
    ("a national agency", {"kind": "eu_programme_body"}, "host_eu_programme_body", ERROR),
    ("an embassy", {"kind": "diplomatic_mission"}, "host_diplomatic_mission", ERROR),
    ("a host in Sweden", {"to": "@stockholm"}, "host_in_home_country", ERROR),
    ("a conference", {"activity": "conference"}, "conference_not_eligible", ERROR),
    ("one day", {"days": 1}, "too_short", ERROR),
    ("15 days", {"days": 15, "activity": "training_course"}, "too_long_institution", ERROR),
    ("61 days", {"days": 61, "activity": "staff_week"}, "too_long_programme", ERROR),
    ("job shadowing for 8 days", {"days": 8}, "job_shadowing_longer_than_usual", WARNING),
    (
        "three hosts",
        {"hosts": ("@hosts", "porto", "porto", "braga")},
        "too_many_destinations",
        ERROR,
    ),
    (
        "Porto and Lisbon, 274 km apart",
        {"hosts": ("@hosts", "porto", "lisbon")},
        "hosts_too_far_apart",
        ERROR,
    ),
    (
        "Porto and Braga, less than 100 km apart",
        {"hosts": ("@hosts", "porto", "braga")},
        "two_hosts_nearby",
        INFO,
    ),
    (
        "two hosts in Porto",
        {"hosts": ("@hosts", "porto", "porto")},
        "two_hosts_nearby",
        INFO,
    ),
    ("starting today", {"start": D(2025, 9, 15), "days": 3}, "start_date_passed", ERROR),
    ("started yesterday", {"start": D(2025, 9, 14), "days": 3}, "start_date_passed", ERROR),
    (
        "starting in 13 days",
        {"start": D(2025, 9, 28), "days": 3},
        "decision_may_come_too_late",
        WARNING,
    ),
    (
        "applying on 16 December",
        {"today": D(2025, 12, 16), "start": D(2026, 3, 2), "days": 5},
        "outside_application_window",
        WARNING,
    ),
    (
        "applying on 14 January",
        {"today": D(2026, 1, 14), "start": D(2026, 3, 2), "days": 5},
        "outside_application_window",
        WARNING,
    ),
    (
        "applying in July",
        {"today": D(2026, 7, 1), "start": D(2026, 9, 7), "days": 5},
        "outside_application_window",
        WARNING,
    ),
    (
        "a trip after the 2025 project ends",
        {"start": D(2027, 8, 2), "days": 5},
        "outside_call_year_period",
        WARNING,
    ),
    ("a virtual part", {"virtual_part": True}, "virtual_part_not_funded", INFO),
    ("a first-time applicant", {"first_time": True}, "first_time_priority", INFO),
    ("four travel days by plane", {"travel_days": 4}, "travel_days_capped", WARNING),
    (
        "eight travel days by train",
        {"travel_days": 8, "green_travel": True},
        "travel_days_capped",
        WARNING,
    ),
    ("a host 9.9 km away", {"to": "@9.9km"}, "no_travel_grant_nearby", INFO),
    ("inclusion costs", {"inclusion_costs_eur": Decimal(300)}, "inclusion_support", INFO),
]


def _trip(
    make_trip: Callable[..., Trip], places: dict[str, Point], changes: dict[str, Any]
) -> Trip:
    resolved: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, tuple) and value and value[0] == "@hosts":
            resolved[key] = _hosts(places, *value[1:])
        elif value == "@9.9km":
            # Somewhere 9.9 km from Porto, travelling from Porto.
            resolved["origin"] = places["porto"]
            resolved[key] = dataclasses.replace(north_of(places["porto"], 9.9), country="PT")
        elif isinstance(value, str) and value.startswith("@"):
            resolved[key] = places[value[1:]]
        else:
            resolved[key] = value
    return make_trip(**resolved)


def test_the_base_trip_is_eligible_without_any_finding(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    assert eligibility.check(make_trip(), rates_2025) == []


@pytest.mark.parametrize(("case", "changes", "code", "severity"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_gives_its_finding(
    make_trip: Callable[..., Trip],
    places: dict[str, Point],
    rates_2025: Rates,
    case: str,
    changes: dict[str, Any],
    code: str,
    severity: str,
) -> None:
    findings = eligibility.check(_trip(make_trip, places, changes), rates_2025)
    matching = [f for f in findings if f.code == code]
    assert [f.severity for f in matching] == [severity], findings
    # Nothing else is wrong with the trip than what the case changes.
    assert {f.code for f in findings if f.severity == ERROR} <= {code}, findings


def test_every_rule_code_has_a_case() -> None:
    assert {code for *_, code, _severity in CASES} == set(eligibility.CODES)


@pytest.mark.parametrize(
    ("days", "codes"),
    [
        (2, set()),  # the shortest allowed
        (7, set()),  # job shadowing: the usual week
        (14, {"job_shadowing_longer_than_usual"}),  # the university's longest
        (60, {"too_long_institution"}),  # the programme allows it; the university does not
    ],
)
def test_the_stricter_of_the_programme_and_the_university_applies(
    make_trip: Callable[..., Trip], rates_2025: Rates, days: int, codes: set[str]
) -> None:
    findings = eligibility.check(make_trip(days=days), rates_2025)
    assert {f.code for f in findings} == codes


def test_a_course_may_last_the_two_weeks_that_job_shadowing_usually_may_not(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    assert eligibility.check(make_trip(days=14, activity="training_course"), rates_2025) == []


def test_the_uk_exception_counts_working_days_not_calendar_days(
    make_trip: Callable[..., Trip], places: dict[str, Point], rates_2025: Rates
) -> None:
    # Thursday 6 to Tuesday 11 November 2025: six calendar days but four working days.
    trip = make_trip(to=places["london"], start=D(2025, 11, 6), end=D(2025, 11, 11))
    assert trip.working_days == 4
    assert "exception_too_short" in {f.code for f in eligibility.check(trip, rates_2025)}


def test_the_exception_is_data_that_an_administrator_can_change(
    make_trip: Callable[..., Trip], places: dict[str, Point], rates_2025: Rates
) -> None:
    uk = rates_2025.countries["GB"]
    rule = dataclasses.replace(uk.exception_min_working_days, value=None)
    rates = dataclasses.replace(
        rates_2025,
        countries={
            **rates_2025.countries,
            "GB": dataclasses.replace(uk, exception_min_working_days=rule),
        },
    )
    codes = {f.code for f in eligibility.check(make_trip(to=places["london"]), rates)}
    assert "country_not_eligible" in codes


def test_eligible_countries_follow_the_call_year(
    make_trip: Callable[..., Trip], places: dict[str, Point], all_rates: dict[int, Rates]
) -> None:
    for year, rates in all_rates.items():
        trip = make_trip(to=places["istanbul"], call_year=year)
        assert "country_not_eligible" not in {f.code for f in eligibility.check(trip, rates)}
    # An administrator's decision that Türkiye is out in a year is obeyed for that year.
    rates = all_rates[2026]
    turkey = rates.countries["TR"]
    out = dataclasses.replace(turkey, eligible=dataclasses.replace(turkey.eligible, value=False))
    rates = dataclasses.replace(rates, countries={**rates.countries, "TR": out})
    trip = make_trip(to=places["istanbul"], call_year=2026)
    assert "country_not_eligible" in {f.code for f in eligibility.check(trip, rates)}


def test_messages_say_what_to_do_in_natural_swedish_and_english(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    (finding,) = eligibility.check(make_trip(days=1), rates_2025)
    assert finding.message_sv == (
        "Aktiviteten pågår 1 dag, men den måste pågå minst 2 dagar, resdagar oräknade. Förläng den."
    )
    assert finding.message_en == (
        "The activity lasts 1 day, but it must last at least 2 days, travel not counted. Extend it."
    )


def test_messages_remembered_from_earlier_trips_are_the_same_once_forgotten(
    make_trip: Callable[..., Trip], rates_2025: Rates, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = make_trip(days=1)
    short_and_capped = make_trip(days=1, green_travel=True, travel_days=9)
    expected = eligibility.check(short_and_capped, rates_2025)
    assert len(expected) == 2
    eligibility.check(short, rates_2025)  # remembers one of the two messages
    # Remembering at most one message, the next check forgets it while it writes the other.
    monkeypatch.setattr(eligibility, "_MOST_WRITTEN", 1)
    monkeypatch.setattr(eligibility, "_WRITTEN", {})
    eligibility.check(short, rates_2025)
    assert eligibility.check(short_and_capped, rates_2025) == expected


def test_hosts_too_far_apart_names_the_cities_and_the_distance_in_each_language(
    make_trip: Callable[..., Trip], rates_2025: Rates, places: dict[str, Point]
) -> None:
    # Written from each language's catalogue, without switching the active language.
    trip = dataclasses.replace(make_trip(), hosts=_hosts(places, "porto", "lisbon"))
    (finding,) = [f for f in eligibility.check(trip, rates_2025) if f.code.endswith("apart")]
    assert finding.message_sv.startswith("Porto och Lissabon ligger 273 km från varandra")
    assert finding.message_en.startswith("Porto and Lisbon are 273 km apart")


def test_the_window_message_names_the_next_opening_in_each_language(
    make_trip: Callable[..., Trip], rates_2025: Rates
) -> None:
    trip = make_trip(today=D(2025, 12, 20), start=D(2026, 3, 2), end=D(2026, 3, 6))
    (finding,) = [f for f in eligibility.check(trip, rates_2025) if f.code.startswith("outside")]
    assert "15 januari 2026" in finding.message_sv
    # The windows, the next one first.
    assert "15 januari\u201330 juni och 1 september\u201315 december" in finding.message_sv
    assert "15 January 2026" in finding.message_en


def test_a_window_across_new_year_contains_both_ends() -> None:
    from utsikt.grants.values import Window

    winter = Window((11, 15), (2, 15), "test", True)
    assert winter.contains(D(2025, 12, 31)) and winter.contains(D(2026, 2, 15))
    assert not winter.contains(D(2026, 3, 1))
    assert winter.next_opening(D(2026, 3, 1)) == D(2026, 11, 15)


def test_whether_a_kind_of_host_is_fundable_follows_the_call_years_rules(
    rates_2025: Rates,
) -> None:
    assert eligibility.host_kind_fundable(HostKind.MUSEUM, rates_2025)
    assert not eligibility.host_kind_fundable(HostKind.EU_PROGRAMME_BODY, rates_2025)
    assert not eligibility.host_kind_fundable(HostKind.DIPLOMATIC_MISSION, rates_2025)
    institution = rates_2025.institution
    allowed = dataclasses.replace(
        institution,
        excludes_diplomatic_missions=dataclasses.replace(
            institution.excludes_diplomatic_missions, value=False
        ),
    )
    rates = dataclasses.replace(rates_2025, institution=allowed)
    assert eligibility.host_kind_fundable(HostKind.DIPLOMATIC_MISSION, rates)
    # Without any call year's rules only the programme's own exclusions apply.
    assert eligibility.host_kind_fundable(HostKind.DIPLOMATIC_MISSION, None)
    assert not eligibility.host_kind_fundable(HostKind.EU_INSTITUTION, None)


def test_projects_start_on_the_first_of_june_of_their_call_year() -> None:
    assert project_start(2026) == D(2026, 6, 1)
    assert call_year_for(D(2026, 5, 31)) == 2025
    assert call_year_for(D(2026, 6, 1)) == 2026
    assert call_year_for(D(2027, 1, 15)) == 2026
