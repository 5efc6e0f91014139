"""Fixtures for the rules and the money: the loaded rates, real places, and a trip builder."""

from __future__ import annotations

import dataclasses
import datetime
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from utsikt.grants import rates, trips
from utsikt.grants.gazetteer import find_places
from utsikt.grants.values import Host, Point, Rates, Trip

# Hypothesis keeps a cache; keep it out of the checkout (.hypothesis is not ignored by git).
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "utsikt-hypothesis"))

CITIES = {
    "lund": ("Lund", "SE"),
    "stockholm": ("Stockholm", "SE"),
    "porto": ("Porto", "PT"),
    "braga": ("Braga", "PT"),
    "lisbon": ("Lisbon", "PT"),
    "copenhagen": ("Copenhagen", "DK"),
    "london": ("London", "GB"),
    "oxford": ("Oxford", "GB"),
    "zurich": ("Zürich", "CH"),
    "athens": ("Athens", "GR"),
    "berlin": ("Berlin", "DE"),
    "vilnius": ("Vilnius", "LT"),
    "istanbul": ("Istanbul", "TR"),
}


@pytest.fixture(autouse=True)
def _fresh_rates() -> Iterator[None]:
    """Rates and cities are cached per process; a test's edits must not leak into the next."""
    rates.forget()
    trips.forget_places()
    yield
    rates.forget()
    trips.forget_places()


@pytest.fixture(scope="session")
def all_rates(django_db_setup: None, django_db_blocker: Any) -> dict[int, Rates]:
    """The rates of every call year as loaded from the reference data."""
    with django_db_blocker.unblock():
        loaded = {year: rates.for_call_year(year) for year in rates.call_years()}
    rates.forget()
    return loaded


@pytest.fixture(scope="session")
def rates_2025(all_rates: dict[int, Rates]) -> Rates:
    return all_rates[2025]


@pytest.fixture(scope="session")
def places(django_db_setup: None, django_db_blocker: Any) -> dict[str, Point]:
    """Real cities from the gazetteer, as the trip parser would find them."""
    found = {}
    with django_db_blocker.unblock():
        for key, (name, country) in CITIES.items():
            place = find_places(name, country).first()
            assert place is not None, name
            found[key] = Point(
                place.name, place.country_id, place.latitude, place.longitude, place.name_sv
            )
    return found


def north_of(point: Point, km: float) -> Point:
    """A point `km` due north (along the meridian the great circle is exact)."""
    import math

    from utsikt.grants.calculation import EARTH_RADIUS_KM

    latitude = point.latitude + math.degrees(km / EARTH_RADIUS_KM)
    return Point(f"{km} km north", point.country, latitude, point.longitude)


TODAY = datetime.date(2025, 9, 15)  # inside the application window 1 Sep-15 Dec


@pytest.fixture(scope="session")
def make_trip(places: dict[str, Point]) -> Callable[..., Trip]:
    """A trip that passes every rule (Lund to Porto, five days of job shadowing in the 2025
    call); keyword arguments change what a case needs."""
    base = Trip(
        call_year=2025,
        origin=places["lund"],
        hosts=(Host("Universidade do Porto", "university", places["porto"]),),
        activity="job_shadowing",
        start=datetime.date(2025, 11, 3),
        end=datetime.date(2025, 11, 7),
        today=TODAY,
    )

    def make(**changes: Any) -> Trip:
        if "to" in changes:
            changes["hosts"] = (Host("Host", changes.pop("kind", "university"), changes.pop("to")),)
        elif "kind" in changes:
            changes["hosts"] = (dataclasses.replace(base.hosts[0], kind=changes.pop("kind")),)
        if "days" in changes:
            changes["end"] = changes.get("start", base.start) + datetime.timedelta(
                days=changes.pop("days") - 1
            )
        return dataclasses.replace(base, **changes)

    return make
