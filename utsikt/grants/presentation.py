"""The rate table and the labels the "what can I get?" page shows, in the visitor's language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from utsikt.core import formatting
from utsikt.core.language import is_english
from utsikt.grants.estimates import DepartmentCostJSON, EstimateJSON, PlaceJSON
from utsikt.grants.values import Rates
from utsikt.grants.vocabulary import Meals

# The flags an estimate lists in `unverified`, as the page names them.
UNVERIFIED_LABELS: dict[str, Promise] = {
    "eligibility": _("which countries are destinations"),
    "country_group": _("the destination's country group"),
    "institution_exception": _("the university's exception for this country"),
    "distance_band": _("the travel grant of the distance band"),
    "daily_rate": _("the daily rate of individual support"),
    "reduced_rate": _("the reduced daily rate from day 15"),
    "per_diem": _("the daily allowance (normalbelopp) for the country"),
    "per_diem_rules": _("the rules for half days and free meals"),
    "exchange_rate": _("the exchange rate"),
}
MISSING_LABELS: dict[str, Promise] = {
    "per_diem": _("daily allowance"),
    "accommodation": _("accommodation"),
    "fee": _("the fee (no exchange rate for its currency)"),
}
# The meals as a sentence names them ("… at 1 000 kronor, breakfast provided").
MEAL_LABELS: dict[str, Promise] = {
    Meals.NONE: _("no meals provided"),
    Meals.BREAKFAST: _("breakfast provided"),
    Meals.LUNCH_OR_DINNER: _("lunch or dinner provided"),
    Meals.LUNCH_AND_DINNER: _("lunch and dinner provided"),
    Meals.ALL_MEALS: _("all meals provided"),
}


@dataclass(frozen=True)
class Row:
    """One line of the rule table: what, how much, whether confirmed, and where from."""

    label: str
    value: str
    verified: bool
    source: str


@dataclass(frozen=True)
class GroupRow:
    group: int
    eur: int
    countries: str
    verified: bool
    source: str


def _day(day: datetime.date, with_year: bool = True) -> str:
    return dateformat.format(day, "j F Y" if with_year else "j F")


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def rule_rows(rates: Rates) -> list[Row]:
    """The programme's and the university's rules of the call year, each with its source."""
    low, high = rates.programme_days.value
    own_low, own_high = rates.institution.days.value
    standard, green = rates.travel_days.value
    most, within = rates.institution.destinations.value
    share = formatting.number(rates.reduced_share.value * 100)
    windows = ", ".join(
        _day(datetime.date(2024, *w.opens), False)
        + "\u2013"
        + _day(datetime.date(2024, *w.closes), False)
        for w in rates.windows
    )
    rows = [
        Row(
            gettext("Project period of the call"),
            _day(rates.project_start) + " \u2013 " + _day(rates.project_end),
            rates.project_months.verified,
            rates.project_months.source,
        ),
        Row(
            gettext("Length, Erasmus+"),
            gettext("%(low)s to %(high)s days, travel not counted") % {"low": low, "high": high},
            rates.programme_days.verified,
            rates.programme_days.source,
        ),
        Row(
            gettext("Length, %(institution)s") % {"institution": rates.institution.name},
            gettext("%(low)s to %(high)s days, travel not counted")
            % {"low": own_low, "high": own_high},
            rates.institution.days.verified,
            rates.institution.days.source,
        ),
        Row(
            gettext("Job shadowing, usually granted"),
            gettext("at most %(days)s")
            % {"days": _days(rates.institution.job_shadowing_usual_days.value)},
            rates.institution.job_shadowing_usual_days.verified,
            rates.institution.job_shadowing_usual_days.source,
        ),
        Row(
            gettext("Funded travel days"),
            gettext("%(standard)s with standard travel, up to %(green)s with green travel")
            % {"standard": standard, "green": green},
            rates.travel_days.verified,
            rates.travel_days.source,
        ),
        Row(
            gettext("Reduced daily rate"),
            (
                gettext("%(share)s %% of the daily rate from funded day %(day)s")
                if rates.reduction_counts_travel_days
                else gettext("%(share)s %% of the daily rate from activity day %(day)s")
            )
            % {"share": share, "day": rates.reduced_from_day.value},
            rates.reduced_share.verified,
            rates.reduced_share.source,
        ),
        Row(
            gettext("Inclusion support to the university"),
            gettext("%(eur)s euros per participant with fewer opportunities")
            % {"eur": rates.inclusion_organisation_eur.value},
            rates.inclusion_organisation_eur.verified,
            rates.inclusion_organisation_eur.source,
        ),
        Row(
            gettext("More than one host"),
            gettext("at most %(most)s, in the same city or less than %(km)s km apart")
            % {"most": most, "km": within},
            rates.institution.destinations.verified,
            rates.institution.destinations.source,
        ),
        Row(
            gettext("Applications"),
            gettext("%(windows)s; a decision takes up to %(days)s")
            % {"windows": windows, "days": _days(rates.institution.decision_lead_days.value)},
            all(w.verified for w in rates.windows)
            and rates.institution.decision_lead_days.verified,
            "\n".join(
                dict.fromkeys(
                    [
                        *(w.source for w in rates.windows),
                        rates.institution.decision_lead_days.source,
                    ]
                )
            ),
        ),
    ]
    if rates.institution.excludes_diplomatic_missions.value:
        rows.append(
            Row(
                gettext("Embassies and consulates"),
                gettext("not funded as hosts by %(institution)s")
                % {"institution": rates.institution.name},
                rates.institution.excludes_diplomatic_missions.verified,
                rates.institution.excludes_diplomatic_missions.source,
            )
        )
    if rates.institution.first_time_priority.value:
        rows.append(
            Row(
                gettext("Priority"),
                gettext("staff who have not had a grant before"),
                rates.institution.first_time_priority.verified,
                rates.institution.first_time_priority.source,
            )
        )
    for country in sorted(rates.countries.values(), key=lambda c: c.name):
        minimum = country.exception_min_working_days
        if not country.eligible.value and minimum.value is not None:
            rows.append(
                Row(
                    country.name,
                    gettext("funded by %(institution)s itself, at least %(days)s working days")
                    % {"institution": rates.institution.name, "days": minimum.value},
                    minimum.verified,
                    minimum.source,
                )
            )
    euro = rates.euro_rates[0] if rates.euro_rates else None
    if euro is not None:
        rows.append(
            Row(
                gettext("Exchange rate"),
                gettext("%(sek)s kronor per euro from %(date)s")
                % {
                    "sek": formatting.number(euro.eur_sek, 2),
                    "date": _day(euro.date),
                },
                euro.verified,
                euro.source,
            )
        )
    return rows


def group_rows(rates: Rates) -> list[GroupRow]:
    """Daily rates by country group, with the destinations in each group."""
    rows = []
    for group, rate in sorted(rates.daily_rates.items()):
        members = sorted(
            c.name
            for c in rates.countries.values()
            if c.group.value == group
            and (c.eligible.value or c.exception_min_working_days.value is not None)
            and c.iso2 != rates.institution.home_country
        )
        rows.append(GroupRow(group, rate.value, ", ".join(members), rate.verified, rate.source))
    return rows


def net_in_words(cost: DepartmentCostJSON) -> str:
    """The net cost said in words: none when parts are missing (it would mislead), and a
    grant larger than the cost said as such rather than as a negative cost."""
    if cost["missing"]:
        return ""
    if cost["net_sek"] < 0:
        return gettext("Erasmus+ covers %(amount)s more than the estimated cost") % {
            "amount": formatting.money(-cost["net_sek"], "SEK")
        }
    return ""


def _band(label: str) -> str:
    """A band's label ("2000-2999") as every other range is written: "2 000–2 999"."""
    low, _, high = label.partition("-")
    if not (low.isdigit() and high.isdigit()):
        return label
    return formatting.number_range(int(low), int(high))


def explain(result: EstimateJSON, rates: Rates) -> dict[str, Any]:
    """What the page shows beside an estimate's figures: names and labels in the language."""
    english = is_english()

    def city(place: PlaceJSON) -> str:
        return place["city"] if english else place["city_sv"]

    country = rates.countries.get(result["destination"]["country"])
    cost = result["department_cost"]
    return {
        "origin": city(result["origin"]),
        "destination": city(result["destination"]),
        "band": _band(result["band"]),
        "country": country.name if country else result["destination"]["country"],
        "unverified": [UNVERIFIED_LABELS[key] for key in result["unverified"]],
        "missing": [MISSING_LABELS[key] for key in cost["missing"]],
        "net_words": net_in_words(cost),
        "meals": MEAL_LABELS[cost["meals_provided"]],
        "reduced_share": formatting.number(rates.reduced_share.value * 100),
        "reduced_from_day": rates.reduced_from_day.value,
        "findings": [
            {
                "severity": f["severity"],
                "code": f["code"],
                "message": f["message_en"] if english else f["message_sv"],
            }
            for f in result["findings"]
        ],
    }
