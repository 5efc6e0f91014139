"""Read one trip as JSON (the command, the API and the page all send this form) into a `Trip`.

`parse` checks every field, looks the cities up in the gazetteer and raises `InvalidTrip`
with all the problems at once, each naming its field and explained in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeGuard

from django.utils.translation import gettext, gettext_noop

from utsikt.grants.eligibility import bilingual
from utsikt.grants.gazetteer import find_places, fold, point_of
from utsikt.grants.models import Country
from utsikt.grants.rates import RatesMissing
from utsikt.grants.values import (
    ACTIVITIES,
    HOST_KINDS,
    MEALS,
    MOST_TRAVEL_DAYS,
    Host,
    Point,
    Rates,
    Trip,
)
from utsikt.grants.vocabulary import HostKind, Meals

FIELDS = {
    "call_year",
    "origin",
    "hosts",
    "activity",
    "start",
    "end",
    "green_travel",
    "travel_days",
    "virtual_part",
    "first_time",
    "today",
    "travel_sek",
    "accommodation_sek",
    "meals_provided",
    "inclusion_costs_eur",
}
MOST_HOSTS = 10  # far above the rule: only to keep a request's work bounded
MOST_DAYS = 366
MOST_AMOUNT = Decimal(10_000_000)
# Dates outside these years mean nothing to a mobility, and one near year 9999 would overflow
# the date arithmetic of the rules (the next application window is a year later).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
YEARS = {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
OUT_OF_RANGE = gettext_noop("Give a date from the year %(first)s to %(last)s.")
# The EU writes "UK" for the United Kingdom.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field of the input."""

    field: str
    message_sv: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_sv": self.message_sv, "message_en": self.message_en}


class InvalidTrip(Exception):
    """The input does not describe a trip; `problems` says what to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in problems))
        self.problems = problems


def is_text(value: Any) -> TypeGuard[str]:
    """A string that can be stored: JSON may carry a lone surrogate ("\\ud800"), which no
    database encoding accepts, or a NUL ("\\u0000"), which PostgreSQL's text refuses."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _problem(field: str, say: Callable[[], str]) -> Problem:
    return Problem(field, *bilingual(say))


class _Reader:
    """Collects problems while reading the fields, so that all are reported together."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []

    def fail(self, field: str, say: Callable[[], str]) -> None:
        self.problems.append(_problem(field, say))

    def boolean(self, field: str, default: bool = False) -> bool:
        value = self.data.get(field)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(field, lambda: gettext("Give true or false."))
            return default
        return value

    def date(self, field: str, default: datetime.date | None = None) -> datetime.date | None:
        value = self.data.get(field)
        if value is None:
            if default is None:
                self.fail(field, lambda: gettext("Give a date, such as 2026-05-04."))
            return default
        if isinstance(value, str):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                    return day
                self.fail(field, lambda: gettext(OUT_OF_RANGE) % YEARS)
                return default
        self.fail(field, lambda: gettext("Give a date as year-month-day, such as 2026-05-04."))
        return default

    def whole_number(self, field: str, low: int, high: int) -> int | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                field,
                lambda: (
                    gettext("Give a whole number from %(low)s to %(high)s.")
                    % {"low": low, "high": high}
                ),
            )
            return None
        return value

    def amount(self, field: str) -> Decimal | None:
        value = self.data.get(field)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            amount = Decimal(str(value))
            if not amount.is_finite() or not 0 <= amount <= MOST_AMOUNT:
                raise InvalidOperation
        except InvalidOperation:
            self.fail(field, lambda: gettext("Give an amount of zero or more, such as 2500."))
            return None
        return amount

    def choice(self, field: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(field, default)
        if value not in choices:
            self.fail(
                field,
                lambda: gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)},
            )
            return choices[0]
        return str(value)

    def place(self, field: str, value: Any) -> Point | None:
        if not isinstance(value, Mapping):
            self.fail(field, lambda: gettext("Give the city and the country."))
            return None
        city, country = value.get("city"), value.get("country")
        if not is_text(country) or not country.strip():
            self.fail(f"{field}.country", lambda: gettext("Give the country as a two-letter code."))
            return None
        if not is_text(city) or not city.strip() or len(city) > 200:
            self.fail(f"{field}.city", lambda: gettext("Give the name of the city."))
            return None
        code = country.strip().upper()
        code = COUNTRY_ALIASES.get(code, code)
        point = find_point(city, code)
        if point is not None:
            return point
        known = Country.objects.filter(iso2=code).first()
        if known is None:
            self.fail(
                f"{field}.country",
                lambda: (
                    gettext(
                        "We know no country with the code “%(code)s”. Use a two-letter code such "
                        "as PT for Portugal."
                    )
                    % {"code": code[:10]}
                ),
            )
        else:
            self.fail(
                f"{field}.city",
                lambda: (
                    gettext(
                        "We cannot find “%(city)s” in %(country)s. Check the spelling, or choose "
                        "the nearest larger town: we know towns of 15,000 inhabitants or more."
                    )
                    % {"city": city.strip()[:100], "country": known.name}
                ),
            )
        return None


# Cities found, by folded name and country: the gazetteer is reference data, and building
# the look-up query costs more than the rest of an estimate. Misses are not kept.
_points: dict[tuple[str, str], Point] = {}
MOST_POINTS = 4096


def find_point(city: str, country: str) -> Point | None:
    """The most populous place of that name in the country, as a Point."""
    key = (fold(city), country)
    point = _points.get(key)
    if point is None:
        place = find_places(city, country).first()
        if place is None:
            return None
        point = point_of(place)
        if len(_points) >= MOST_POINTS:
            _points.clear()
        _points[key] = point
    return point


def forget_places() -> None:
    """Drop the cities found so far, after the gazetteer changed."""
    _points.clear()


def parse(data: Any, rates_for: Callable[[int], Rates], today: datetime.date) -> Trip:
    """The trip the JSON describes, with its cities found; raises InvalidTrip otherwise.

    `rates_for` gives the rates of the call year (the origin defaults to the sending
    university's city); `today` is used when the input does not say.
    """
    if not isinstance(data, Mapping):
        raise InvalidTrip([_problem("", lambda: gettext("Send one trip as a JSON object."))])
    read = _Reader(data)
    for unknown in sorted(set(data) - FIELDS):
        read.fail(unknown[:50], lambda: gettext("This field is not part of a trip."))

    rates: Rates | None = None
    year = data.get("call_year")
    if isinstance(year, bool) or not isinstance(year, int):
        read.fail("call_year", lambda: gettext("Give the call year, such as 2025."))
    else:
        try:
            rates = rates_for(year)
        except RatesMissing:
            read.fail(
                "call_year",
                lambda: (
                    gettext(
                        "The rates of the %(year)s call are missing or incomplete. Choose another "
                        "call year or tell the International Office."
                    )
                    % {"year": year}
                ),
            )

    origin: Point | None = None
    if data.get("origin") is not None:
        origin = read.place("origin", data["origin"])
    elif rates is not None:
        home = {"city": rates.institution.origin_city, "country": rates.institution.home_country}
        origin = read.place("origin", home)

    hosts: list[Host] = []
    raw_hosts = data.get("hosts")
    if not isinstance(raw_hosts, list) or not 1 <= len(raw_hosts) <= MOST_HOSTS:
        read.fail(
            "hosts",
            lambda: (
                gettext("Give from 1 to %(most)s hosts, each with a city and a country.")
                % {"most": MOST_HOSTS}
            ),
        )
    else:
        for index, raw in enumerate(raw_hosts):
            field = f"hosts[{index}]"
            place = read.place(field, raw)
            if not isinstance(raw, Mapping):
                continue
            kind = _Reader(raw)
            kind_value = kind.choice("kind", HOST_KINDS, default=HostKind.UNIVERSITY)
            read.problems.extend(
                Problem(f"{field}.{p.field}", p.message_sv, p.message_en) for p in kind.problems
            )
            name = raw.get("name") or ""
            if not is_text(name) or len(name) > 300:
                read.fail(f"{field}.name", lambda: gettext("Give the host's name as text."))
                name = ""
            if place is not None:
                hosts.append(Host(name=name.strip(), kind=kind_value, place=place))

    activity = read.choice("activity", ACTIVITIES)
    start = read.date("start")
    end = read.date("end")
    if start is not None and end is not None:
        if end < start:
            read.fail("end", lambda: gettext("The end date is before the start date."))
        elif (end - start).days >= MOST_DAYS:
            read.fail("end", lambda: gettext("A mobility cannot be a year long: check the dates."))
    virtual = data.get("virtual_part")
    if virtual is not None and (
        not isinstance(virtual, bool | int) or (not isinstance(virtual, bool) and virtual < 0)
    ):
        read.fail(
            "virtual_part",
            lambda: gettext("Give true or false, or the number of virtual days."),
        )
        virtual = None

    green_travel = read.boolean("green_travel")
    travel_days = read.whole_number("travel_days", 0, MOST_TRAVEL_DAYS)
    first_time = read.boolean("first_time")
    on_day = read.date("today", default=today) or today
    travel_sek = read.amount("travel_sek")
    accommodation_sek = read.amount("accommodation_sek")
    meals = read.choice("meals_provided", MEALS, default=Meals.NONE)
    inclusion = read.amount("inclusion_costs_eur")
    if read.problems or rates is None or origin is None or start is None or end is None:
        raise InvalidTrip(read.problems)
    return Trip(
        call_year=rates.call_year,
        origin=origin,
        hosts=tuple(hosts),
        activity=activity,
        start=start,
        end=end,
        today=on_day,
        green_travel=green_travel,
        travel_days=travel_days,
        virtual_part=bool(virtual),
        first_time=first_time,
        travel_sek=travel_sek,
        accommodation_sek=accommodation_sek,
        meals_provided=meals,
        inclusion_costs_eur=inclusion,
    )
