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
from collections.abc import Callable, Iterator

from django.utils import dateformat, translation
from django.utils.translation import get_language, gettext, ngettext

from utsikt.core import formatting
from utsikt.grants.calculation import band_for, great_circle_km
from utsikt.grants.values import ERROR, INFO, SEVERITIES, WARNING, Finding, Rates, Trip
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


Draft = tuple[str, str, Callable[[], str]]  # code, severity, what writes the message

# The programme never funds training at these (Erasmus+ Programme Guide, KA131 staff).
PROGRAMME_EXCLUDED_KINDS = frozenset({HostKind.EU_INSTITUTION, HostKind.EU_PROGRAMME_BODY})


def host_kind_fundable(kind: str, rates: Rates | None) -> bool:
    """Whether Erasmus+ may fund training at a host of this kind under a call year's rules
    (None: no call year has rules yet, so only the programme's own exclusions apply)."""
    if kind in PROGRAMME_EXCLUDED_KINDS:
        return False
    excludes_missions = rates is not None and rates.institution.excludes_diplomatic_missions.value
    return not (kind == HostKind.DIPLOMATIC_MISSION and excludes_missions)


def bilingual(say: Callable[[], str]) -> tuple[str, str]:
    """What `say` writes in Swedish and in English."""
    (written,) = _write([("", INFO, say)])
    return written.message_sv, written.message_en


def _draft(code: str, severity: str, say: Callable[[], str]) -> Draft:
    return (code, severity, say)


def _write(drafts: list[Draft]) -> list[Finding]:
    """Write every message in Swedish, then every one in English: two language switches."""
    with translation.override("sv"):
        swedish = [say() for _code, _severity, say in drafts]
    with translation.override("en"):
        english = [say() for _code, _severity, say in drafts]
    return [
        Finding(code=code, severity=severity, message_sv=sv, message_en=en)
        for (code, severity, _say), sv, en in zip(drafts, swedish, english, strict=True)
    ]


def _km(value: formatting.Number, decimals: int = 0) -> str:
    return formatting.number(value, decimals)


@functools.lru_cache(maxsize=8192)
def _format(language: str | None, day: datetime.date, style: str) -> str:
    return dateformat.format(day, style)


def _date(day: datetime.date, style: str = "j F Y") -> str:
    """A date the way the language writes it ("4 maj 2026", "4 May 2026")."""
    return _format(get_language(), day, style)


def check(trip: Trip, rates: Rates) -> list[Finding]:
    """Every finding for the trip under the rules of its call year, errors first."""
    # The messages are written after all rules ran; each rule's closure keeps its own values.
    drafts = [
        *_destination(trip, rates),
        *_hosts(trip, rates),
        *_activity(trip),
        *_duration(trip, rates),
        *_dates(trip, rates),
        *_travel(trip, rates),
        *_notes(trip, rates),
    ]
    return _write(sorted(drafts, key=lambda draft: SEVERITIES.index(draft[1])))


def _destination(trip: Trip, rates: Rates) -> Iterator[Draft]:
    for code in dict.fromkeys(host.place.country for host in trip.hosts):
        yield from _country(code, trip, rates)


def _country(code: str, trip: Trip, rates: Rates) -> Iterator[Draft]:
    institution = rates.institution.name
    country = rates.countries.get(code)

    def name() -> str:
        return country.name if country is not None else code

    if code == rates.institution.home_country:
        yield _draft(
            "host_in_home_country",
            ERROR,
            lambda: (
                gettext(
                    "The host is in %(country)s, the university's own country. Erasmus+ staff "
                    "training takes you abroad: choose a host in another programme country."
                )
                % {"country": name()}
            ),
        )
        return
    if country is not None and country.eligible.value:
        return
    minimum = country.exception_min_working_days.value if country is not None else None
    if minimum is None:
        yield _draft(
            "country_not_eligible",
            ERROR,
            lambda: (
                gettext(
                    "%(country)s is not a destination in the %(year)s call. Erasmus+ staff "
                    "training goes to the EU member states and to Iceland, Liechtenstein, North "
                    "Macedonia, Norway, Serbia and Türkiye: choose a host in one of them."
                )
                % {"country": name(), "year": rates.call_year}
            ),
        )
    elif trip.working_days < minimum:
        yield _draft(
            "exception_too_short",
            ERROR,
            lambda: (
                ngettext(
                    "%(institution)s funds trips to %(country)s only for at least %(days)s "
                    "working day; yours has %(actual)s. Extend the stay or choose a programme "
                    "country.",
                    "%(institution)s funds trips to %(country)s only for at least %(days)s "
                    "working days; yours has %(actual)s. Extend the stay or choose a programme "
                    "country.",
                    minimum,
                )
                % {
                    "institution": institution,
                    "country": name(),
                    "days": minimum,
                    "actual": trip.working_days,
                }
            ),
        )
    else:
        yield _draft(
            "country_institution_exception",
            INFO,
            lambda: (
                ngettext(
                    "%(country)s is outside the programme, but %(institution)s funds a few "
                    "trips there from its own Erasmus+ allocation, for at least %(days)s working "
                    "day. A university host needs a bilateral agreement with us: ask the "
                    "International Office early.",
                    "%(country)s is outside the programme, but %(institution)s funds a few "
                    "trips there from its own Erasmus+ allocation, for at least %(days)s working "
                    "days. A university host needs a bilateral agreement with us: ask the "
                    "International Office early.",
                    minimum,
                )
                % {"country": name(), "institution": institution, "days": minimum}
            ),
        )


def _hosts(trip: Trip, rates: Rates) -> Iterator[Draft]:
    institution = rates.institution.name
    kinds = {host.kind for host in trip.hosts}
    if HostKind.EU_INSTITUTION in kinds:
        yield _draft(
            "host_eu_institution",
            ERROR,
            lambda: gettext(
                "Erasmus+ does not fund training at EU institutions. Choose another host, such "
                "as a university, a library or a company."
            ),
        )
    if HostKind.EU_PROGRAMME_BODY in kinds:
        yield _draft(
            "host_eu_programme_body",
            ERROR,
            lambda: gettext(
                "Erasmus+ does not fund training at organisations that manage EU programmes, "
                "such as national agencies. Choose another host."
            ),
        )
    if HostKind.DIPLOMATIC_MISSION in kinds and not host_kind_fundable(
        HostKind.DIPLOMATIC_MISSION, rates
    ):
        yield _draft(
            "host_diplomatic_mission",
            ERROR,
            lambda: (
                gettext(
                    "%(institution)s does not fund training at embassies or consulates. Choose "
                    "another host."
                )
                % {"institution": institution}
            ),
        )

    most, within_km = rates.institution.destinations.value
    if len(trip.hosts) > most:
        yield _draft(
            "too_many_destinations",
            ERROR,
            lambda: (
                ngettext(
                    "A mobility has one destination: at most %(most)s host, in the same city or "
                    "less than %(km)s km apart. Make one application per destination.",
                    "A mobility has one destination: at most %(most)s hosts, in the same city or "
                    "less than %(km)s km apart. Make one application per destination.",
                    most,
                )
                % {"most": most, "km": within_km}
            ),
        )
    elif len(trip.hosts) > 1:
        first, *others = (host.place for host in trip.hosts)
        apart = max(great_circle_km(first, other) for other in others)
        same_city = all(
            (other.city, other.country) == (first.city, first.country) for other in others
        )
        if same_city or apart < within_km:
            yield _draft(
                "two_hosts_nearby",
                INFO,
                lambda: (
                    gettext(
                        "More than one host is fine here: they are in the same city or less than "
                        "%(km)s km apart. The grant is calculated from the first host."
                    )
                    % {"km": within_km}
                ),
            )
        else:
            far = next(o for o in others if great_circle_km(first, o) == apart)
            yield _draft(
                "hosts_too_far_apart",
                ERROR,
                lambda: (
                    gettext(
                        "%(first)s and %(second)s are %(distance)s km apart; hosts must be in the "
                        "same city or less than %(km)s km apart. Make one application per host."
                    )
                    % {
                        "first": first.name,
                        "second": far.name,
                        "distance": _km(apart),
                        "km": within_km,
                    }
                ),
            )


def _activity(trip: Trip) -> Iterator[Draft]:
    if trip.activity == Activity.CONFERENCE:
        yield _draft(
            "conference_not_eligible",
            ERROR,
            lambda: gettext(
                "Conferences are not eligible for Erasmus+ staff training. A staff week, a "
                "course, job shadowing or a study visit is: ask the host what they offer."
            ),
        )
    if trip.virtual_part:
        yield _draft(
            "virtual_part_not_funded",
            INFO,
            lambda: gettext(
                "The virtual part is welcome but earns no grant: only the days you spend at the "
                "host are funded."
            ),
        )


def _duration(trip: Trip, rates: Rates) -> Iterator[Draft]:
    days = trip.activity_days
    programme_min, programme_max = rates.programme_days.value
    institution_min, institution_max = rates.institution.days.value
    # Where the programme and the university differ, the stricter limit applies.
    minimum = max(programme_min, institution_min)
    if days < minimum:
        yield _draft(
            "too_short",
            ERROR,
            lambda: (
                ngettext(
                    "The activity lasts %(days)s day, but it must last at least %(min)s days, "
                    "travel not counted. Extend it.",
                    "The activity lasts %(days)s days, but it must last at least %(min)s days, "
                    "travel not counted. Extend it.",
                    days,
                )
                % {"days": days, "min": minimum}
            ),
        )
    if days > programme_max:
        yield _draft(
            "too_long_programme",
            ERROR,
            lambda: (
                gettext(
                    "The activity lasts %(days)s days; Erasmus+ funds at most %(max)s days, travel "
                    "not counted. Shorten it."
                )
                % {"days": days, "max": programme_max}
            ),
        )
    elif days > institution_max:
        yield _draft(
            "too_long_institution",
            ERROR,
            lambda: (
                gettext(
                    "The activity lasts %(days)s days; %(institution)s grants at most %(max)s "
                    "days, travel not counted. Shorten it."
                )
                % {"days": days, "institution": rates.institution.name, "max": institution_max}
            ),
        )
    usual = rates.institution.job_shadowing_usual_days.value
    if trip.activity == Activity.JOB_SHADOWING and usual < days <= min(
        programme_max, institution_max
    ):
        yield _draft(
            "job_shadowing_longer_than_usual",
            WARNING,
            lambda: (
                gettext(
                    "Job shadowing is usually granted for at most %(usual)s days; yours lasts "
                    "%(days)s. Explain in the application why you need longer, or shorten it."
                )
                % {"usual": usual, "days": days}
            ),
        )


def _dates(trip: Trip, rates: Rates) -> Iterator[Draft]:
    lead = rates.institution.decision_lead_days.value
    ahead = (trip.start - trip.today).days
    if ahead <= 0:
        yield _draft(
            "start_date_passed",
            ERROR,
            lambda: (
                gettext(
                    "The mobility starts on %(start)s, which is not after today. The grant must be "
                    "decided before you leave and cannot be applied for afterwards: choose later "
                    "dates."
                )
                % {"start": _date(trip.start)}
            ),
        )
    elif ahead < lead:
        yield _draft(
            "decision_may_come_too_late",
            WARNING,
            lambda: (
                ngettext(
                    "The mobility starts in %(days)s day, and a decision can take up to %(lead)s "
                    "days. Apply at once and tell the International Office, or choose later dates.",
                    "The mobility starts in %(days)s days, and a decision can take up to %(lead)s "
                    "days. Apply at once and tell the International Office, or choose later dates.",
                    ahead,
                )
                % {"days": ahead, "lead": lead}
            ),
        )
    if rates.windows and not any(w.contains(trip.today) for w in rates.windows):
        opening = min(w.next_opening(trip.today) for w in rates.windows)

        def windows() -> str:
            # Any leap year will do: only the day and the month are shown.
            spans = [
                _date(datetime.date(2024, *w.opens), "j F")
                + DASH
                + _date(datetime.date(2024, *w.closes), "j F")
                for w in sorted(rates.windows, key=lambda w: w.next_opening(trip.today))
            ]
            return gettext(" and ").join(spans)

        yield _draft(
            "outside_application_window",
            WARNING,
            lambda: (
                gettext(
                    "Applications are taken %(windows)s. You can prepare yours now; it will be "
                    "handled from %(opens)s."
                )
                % {"windows": windows(), "opens": _date(opening)}
            ),
        )
    if trip.start < rates.project_start or trip.end > rates.project_end:
        yield _draft(
            "outside_call_year_period",
            WARNING,
            lambda: (
                gettext(
                    "The %(year)s call funds mobilities from %(first)s to %(last)s, and your dates "
                    "fall outside. Choose the call year that covers them."
                )
                % {
                    "year": rates.call_year,
                    "first": _date(rates.project_start),
                    "last": _date(rates.project_end),
                }
            ),
        )


def _travel(trip: Trip, rates: Rates) -> Iterator[Draft]:
    standard, green = rates.travel_days.value
    declared = trip.declared_travel_days
    if trip.green_travel and declared > green:
        yield _draft(
            "travel_days_capped",
            WARNING,
            lambda: (
                gettext(
                    "You declared %(declared)s travel days; even with green travel at most %(cap)s "
                    "are funded, so the grant counts %(cap)s."
                )
                % {"declared": declared, "cap": green}
            ),
        )
    elif not trip.green_travel and declared > standard:
        yield _draft(
            "travel_days_capped",
            WARNING,
            lambda: (
                gettext(
                    "You declared %(declared)s travel days; with standard travel at most %(cap)s "
                    "are funded, so the grant counts %(cap)s. Travelling green (train, bus, "
                    "car-sharing) funds up to %(green)s."
                )
                % {"declared": declared, "cap": standard, "green": green}
            ),
        )
    distance = great_circle_km(trip.origin, trip.destination.place)
    band = band_for(distance, rates.bands)
    if band.amount(trip.green_travel) == 0:
        limit = band.max_km + 1 if band.max_km is not None else band.min_km
        yield _draft(
            "no_travel_grant_nearby",
            INFO,
            lambda: (
                gettext(
                    "The host is %(distance)s km from %(origin)s, less than %(km)s km, so there is "
                    "no travel grant. Individual support is paid as usual."
                )
                % {"distance": _km(distance, 1), "origin": trip.origin.name, "km": limit}
            ),
        )


def _notes(trip: Trip, rates: Rates) -> Iterator[Draft]:
    if trip.first_time and rates.institution.first_time_priority.value:
        yield _draft(
            "first_time_priority",
            INFO,
            lambda: gettext(
                "You have not had an Erasmus+ grant before, so your application has priority."
            ),
        )
    if trip.inclusion_costs_eur:
        yield _draft(
            "inclusion_support",
            INFO,
            lambda: (
                gettext(
                    "Extra costs because of fewer opportunities, such as a disability, are covered "
                    "at real cost with a justification. The International Office applies for them, "
                    "and the university also receives %(eur)s euros for organising the support."
                )
                % {"eur": rates.inclusion_organisation_eur.value}
            ),
        )
