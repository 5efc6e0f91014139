"""The frozen values the rules and the money work on: a trip, the rates of a call year, findings.

Nothing here touches the database: `rates.for_call_year` and `trips.parse` build these from
it, and `eligibility` and `calculation` only read them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from utsikt.core.language import in_language
from utsikt.grants.vocabulary import Activity, HostKind, Meals

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

HOST_KINDS = tuple(HostKind.values)
ACTIVITIES = tuple(Activity.values)
MEALS = tuple(Meals.values)
# Travel days a trip may declare, there and back: far above what any call year funds, only
# to catch a mistyped number.
MOST_TRAVEL_DAYS = 30


@functools.cache
def project_start(call_year: int) -> datetime.date:
    """Erasmus+ KA131 projects start on 1 June of their call year."""
    return datetime.date(call_year, 6, 1)


def call_year_for(day: datetime.date) -> int:
    """The call year whose project a day falls in first: from 1 June on, that year's."""
    return day.year if day >= project_start(day.year) else day.year - 1


@dataclass(frozen=True, slots=True)
class Rule[T]:
    """One value of the rules with where it comes from."""

    value: T
    source: str
    verified: bool


# Finding, Grant, DepartmentCost and Estimate are named tuples rather than frozen
# dataclasses: one of each is built for every estimate, and a frozen dataclass sets each field
# through object.__setattr__ (2 us for a Grant, a tenth of a whole estimate); a tuple is as
# immutable and built at once. Inputs (Trip, Rates) stay dataclasses: tests replace() them.
class Finding(NamedTuple):
    """One verdict on a trip: a stable code, a severity, and what to do in both languages."""

    code: str
    severity: str
    message_sv: str
    message_en: str


def is_eligible(findings: Iterable[Finding]) -> bool:
    """Eligible unless a finding is an error."""
    return all(f.severity != ERROR for f in findings)


@dataclass(frozen=True, slots=True)
class Point:
    """A city with its coordinates."""

    city: str
    country: str
    latitude: float
    longitude: float
    city_sv: str = ""

    @property
    def name(self) -> str:
        """The Swedish name on Swedish pages when there is one (Aten), else the name."""
        return in_language(self.city_sv, self.city)


@dataclass(frozen=True, slots=True)
class Host:
    """A receiving organisation: what kind it is and where."""

    name: str
    kind: str
    place: Point


# Monday to Friday among the first `rest` days (0-6) from a weekday (Monday 0):
# WORKING_DAYS_IN_PART_WEEK[weekday][rest].
WORKING_DAYS_IN_PART_WEEK = tuple(
    tuple(sum(1 for d in range(rest) if (first + d) % 7 < 5) for rest in range(7))
    for first in range(7)
)


@dataclass(frozen=True, slots=True)
class Trip:
    """One planned mobility as the traveller describes it."""

    call_year: int
    origin: Point
    hosts: tuple[Host, ...]
    activity: str
    start: datetime.date
    end: datetime.date
    today: datetime.date
    green_travel: bool = False
    travel_days: int | None = None  # declared; None means the standard two
    virtual_part: bool = False
    first_time: bool = False
    travel_sek: Decimal | None = None
    accommodation_sek: Decimal | None = None
    meals_provided: str = Meals.NONE
    inclusion_costs_eur: Decimal | None = None
    # A staff week's or course's registration fee, in the organiser's currency.
    fee: Decimal | None = None
    fee_currency: str = "EUR"

    @property
    def destination(self) -> Host:
        return self.hosts[0]

    @property
    def activity_days(self) -> int:
        """Calendar days of the activity, first and last included, travel excluded."""
        return (self.end - self.start).days + 1

    @property
    def working_days(self) -> int:
        """Monday to Friday within the activity."""
        full_weeks, rest = divmod(self.activity_days, 7)
        return full_weeks * 5 + WORKING_DAYS_IN_PART_WEEK[self.start.weekday()][rest]

    @property
    def declared_travel_days(self) -> int:
        return 2 if self.travel_days is None else self.travel_days


@dataclass(frozen=True, slots=True)
class Band:
    """Travel support for one band of one-way distance (EUR for the return trip)."""

    min_km: int
    max_km: int | None
    standard_eur: int
    green_eur: int | None
    source: str
    verified: bool

    @property
    def label(self) -> str:
        return f"{self.min_km}+" if self.max_km is None else f"{self.min_km}-{self.max_km}"

    def contains(self, km: Decimal) -> bool:
        # Whole kilometres bound the bands: 99.5 km is still in 10-99, 100 km is not.
        return self.min_km <= km and (self.max_km is None or km < self.max_km + 1)

    def amount(self, green: bool) -> int:
        if green and self.green_eur is not None:
            return self.green_eur
        return self.standard_eur


@dataclass(frozen=True, slots=True)
class CountryTerms:
    """A country's standing in a call year."""

    iso2: str
    name_sv: str
    name_en: str
    eligible: Rule[bool]
    group: Rule[int | None]
    exception_min_working_days: Rule[int | None]

    @property
    def name(self) -> str:
        return in_language(self.name_sv, self.name_en)


@dataclass(frozen=True, slots=True)
class Window:
    """An application window, by month and day, every year."""

    opens: tuple[int, int]
    closes: tuple[int, int]
    source: str
    verified: bool

    def contains(self, day: datetime.date) -> bool:
        key = (day.month, day.day)
        if self.opens <= self.closes:
            return self.opens <= key <= self.closes
        return key >= self.opens or key <= self.closes  # a window across New Year

    def next_opening(self, day: datetime.date) -> datetime.date:
        for year in (day.year, day.year + 1):
            opening = datetime.date(year, *self.opens)
            if opening > day:
                return opening
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class InstitutionTerms:
    """The sending university's own limits; the stricter of these and the programme's applies."""

    name: str
    home_country: str
    origin_city: str
    days: Rule[tuple[int, int]]  # minimum, maximum
    job_shadowing_usual_days: Rule[int]
    decision_lead_days: Rule[int]
    destinations: Rule[tuple[int, int]]  # most hosts, less than this many km apart
    excludes_diplomatic_missions: Rule[bool]
    first_time_priority: Rule[bool]


@dataclass(frozen=True, slots=True)
class PerDiemRate:
    """Skatteverket's normalbelopp for a country and tax year (SEK per day)."""

    country: str
    year: int
    sek: int
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class AllowanceRules:
    """How days and free meals count against the normalbelopp in a tax year."""

    year: int
    half_day_share: Decimal
    night_share: Decimal
    reductions: Mapping[str, Decimal]  # by MEALS
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class EuroRate:
    """SEK per EUR from a date on."""

    date: datetime.date
    eur_sek: Decimal
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Rates:
    """Everything the rules and the money need for one call year."""

    call_year: int
    project_months: Rule[int]
    programme_days: Rule[tuple[int, int]]  # minimum, maximum
    travel_days: Rule[tuple[int, int]]  # funded with standard travel, with green travel
    reduced_from_day: Rule[int]
    reduced_share: Rule[Decimal]
    reduction_counts_travel_days: bool
    inclusion_organisation_eur: Rule[int]
    bands: tuple[Band, ...]
    daily_rates: Mapping[int, Rule[int]]
    countries: Mapping[str, CountryTerms]
    institution: InstitutionTerms
    windows: tuple[Window, ...]
    per_diems: Mapping[str, tuple[PerDiemRate, ...]] = field(default_factory=dict)  # newest first
    allowance_rules: tuple[AllowanceRules, ...] = ()  # newest first
    euro_rates: tuple[EuroRate, ...] = ()  # newest first
    boats_are_green: bool = False  # ships are not green travel unless the call year says so

    @property
    def project_start(self) -> datetime.date:
        return project_start(self.call_year)

    @property
    def project_end(self) -> datetime.date:
        """The last day of the project: `project_months` months from its start, less a day."""
        return _project_end(self.call_year, self.project_months.value)


@functools.cache
def _project_end(call_year: int, months: int) -> datetime.date:
    # Asked for every trip checked: remembered, since a few call years have a few lengths.
    start = project_start(call_year)
    months = start.month - 1 + months
    after = datetime.date(start.year + months // 12, months % 12 + 1, 1)
    return after - datetime.timedelta(days=1)


class Grant(NamedTuple):
    """What Erasmus+ pays for a trip, in whole euros, and how it was reached."""

    distance_km: Decimal
    band: Band
    travel_eur: int
    activity_days: int
    declared_travel_days: int
    funded_travel_days: int
    funded_days: int
    daily_rate_eur: int
    full_rate_days: int
    reduced_rate_days: int
    individual_support_eur: int
    inclusion_eur: int
    total_eur: int


class DepartmentCost(NamedTuple):
    """What the department pays (SEK), what it gets back, and the difference."""

    eur_sek: Decimal
    eur_sek_date: datetime.date
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
    cost_sek: int  # the known parts: see `missing`
    grant_sek: int
    net_sek: int
    missing: tuple[str, ...]  # parts without a rate: the real cost is higher
    fee_sek: int | None = None  # None without a fee, or when its currency has no rate
    fee: Decimal | None = None
    fee_currency: str = "EUR"

    @property
    def complete(self) -> bool:
        return not self.missing


class Estimate(NamedTuple):
    """The verdict and the money for one trip."""

    trip: Trip
    findings: tuple[Finding, ...]
    grant: Grant
    department: DepartmentCost
    unverified: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return is_eligible(self.findings)
