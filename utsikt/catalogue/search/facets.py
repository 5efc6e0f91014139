"""Filters and facets: one condition per facet group, and the counts behind every value.

Facets are disjunctive: ticking Portugal still shows how many there are in Spain. All the
counts come from one statement that finds the matches once (`counts_for`), so a cold page costs
the same few queries at 100 rows as at 100,000.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.fields import CodeSetField
from utsikt.catalogue.models import (
    CATEGORY_CODES,
    LANGUAGE_CODES,
    TOPIC_CODES,
    Language,
    Opportunity,
    Topic,
)
from utsikt.catalogue.search.query import Filters
from utsikt.core.language import is_english
from utsikt.grants.models import Country


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One group of filters (a fieldset), with a count for each value."""

    name: str
    legend: str
    values: list[FacetValue]


@dataclass
class Counts:
    """The numbers behind the facets, language-free so that they can be cached."""

    total: int = 0
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    countries: list[tuple[str, str, str, int]] = field(default_factory=list)
    months: list[tuple[datetime.date, int]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)


def listed(filters: Filters, today: datetime.date) -> QuerySet[Opportunity]:
    """What is listed before any facet narrows it: upcoming (or all) and in the chosen city."""
    if filters.include_past:
        queryset = Opportunity.objects.listed()
    else:
        queryset = Opportunity.objects.upcoming(today)
    if filters.place:
        queryset = queryset.filter(place_id=filters.place)
    return queryset


def _open(today: datetime.date) -> Q:
    return Q(deadline__gte=today) | Q(deadline__isnull=True, start_date__gt=today)


def conditions_for(filters: Filters, today: datetime.date) -> dict[str, Q]:
    """One condition per facet group that has something ticked."""
    found: dict[str, Q] = {}
    if filters.categories:
        found["category"] = Q(staff_categories__has_any=list(filters.categories))
    if filters.topics:
        found["topic"] = Q(topics__has_any=list(filters.topics))
    if filters.languages:
        found["language"] = Q(languages__has_any=list(filters.languages))
    if filters.countries:
        found["country"] = Q(country_id__in=filters.countries)
    if filters.months:
        found["month"] = Q(start_month__in=filters.months)
    if filters.kinds:
        found["kind"] = Q(kind__in=filters.kinds)
    if filters.fee == "free":
        found["fee"] = Q(fee=0)
    elif filters.fee == "paid":
        found["fee"] = Q(fee__gt=0)
    if filters.open_only:
        found["open"] = _open(today)
    if filters.partner_only:
        found["partner"] = Q(partner_until__gte=today.year)
    return found


def all_but(conditions: dict[str, Q], group: str) -> Q:
    """Every group's condition but this one's ("" for all): what its own counts are under."""
    combined = Q()
    for name, condition in conditions.items():
        if name != group:
            combined &= condition
    return combined


CODE_GROUPS = {
    "category": ("staff_categories", CATEGORY_CODES),
    "topic": ("topics", TOPIC_CODES),
    "language": ("languages", LANGUAGE_CODES),
}


def _flag_conditions(today: datetime.date) -> dict[str, tuple[str, Q]]:
    return {
        "free": ("fee", Q(fee=0)),
        "paid": ("fee", Q(fee__gt=0)),
        "open": ("open", _open(today)),
        "partner": ("partner", Q(partner_until__gte=today.year)),
    }


def counts_for(matched: QuerySet[Opportunity], filters: Filters, today: datetime.date) -> Counts:
    """Total and facet counts in one statement that finds the matches once.

    The matching rows' facet columns, with whether each ticked group's condition holds, are
    materialised once (the full-text match runs once, not once per count); one pass of
    conditional counts over them gives the total, every code, kind and flag, and two small
    GROUP BYs over the same rows the countries and months. A value's count is taken under
    every group's condition but its own (disjunctive facets).
    """
    conditions = conditions_for(filters, today)
    flags = _flag_conditions(today)
    columns: dict[str, Any] = {
        "f_country": F("country_id"),
        "f_month": F("start_month"),
        "f_kind": F("kind"),
    }
    columns |= {f"f_{group}": F(field_name) for group, (field_name, _c) in CODE_GROUPS.items()}
    columns |= {f"g_{group}": _boolean(condition) for group, condition in conditions.items()}
    columns |= {f"h_{flag}": _boolean(own) for flag, (_group, own) in flags.items()}
    inner, inner_params = matched.values(**columns).order_by().query.sql_with_params()

    def under(group: str) -> str:
        """The ticked groups' conditions but this group's, as SQL over the materialised rows."""
        own = [f"g_{name}" for name in conditions if name != group]
        return " AND ".join(own) if own else "1 = 1"

    aggregates = [f"COUNT(*) FILTER (WHERE {under('')})"]
    params: list[Any] = []
    for group, (field_name, codes) in CODE_GROUPS.items():
        code_set = Opportunity._meta.get_field(field_name)
        assert isinstance(code_set, CodeSetField)
        bits = code_set.bits
        for code in codes:
            aggregates.append(f"COUNT(*) FILTER (WHERE (f_{group} & %s) <> 0 AND {under(group)})")
            params.append(bits[code])
    for kind in Opportunity.Kind.values:
        aggregates.append(f"COUNT(*) FILTER (WHERE f_kind = %s AND {under('kind')})")
        params.append(kind)
    for flag, (group, _own) in flags.items():
        aggregates.append(f"COUNT(*) FILTER (WHERE h_{flag} AND {under(group)})")
    padding = ", NULL" * (len(aggregates) - 1)
    sql = f"""
        WITH m AS MATERIALIZED ({inner})
        SELECT 'all', NULL, CAST(NULL AS DATE), {", ".join(aggregates)} FROM m
        UNION ALL
        SELECT 'country', f_country, CAST(NULL AS DATE), COUNT(*){padding} FROM m
        WHERE {under("country")} GROUP BY f_country
        UNION ALL
        SELECT 'month', NULL, f_month, COUNT(*){padding} FROM m
        WHERE {under("month")} GROUP BY f_month
    """  # noqa: S608 - the interpolated parts are fixed SQL and Django's compiled query
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params])
        rows = cursor.fetchall()

    counts = Counts()
    names = country_names()
    months: list[tuple[datetime.date, int]] = []
    for tag, country, month, *numbers in rows:
        if tag == "all":
            found = iter(numbers)
            counts.total = next(found)
            for group, (_field, codes) in CODE_GROUPS.items():
                counts.codes[group] = {code: next(found) for code in codes}
            counts.kinds = {kind: next(found) for kind in Opportunity.Kind.values}
            counts.flags = {flag: next(found) for flag in flags}
        elif tag == "country":
            counts.countries.append((country, *names.get(country, (country,) * 2), numbers[0]))
        elif month:  # a draft without dates has no month (and is never listed)
            if isinstance(month, str):  # SQLite hands dates back as text
                month = datetime.date.fromisoformat(month)
            months.append((month, numbers[0]))
    counts.months = sorted(months)
    return counts


def _boolean(condition: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(condition, output_field=BooleanField())


@functools.cache
def country_names() -> dict[str, tuple[str, str]]:
    """Swedish and English names by ISO code: reference data, read once per process."""
    return {c.iso2: (c.name_sv, c.name_en) for c in Country.objects.all()}


def _month_label(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def build_facets(counts: Counts, filters: Filters) -> list[Facet]:
    """The facet groups in the active language; values with no match are left out."""
    english = is_english()

    def coded(name: str, group: str, labels: dict[str, Any], chosen: tuple[str, ...]) -> Facet:
        values = [
            FacetValue(code, str(labels[code]), n, code in chosen)
            for code, n in counts.codes[group].items()
            if (n or code in chosen) and code in labels
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        return Facet(name, "", values)

    category = coded("category", "category", dict(StaffCategory.choices), filters.categories)
    topic = coded("topic", "topic", dict(Topic.choices), filters.topics)
    language = coded("language", "language", dict(Language.choices), filters.languages)
    countries = sorted(
        (
            FacetValue(iso2, name_en if english else name_sv, n, iso2 in filters.countries)
            for iso2, name_sv, name_en, n in counts.countries
        ),
        key=lambda v: v.label,
    )
    months = [
        FacetValue(m.strftime("%Y-%m"), _month_label(m), n, m in filters.months)
        for m, n in counts.months
    ]
    kinds = [
        FacetValue(kind, str(label), counts.kinds.get(kind, 0), kind in filters.kinds)
        for kind, label in Opportunity.Kind.choices
        if counts.kinds.get(kind) or kind in filters.kinds
    ]
    flags = counts.flags
    fee = [
        FacetValue("free", str(_("No fee")), flags.get("free", 0), filters.fee == "free"),
        FacetValue("paid", str(_("With a fee")), flags.get("paid", 0), filters.fee == "paid"),
    ]
    open_and_partner = [
        FacetValue("open", str(_("Deadline not passed")), flags.get("open", 0), filters.open_only),
        FacetValue(
            "partner",
            str(_("Partner organisations only")),
            flags.get("partner", 0),
            filters.partner_only,
        ),
    ]
    return [
        replace(category, legend=str(_("Staff category"))),
        Facet("country", str(_("Country")), countries),
        replace(topic, legend=str(_("Topic"))),
        Facet("month", str(_("Month")), months),
        Facet("kind", str(_("Type")), kinds),
        replace(language, legend=str(_("Working language"))),
        Facet("fee", str(_("Fee")), fee),
        Facet("more", str(_("Applications and partners")), open_and_partner),
    ]
