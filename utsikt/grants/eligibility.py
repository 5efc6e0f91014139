"""The rules: is a trip eligible, and what should the traveller do? Pure functions.

`check(trip, rates)` returns findings. Each has a stable code (for tests, the API and the
application later), a severity (an error makes the trip ineligible; a warning needs attention;
an info tells), and a message in Swedish and English that says what to do.

Codes:
    country_not_eligible, country_institution_exception, exception_too_short,
    host_eu_institution, host_eu_programme_body, host_diplomatic_mission, host_in_home_country,
    conference_not_eligible, too_short, too_long_programme, too_long_institution,
    job_shadowing_longer_than_usual, too_many_destinations, hosts_too_far_apart,
    two_hosts_nearby, start_date_passed, decision_may_come_too_late,
    outside_application_window, outside_call_year_period, virtual_part_not_funded,
    first_time_priority, travel_days_capped, no_travel_grant_nearby, inclusion_support
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import dateformat, translation
from django.utils.translation import trans_real

from utsikt.core import formatting
from utsikt.grants.calculation import Plan, great_circle_km, plan_for
from utsikt.grants.values import (
    ERROR,
    INFO,
    SEVERITIES,
    WARNING,
    Band,
    Finding,
    Host,
    Point,
    Rates,
    Trip,
    Window,
)
from utsikt.grants.vocabulary import Activity, HostKind

DASH = "\u2013"  # an en dash between dates
CODES = (
    "country_not_eligible",
    "country_institution_exception",
    "exception_too_short",
    "host_eu_institution",
    "host_eu_programme_body",
    "host_diplomatic_mission",
    "host_in_home_country",
    "conference_not_eligible",
    "too_short",
    "too_long_programme",
    "too_long_institution",
    "job_shadowing_longer_than_usual",
    "too_many_destinations",
    "hosts_too_far_apart",
    "two_hosts_nearby",
    "start_date_passed",
    "decision_may_come_too_late",
    "outside_application_window",
    "outside_call_year_period",
    "virtual_part_not_funded",
    "first_time_priority",
    "travel_days_capped",
    "no_travel_grant_nearby",
    "inclusion_support",
)


# A rule's verdict before its message is written: the code, the severity, the function that
# writes the message and the values it writes it with.
Draft = tuple[str, str, Callable[..., str], tuple[Any, ...]]

# The programme never funds training at these (Erasmus+ Programme Guide, KA131 staff).
PROGRAMME_EXCLUDED_KINDS = frozenset({HostKind.EU_INSTITUTION, HostKind.EU_PROGRAMME_BODY})
# The kinds of host the rules may have something to say about.
KINDS_WITH_FINDINGS = PROGRAMME_EXCLUDED_KINDS | {HostKind.DIPLOMATIC_MISSION}
SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(SEVERITIES)}

# Messages already written, by writer and values: a message depends on nothing else (the
# catalogue of translations and the number formats are fixed for the process), and most
# trips repeat the messages of others, so a batch switches languages only for new ones.
_WRITTEN: dict[Draft, Finding] = {}
_MOST_WRITTEN = 10_000  # then start again: a bound on memory (a few MB), not a policy


def host_kind_fundable(kind: str, rates: Rates | None) -> bool:
    """Whether Erasmus+ may fund training at a host of this kind under a call year's rules
    (None: no call year has rules yet, so only the programme's own exclusions apply)."""
    if kind in PROGRAMME_EXCLUDED_KINDS:
        return False
    excludes_missions = rates is not None and rates.institution.excludes_diplomatic_missions.value
    return not (kind == HostKind.DIPLOMATIC_MISSION and excludes_missions)


def country_fundable(iso2: str, rates: Rates | None) -> bool:
    """Whether Erasmus+ staff training can be funded in a country under a call year's rules:
    an eligible destination or one the institution funds by exception (None: no call year has
    rules yet, so nothing is ruled out)."""
    if rates is None:
        return True
    country = rates.countries.get(iso2)
    if country is None:
        return False
    return bool(country.eligible.value) or country.exception_min_working_days.value is not None


def bilingual(say: Callable[[], str]) -> tuple[str, str]:
    """What `say` writes in Swedish and in English."""
    with translation.override("sv"):
        swedish = say()
    with translation.override("en"):
        english = say()
    return swedish, english


def _draft(code: str, severity: str, say: Callable[..., str], *values: Any) -> Draft:
    return (code, severity, say, values)


# The rules' messages are written from each language's catalogue, not by switching Django's
# active language: two switches and a dozen readings of the active language (an asgiref
# Local, slower still outside a request, where none is active) cost more than the rest of an
# estimate, and a batch writes a new message for about one trip in ten. `_write` names the
# language here, per thread; the messages' functions below read it through `gettext`,
# `ngettext`, `_in_language`, `_km` and `_date`, which only `_write` calls.
_writing = threading.local()


def _write(says: list[Callable[[], str]]) -> list[tuple[str, str]]:
    """Write every message in Swedish, then every one in English."""
    texts = []
    for language in ("sv", "en"):
        _writing.language = language
        _writing.catalogue = trans_real.translation(language)
        texts.append([say() for say in says])
    return list(zip(*texts, strict=True))


# Named as Django's, so that makemessages finds the texts they are given.
def gettext(message: str) -> str:
    """Django's gettext in the language being written."""
    text: str = _writing.catalogue.gettext(message)
    return text


def ngettext(singular: str, plural: str, number: int) -> str:
    """Django's ngettext in the language being written."""
    text: str = _writing.catalogue.ngettext(singular, plural, number)
    return text


def _in_language(swedish: str, english: str) -> str:
    """As core.language.in_language, in the language being written."""
    if _writing.language == "en":
        return english or swedish
    return swedish or english


def _names(point: Point) -> tuple[str, str]:
    """A city's names for `_in_language`, which then writes it as `Point.name` does."""
    return (point.city_sv, point.city)


def _findings(drafts: list[Draft]) -> list[Finding]:
    """The drafts as findings, writing only the messages not written before.

    A finding is remembered whole, by its draft: it is an immutable tuple, so every trip with
    the same verdict shares one instead of building its own.
    """
    written = _WRITTEN
    if len(written) >= _MOST_WRITTEN:
        written.clear()  # before asking what is missing, so that none of these goes with it
    findings = []
    for draft in drafts:
        finding = written.get(draft)
        if finding is None:
            break
        findings.append(finding)
    else:
        return findings  # every message written before: the common case
    new = [draft for draft in drafts if draft not in written]
    if new:
        new = list(dict.fromkeys(new))
        texts = _write([functools.partial(say, *values) for _c, _s, say, values in new])
        for draft, (swedish, english) in zip(new, texts, strict=True):
            written[draft] = Finding(draft[0], draft[1], swedish, english)
    return [written[draft] for draft in drafts]


def _km(value: Decimal, decimals: int = 0) -> str:
    """A distance as `formatting.number` writes it, remembered per language and rounded value
    (most messages that name a distance are new, but their distances repeat)."""
    rounded = value.quantize(_PLACES[decimals], rounding=ROUND_HALF_UP)
    return _number(_writing.language, rounded, decimals)


_PLACES = (Decimal(1), Decimal("0.1"))


# Django formats numbers and dates in the active language: switched to only for a value not
# formatted before.
@functools.lru_cache(maxsize=8192)
def _number(language: str, rounded: Decimal, decimals: int) -> str:
    with translation.override(language):
        return formatting.number(rounded, decimals)


@functools.lru_cache(maxsize=8192)
def _format(language: str, day: datetime.date, style: str) -> str:
    with translation.override(language):
        return dateformat.format(day, style)


def _date(day: datetime.date, style: str = "j F Y") -> str:
    """A date the way the language writes it ("4 maj 2026", "4 May 2026")."""
    return _format(_writing.language, day, style)


def check(trip: Trip, rates: Rates) -> list[Finding]:
    """Every finding for the trip under the rules of its call year, errors first."""
    plan = plan_for(rates)
    distance, band = plan.distance_and_band(trip.origin, trip.hosts[0].place)
    return check_in(trip, plan, distance, band)


def check_in(trip: Trip, plan: Plan, distance: Decimal, band: Band) -> list[Finding]:
    """`check` under a plan, for the distance and band the trip's places give."""
    # Each rule adds its drafts; the messages are written after all rules ran, from the
    # values each rule kept.
    rates = plan.rates
    drafts: list[Draft] = []
    _destination(trip, plan, drafts)
    _hosts(trip, plan, drafts)
    _activity(trip, drafts)
    _duration(trip, plan, drafts)
    _dates(trip, plan, drafts)
    _travel(trip, plan, distance, band, drafts)
    _notes(trip, rates, drafts)
    if len(drafts) > 1:
        drafts.sort(key=lambda draft: SEVERITY_ORDER[draft[1]])
    return _findings(drafts)


def _destination(trip: Trip, plan: Plan, drafts: list[Draft]) -> None:
    hosts = trip.hosts
    if len(hosts) == 1:
        code = hosts[0].place.country
        if code not in plan.eligible_countries:  # else nothing to say, as _country finds
            _country(code, trip, plan.rates, drafts)
        return
    for code in dict.fromkeys(host.place.country for host in hosts):
        if code not in plan.eligible_countries:
            _country(code, trip, plan.rates, drafts)


def _country(code: str, trip: Trip, rates: Rates, drafts: list[Draft]) -> None:
    institution = rates.institution.name
    country = rates.countries.get(code)
    # The country's name in both languages, so that its message can be written in either.
    names = (country.name_sv, country.name_en) if country is not None else (code, code)

    if code == rates.institution.home_country:
        drafts.append(_draft("host_in_home_country", ERROR, _say_host_in_home_country, names))
        return
    if country is not None and country.eligible.value:
        return
    minimum = country.exception_min_working_days.value if country is not None else None
    if minimum is None:
        drafts.append(
            _draft("country_not_eligible", ERROR, _say_country_not_eligible, names, rates.call_year)
        )
    elif trip.working_days < minimum:
        drafts.append(
            _draft(
                "exception_too_short",
                ERROR,
                _say_exception_too_short,
                institution,
                names,
                minimum,
                trip.working_days,
            )
        )
    else:
        drafts.append(
            _draft(
                "country_institution_exception",
                INFO,
                _say_country_institution_exception,
                names,
                institution,
                minimum,
            )
        )


def _say_host_in_home_country(names: tuple[str, str]) -> str:
    return gettext(
        "The host is in %(country)s, the university's own country. Erasmus+ staff "
        "training takes you abroad: choose a host in another programme country."
    ) % {"country": _in_language(*names)}


def _say_country_not_eligible(names: tuple[str, str], year: int) -> str:
    return gettext(
        "%(country)s is not a destination in the %(year)s call. Erasmus+ staff "
        "training goes to the EU member states and to Iceland, Liechtenstein, North "
        "Macedonia, Norway, Serbia and Türkiye: choose a host in one of them."
    ) % {"country": _in_language(*names), "year": year}


def _say_exception_too_short(
    institution: str, names: tuple[str, str], minimum: int, actual: int
) -> str:
    return ngettext(
        "%(institution)s funds trips to %(country)s only for at least %(days)s "
        "working day; yours has %(actual)s. Extend the stay or choose a programme "
        "country.",
        "%(institution)s funds trips to %(country)s only for at least %(days)s "
        "working days; yours has %(actual)s. Extend the stay or choose a programme "
        "country.",
        minimum,
    ) % {
        "institution": institution,
        "country": _in_language(*names),
        "days": minimum,
        "actual": actual,
    }


def _say_country_institution_exception(
    names: tuple[str, str], institution: str, minimum: int
) -> str:
    return ngettext(
        "%(country)s is outside the programme, but %(institution)s funds a few "
        "trips there from its own Erasmus+ allocation, for at least %(days)s working "
        "day. A university host needs a bilateral agreement with us: ask the "
        "International Office early.",
        "%(country)s is outside the programme, but %(institution)s funds a few "
        "trips there from its own Erasmus+ allocation, for at least %(days)s working "
        "days. A university host needs a bilateral agreement with us: ask the "
        "International Office early.",
        minimum,
    ) % {"country": _in_language(*names), "institution": institution, "days": minimum}


def _hosts(trip: Trip, plan: Plan, drafts: list[Draft]) -> None:
    hosts = trip.hosts
    if len(hosts) > 1:
        _host_kinds({host.kind for host in hosts}, plan.rates, drafts)
    elif hosts[0].kind in KINDS_WITH_FINDINGS:  # else nothing to say, as _host_kinds finds
        _host_kinds({hosts[0].kind}, plan.rates, drafts)

    most, within_km = plan.most_hosts, plan.hosts_within_km
    if len(hosts) > most:
        drafts.append(
            _draft("too_many_destinations", ERROR, _say_too_many_destinations, most, within_km)
        )
    elif len(hosts) > 1:
        _apart(hosts, within_km, drafts)


def _host_kinds(kinds: set[str], rates: Rates, drafts: list[Draft]) -> None:
    institution = rates.institution.name
    if HostKind.EU_INSTITUTION in kinds:
        drafts.append(_draft("host_eu_institution", ERROR, _say_host_eu_institution))
    if HostKind.EU_PROGRAMME_BODY in kinds:
        drafts.append(_draft("host_eu_programme_body", ERROR, _say_host_eu_programme_body))
    if HostKind.DIPLOMATIC_MISSION in kinds and not host_kind_fundable(
        HostKind.DIPLOMATIC_MISSION, rates
    ):
        drafts.append(
            _draft("host_diplomatic_mission", ERROR, _say_host_diplomatic_mission, institution)
        )


def _apart(hosts: tuple[Host, ...], within_km: int, drafts: list[Draft]) -> None:
    """Whether more than one host makes one destination: the same city, or near enough."""
    first = hosts[0].place
    others = [host.place for host in hosts[1:]]
    distances = [great_circle_km(first, other) for other in others]
    apart = max(distances)
    same_city = all((other.city, other.country) == (first.city, first.country) for other in others)
    if same_city or apart < within_km:
        drafts.append(_draft("two_hosts_nearby", INFO, _say_two_hosts_nearby, within_km))
    else:
        far = others[distances.index(apart)]  # the first host that far
        # The cities by their names, as `_country` does the countries: a draft is looked up
        # by its values, and a tuple of names hashes faster than a place.
        drafts.append(
            _draft(
                "hosts_too_far_apart",
                ERROR,
                _say_hosts_too_far_apart,
                _names(first),
                _names(far),
                apart,
                within_km,
            )
        )


def _say_host_eu_institution() -> str:
    return gettext(
        "Erasmus+ does not fund training at EU institutions. Choose another host, such "
        "as a university, a library or a company."
    )


def _say_host_eu_programme_body() -> str:
    return gettext(
        "Erasmus+ does not fund training at organisations that manage EU programmes, "
        "such as national agencies. Choose another host."
    )


def _say_host_diplomatic_mission(institution: str) -> str:
    return gettext(
        "%(institution)s does not fund training at embassies or consulates. Choose another host."
    ) % {"institution": institution}


def _say_too_many_destinations(most: int, within_km: int) -> str:
    return ngettext(
        "A mobility has one destination: at most %(most)s host, in the same city or "
        "less than %(km)s km apart. Make one application per destination.",
        "A mobility has one destination: at most %(most)s hosts, in the same city or "
        "less than %(km)s km apart. Make one application per destination.",
        most,
    ) % {"most": most, "km": within_km}


def _say_two_hosts_nearby(within_km: int) -> str:
    return gettext(
        "More than one host is fine here: they are in the same city or less than "
        "%(km)s km apart. The grant is calculated from the first host."
    ) % {"km": within_km}


def _say_hosts_too_far_apart(
    first: tuple[str, str], far: tuple[str, str], apart: Decimal, within_km: int
) -> str:
    return gettext(
        "%(first)s and %(second)s are %(distance)s km apart; hosts must be in the "
        "same city or less than %(km)s km apart. Make one application per host."
    ) % {
        "first": _in_language(*first),
        "second": _in_language(*far),
        "distance": _km(apart),
        "km": within_km,
    }


def _activity(trip: Trip, drafts: list[Draft]) -> None:
    if trip.activity == Activity.CONFERENCE:
        drafts.append(_draft("conference_not_eligible", ERROR, _say_conference_not_eligible))
    if trip.virtual_part:
        drafts.append(_draft("virtual_part_not_funded", INFO, _say_virtual_part_not_funded))


def _say_conference_not_eligible() -> str:
    return gettext(
        "Conferences are not eligible for Erasmus+ staff training. A staff week, a "
        "course, job shadowing or a study visit is: ask the host what they offer."
    )


def _say_virtual_part_not_funded() -> str:
    return gettext(
        "The virtual part is welcome but earns no grant: only the days you spend at the "
        "host are funded."
    )


def _duration(trip: Trip, plan: Plan, drafts: list[Draft]) -> None:
    days = (trip.end - trip.start).days + 1  # trip.activity_days
    programme_max, institution_max = plan.programme_max_days, plan.institution_max_days
    minimum = plan.minimum_days
    if days < minimum:
        drafts.append(_draft("too_short", ERROR, _say_too_short, days, minimum))
    if days > programme_max:
        drafts.append(
            _draft("too_long_programme", ERROR, _say_too_long_programme, days, programme_max)
        )
    elif days > institution_max:
        drafts.append(
            _draft(
                "too_long_institution",
                ERROR,
                _say_too_long_institution,
                days,
                plan.rates.institution.name,
                institution_max,
            )
        )
    usual = plan.job_shadowing_usual_days
    if trip.activity == Activity.JOB_SHADOWING and usual < days <= min(
        programme_max, institution_max
    ):
        drafts.append(
            _draft(
                "job_shadowing_longer_than_usual",
                WARNING,
                _say_job_shadowing_longer_than_usual,
                usual,
                days,
            )
        )


def _say_too_short(days: int, minimum: int) -> str:
    return ngettext(
        "The activity lasts %(days)s day, but it must last at least %(min)s days, "
        "travel not counted. Extend it.",
        "The activity lasts %(days)s days, but it must last at least %(min)s days, "
        "travel not counted. Extend it.",
        days,
    ) % {"days": days, "min": minimum}


def _say_too_long_programme(days: int, maximum: int) -> str:
    return gettext(
        "The activity lasts %(days)s days; Erasmus+ funds at most %(max)s days, travel "
        "not counted. Shorten it."
    ) % {"days": days, "max": maximum}


def _say_too_long_institution(days: int, institution: str, maximum: int) -> str:
    return gettext(
        "The activity lasts %(days)s days; %(institution)s grants at most %(max)s "
        "days, travel not counted. Shorten it."
    ) % {"days": days, "institution": institution, "max": maximum}


def _say_job_shadowing_longer_than_usual(usual: int, days: int) -> str:
    return gettext(
        "Job shadowing is usually granted for at most %(usual)s days; yours lasts "
        "%(days)s. Explain in the application why you need longer, or shorten it."
    ) % {"usual": usual, "days": days}


def _dates(trip: Trip, plan: Plan, drafts: list[Draft]) -> None:
    rates = plan.rates
    lead = plan.decision_lead_days
    ahead = (trip.start - trip.today).days
    if ahead <= 0:
        drafts.append(_draft("start_date_passed", ERROR, _say_start_date_passed, trip.start))
    elif ahead < lead:
        drafts.append(
            _draft(
                "decision_may_come_too_late", WARNING, _say_decision_may_come_too_late, ahead, lead
            )
        )
    if rates.windows:
        # Remembered per day for these rates: a batch checks many trips planned on one day.
        key = ("outside_application_window", trip.today)
        window: Draft | None
        if key in plan.known:
            window = plan.known[key]
        else:
            outside = _outside_windows(rates.windows, trip.today)
            window = plan.remember(
                key,
                None
                if outside is None
                else _draft(
                    "outside_application_window",
                    WARNING,
                    _say_outside_application_window,
                    *outside,
                ),
            )
        if window is not None:
            drafts.append(window)
    first, last = plan.project_start, plan.project_end
    if trip.start < first or trip.end > last:
        drafts.append(
            _draft(
                "outside_call_year_period",
                WARNING,
                _say_outside_call_year_period,
                rates.call_year,
                first,
                last,
            )
        )


def _outside_windows(
    windows: tuple[Window, ...], today: datetime.date
) -> tuple[tuple[tuple[tuple[int, int], tuple[int, int]], ...], datetime.date] | None:
    """None on a day within a window; else the windows from the next one on, and its opening."""
    if any(w.contains(today) for w in windows):
        return None
    ordered = sorted(windows, key=lambda w: w.next_opening(today))
    return tuple((w.opens, w.closes) for w in ordered), ordered[0].next_opening(today)


def _say_start_date_passed(start: datetime.date) -> str:
    return gettext(
        "The mobility starts on %(start)s, which is not after today. The grant must be "
        "decided before you leave and cannot be applied for afterwards: choose later "
        "dates."
    ) % {"start": _date(start)}


def _say_decision_may_come_too_late(ahead: int, lead: int) -> str:
    return ngettext(
        "The mobility starts in %(days)s day, and a decision can take up to %(lead)s "
        "days. Apply at once and tell the International Office, or choose later dates.",
        "The mobility starts in %(days)s days, and a decision can take up to %(lead)s "
        "days. Apply at once and tell the International Office, or choose later dates.",
        ahead,
    ) % {"days": ahead, "lead": lead}


def _say_outside_application_window(
    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...], opening: datetime.date
) -> str:
    # Any leap year will do: only the day and the month are shown.
    windows = gettext(" and ").join(
        _date(datetime.date(2024, *opens), "j F")
        + DASH
        + _date(datetime.date(2024, *closes), "j F")
        for opens, closes in spans
    )
    return gettext(
        "Applications are taken %(windows)s. You can prepare yours now; it will be "
        "handled from %(opens)s."
    ) % {"windows": windows, "opens": _date(opening)}


def _say_outside_call_year_period(year: int, first: datetime.date, last: datetime.date) -> str:
    return gettext(
        "The %(year)s call funds mobilities from %(first)s to %(last)s, and your dates "
        "fall outside. Choose the call year that covers them."
    ) % {"year": year, "first": _date(first), "last": _date(last)}


def _travel(trip: Trip, plan: Plan, distance: Decimal, band: Band, drafts: list[Draft]) -> None:
    standard, green = plan.standard_travel_days, plan.green_travel_days
    declared = 2 if trip.travel_days is None else trip.travel_days
    if trip.green_travel and declared > green:
        drafts.append(
            _draft("travel_days_capped", WARNING, _say_green_travel_days_capped, declared, green)
        )
    elif not trip.green_travel and declared > standard:
        drafts.append(
            _draft(
                "travel_days_capped",
                WARNING,
                _say_standard_travel_days_capped,
                declared,
                standard,
                green,
            )
        )
    if band.amount(trip.green_travel) == 0:
        limit = band.max_km + 1 if band.max_km is not None else band.min_km
        drafts.append(
            _draft(
                "no_travel_grant_nearby",
                INFO,
                _say_no_travel_grant_nearby,
                distance,
                _names(trip.origin),
                limit,
            )
        )


def _say_green_travel_days_capped(declared: int, cap: int) -> str:
    return gettext(
        "You declared %(declared)s travel days; even with green travel at most %(cap)s "
        "are funded, so the grant counts %(cap)s."
    ) % {"declared": declared, "cap": cap}


def _say_standard_travel_days_capped(declared: int, cap: int, green: int) -> str:
    return gettext(
        "You declared %(declared)s travel days; with standard travel at most %(cap)s "
        "are funded, so the grant counts %(cap)s. Travelling green (train, bus, "
        "car-sharing) funds up to %(green)s."
    ) % {"declared": declared, "cap": cap, "green": green}


def _say_no_travel_grant_nearby(distance: Decimal, origin: tuple[str, str], limit: int) -> str:
    return gettext(
        "The host is %(distance)s km from %(origin)s, less than %(km)s km, so there is "
        "no travel grant. Individual support is paid as usual."
    ) % {"distance": _km(distance, 1), "origin": _in_language(*origin), "km": limit}


def _notes(trip: Trip, rates: Rates, drafts: list[Draft]) -> None:
    if trip.first_time and rates.institution.first_time_priority.value:
        drafts.append(_draft("first_time_priority", INFO, _say_first_time_priority))
    if trip.inclusion_costs_eur:
        drafts.append(
            _draft(
                "inclusion_support",
                INFO,
                _say_inclusion_support,
                rates.inclusion_organisation_eur.value,
            )
        )


def _say_first_time_priority() -> str:
    return gettext("You have not had an Erasmus+ grant before, so your application has priority.")


def _say_inclusion_support(eur: int) -> str:
    return gettext(
        "Extra costs because of fewer opportunities, such as a disability, are covered "
        "at real cost with a justification. The International Office applies for them, "
        "and the university also receives %(eur)s euros for organising the support."
    ) % {"eur": eur}
