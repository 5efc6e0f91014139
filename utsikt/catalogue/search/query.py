"""The address of a search: the query, the filters, the sort and the page, read from request.GET."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from utsikt.catalogue.models import CATEGORY_CODES, LANGUAGE_CODES, TOPIC_CODES, Opportunity


class Sort(StrEnum):
    RELEVANCE = "relevance"
    START = "start"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class Filters:
    """What the visitor narrowed the catalogue to; empty tuples mean "any"."""

    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    months: tuple[datetime.date, ...] = ()
    kinds: tuple[str, ...] = ()
    fee: str = ""  # "free", "paid" or "" for either
    open_only: bool = False  # the application deadline has not passed
    partner_only: bool = False
    include_past: bool = False
    place: int | None = None

    @property
    def active(self) -> bool:
        return self != Filters(include_past=self.include_past)


class QueryData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


_ALLOWED = {
    "category": frozenset(CATEGORY_CODES),
    "topic": frozenset(TOPIC_CODES),
    "language": frozenset(LANGUAGE_CODES),
    "kind": frozenset(Opportunity.Kind.values),
}
_COUNTRY = re.compile(r"[A-Z]{2}")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def from_query(data: QueryData) -> tuple[str, Filters, Sort, int]:
    """The query, filters, sort and page of a search address (request.GET).

    Addresses get shared and bookmarked: a value that is not (or no longer) valid narrows
    nothing rather than turning the page into an error.
    """

    def codes(name: str) -> tuple[str, ...]:
        allowed = _ALLOWED[name]
        return tuple(dict.fromkeys(v for v in data.getlist(name)[:60] if v in allowed))

    months = []
    for value in data.getlist("month")[:24]:
        if match := _MONTH.fullmatch(value):
            months.append(datetime.date(int(match[1]), int(match[2]), 1))
    more = data.getlist("more")
    place = data.get("place") or ""
    page = data.get("page") or ""
    sort = data.get("sort") or ""
    filters = Filters(
        categories=codes("category"),
        countries=tuple(
            dict.fromkeys(c for c in data.getlist("country")[:60] if _COUNTRY.fullmatch(c))
        ),
        topics=codes("topic"),
        languages=codes("language"),
        months=tuple(dict.fromkeys(months)),
        kinds=codes("kind"),
        fee=fee if (fee := data.get("fee") or "") in {"free", "paid"} else "",
        open_only="open" in more,
        partner_only="partner" in more,
        include_past=bool(data.get("past")),
        place=int(place) if place.isdigit() and len(place) < 10 else None,
    )
    return (
        str(data.get("q") or "")[:200],
        filters,
        Sort(sort) if sort in Sort.__members__.values() else Sort.RELEVANCE,
        min(int(page), 100_000) if page.isdigit() and page != "0" and len(page) < 7 else 1,
    )
