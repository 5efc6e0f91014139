"""Filters and facets: one condition per facet group, and the counts behind every value.

Facets are disjunctive: ticking Portugal still shows how many there are in Spain. The counts
are taken from bitmaps of every facet value read once per catalogue revision (bitmaps.py) and
the bitmap of a search's matches, so a cold page costs the same few queries at 100 rows as at
100,000, and counting costs the same for ten matches as for ninety thousand.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import Language, Opportunity, Topic
from utsikt.catalogue.search import bitmaps
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
    flags = bitmaps.flag_conditions(today)  # the same conditions the counts are kept by
    if filters.fee in ("free", "paid"):
        found["fee"] = flags[filters.fee]
    if filters.open_only:
        found["open"] = flags["open"]
    if filters.partner_only:
        found["partner"] = flags["partner"]
    return found


def all_but(conditions: dict[str, Q], group: str) -> Q:
    """Every group's condition but this one's ("" for all): what its own counts are under."""
    combined = Q()
    for name, condition in conditions.items():
        if name != group:
            combined &= condition
    return combined


def counts_for(found: bitmaps.Bitmaps, matches: int | None, filters: Filters) -> Counts:
    """Total and facet counts of the matches (a bitmap of ids; None: no words, all match).

    A value's count is taken under every ticked group's condition but its own (disjunctive
    facets); each is an AND of bitmaps and a bit count (bitmaps.py), so counting costs the
    same for ten matches as for ninety thousand.
    """
    base = bitmaps.within(found, filters)
    if matches is not None:
        base &= matches
    conditions = bitmaps.conditions(found, filters)

    def under(group: str) -> int:
        return _under(base, conditions, group)

    counts = Counts(total=under("").bit_count())
    for group in bitmaps.CODE_FIELDS:
        selected = under(group)
        by_code = found.codes[group]
        counts.codes[group] = {
            code: (selected & by_code[code]).bit_count() for code in bitmaps.code_bits(group)
        }
    selected = under("kind")
    counts.kinds = {
        kind: (selected & found.kinds.get(kind, 0)).bit_count() for kind in Opportunity.Kind.values
    }
    for flag, group in bitmaps.FLAG_GROUPS.items():
        counts.flags[flag] = (under(group) & found.flags[flag]).bit_count()
    names = country_names()
    selected = under("country")
    for country in sorted(found.countries):
        n = (selected & found.countries[country]).bit_count()
        if n:
            counts.countries.append((country, *names.get(country, (country,) * 2), n))
    selected = under("month")
    for month in sorted(found.months):
        n = (selected & found.months[month]).bit_count()
        if n:
            counts.months.append((month, n))
    return counts


def _under(base: int, conditions: dict[str, int], group: str) -> int:
    """The matches under every ticked group's condition but this group's ("" for all)."""
    selected = base
    for name, condition in conditions.items():
        if name != group:
            selected &= condition
    return selected


def selected(found: bitmaps.Bitmaps, matches: int | None, filters: Filters) -> int:
    """The matches (None: no words, all match) under every ticked filter, as a bitmap: what
    the total counts and a page is taken from."""
    base = bitmaps.within(found, filters)
    if matches is not None:
        base &= matches
    return _under(base, bitmaps.conditions(found, filters), "")


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
