"""A plan as the rules engine reads it, and the engine's verdict on it.

The trip is built from the plan's own rows: each host's place with its coordinates, the
origin chosen, else the university's city of the call year. Looking cities up again by name
would cost a host in a small town from a bigger town of the same name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from utsikt.core.language import in_language
from utsikt.grants import estimates, presentation, rates
from utsikt.grants.eligibility import bilingual
from utsikt.grants.estimates import EstimateJSON
from utsikt.grants.gazetteer import point_of
from utsikt.grants.rates import RatesMissing
from utsikt.grants.trips import Problem, find_point
from utsikt.grants.values import MOST_TRAVEL_DAYS, Estimate, Host, Rates, Trip
from utsikt.mobility.models import Application, TravelMode


@dataclass(frozen=True, slots=True)
class Estimated:
    """The rules could read the plan: the verdict and the money."""

    estimate: Estimate


@dataclass(frozen=True, slots=True)
class Problems:
    """The plan cannot be estimated as it stands; each problem says what to fix."""

    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Incomplete:
    """No host or no dates yet: nothing to estimate."""


@dataclass(frozen=True, slots=True)
class NoRates:
    """The rates of the plan's call year are not entered (or are incomplete)."""

    call_year: int


type Verdict = Estimated | Problems | Incomplete | NoRates


def _problem(field: str, message: Callable[[], str]) -> Problem:
    return Problem(field, *bilingual(message))


def _no_city(host: str) -> Callable[[], str]:
    return lambda: (
        gettext(
            "The catalogue does not say in which city %(host)s is. Ask the International "
            "Office to add it."
        )
        % {"host": host}
    )


def _amount(value: Decimal | None) -> Decimal | None:
    """A cost entered, or None (also for 0) so that the rules estimate it."""
    return value if value else None


def trip_for(application: Application, rates: Rates) -> Trip | Problems | Incomplete:
    """The plan as the rules read it, or what keeps it from being one."""
    hosts = list(application.hosts.select_related("place"))
    if not hosts or application.start is None or application.end is None:
        return Incomplete()
    problems: list[Problem] = []
    for index, host in enumerate(hosts):
        if host.place is None:
            problems.append(_problem(f"hosts[{index}].city", _no_city(host.name)))
    travel_days = application.declared_travel_days
    if travel_days is not None and travel_days > MOST_TRAVEL_DAYS:
        problems.append(
            _problem(
                "travel_days",
                lambda: gettext("Give at most %(most)s travel days.") % {"most": MOST_TRAVEL_DAYS},
            )
        )
    institution = rates.institution
    origin = (
        point_of(application.origin)
        if application.origin is not None
        else find_point(institution.origin_city, institution.home_country)
    )
    if origin is None:
        problems.append(
            _problem(
                "origin",
                lambda: gettext(
                    "The university's city is not in the gazetteer. Tell the International Office."
                ),
            )
        )
    if problems or origin is None:
        return Problems(tuple(problems))
    opportunity = application.opportunity
    return Trip(
        call_year=rates.call_year,
        origin=origin,
        hosts=tuple(
            Host(name=host.name, kind=host.kind, place=point_of(host.place))
            for host in hosts
            if host.place is not None
        ),
        activity=application.activity,
        start=application.start,
        end=application.end,
        today=timezone.localdate(),
        green_travel=application.travel_mode in TravelMode.green(boats=rates.boats_are_green),
        travel_days=travel_days,
        virtual_part=bool(application.virtual_start or application.virtual_description),
        first_time=application.first_grant,
        travel_sek=_amount(application.travel_cost_sek),
        accommodation_sek=_amount(application.accommodation_cost_sek),
        # The staff week's fee is the department's to pay, as the opportunity gives it.
        fee=opportunity.fee if opportunity is not None and opportunity.fee else None,
        fee_currency=opportunity.currency if opportunity is not None else "EUR",
    )


def estimate(application: Application) -> Verdict:
    """The rules engine's verdict on the plan: the estimate, or what keeps it from one."""
    try:
        call = rates.for_call_year(application.call_year)
    except RatesMissing:
        return NoRates(application.call_year)
    trip = trip_for(application, call)
    if not isinstance(trip, Trip):
        return trip
    return Estimated(estimates.estimate(trip, call))


def _explained(result: EstimateJSON) -> dict[str, Any]:
    context: dict[str, Any] = {"rates_link": reverse("grants:estimate") + "#rates-heading"}
    with contextlib.suppress(RatesMissing):  # then the total alone is shown
        context["explained"] = presentation.explain(
            result, rates.for_call_year(result["call_year"])
        )
    return context


def shown(verdict: Verdict) -> dict[str, Any]:
    """What a page needs to show a fresh verdict with mobility/_estimate.html."""
    match verdict:
        case Estimated(estimate=found):
            result = estimates.as_json(found)
            return {"result": result, "explained": None, **_explained(result)}
        case Problems(problems=problems):
            return {
                "problems": [in_language(p.message_sv, p.message_en) for p in problems],
                "explained": None,
            }
        case NoRates(call_year=year):
            return {"rates_missing": year, "explained": None}
        case Incomplete():
            return {"result": None, "explained": None}


def shown_saved(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """What a page needs to show the estimate saved at submission; older snapshots that
    hold only a total show that."""
    result = estimates.full_snapshot(snapshot)
    if result is None:
        return {"saved_total": snapshot.get("total_eur"), "explained": None}
    return {"result": result, "explained": None, **_explained(result)}
