"""A search nobody asked before: its facet counts, its page and what it costs in queries.

The counts come from one statement that finds the matches once, and on SQLite a relevance
page is first looked for among the matches with the words in their title; both must give
what counting and ranking every match gives.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from utsikt.catalogue import search
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.catalogue.search import engines

from .conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]


@pytest.fixture
def no_cache() -> Any:
    search.cache.enabled = False
    yield
    search.cache.enabled = True


def _varied(make_opportunity: MakeOpportunity, make_host: MakeHost, count: int) -> None:
    madrid = make_host(name="Complutense", country="ES", city="Madrid")
    categories = [("librarian",), ("it_technician",), ("librarian", "hr"), ("economist",)]
    topics = [("library",), ("it",), ("library", "finance"), ("international",)]
    for number in range(count):
        make_opportunity(
            host=madrid if number % 3 == 0 else None,
            title_en="Library week" if number % 2 else "Staff week",
            description_en="Libraries and open science." if number % 4 else "Workshops.",
            staff_categories=categories[number % 4],
            topics=topics[number % 3],
            languages=("en", "es") if number % 5 == 0 else ("en",),
            kind="course" if number % 4 == 1 else "staff_week",
            fee=Decimal(100) if number % 3 == 1 else Decimal(0),
            start=TODAY + datetime.timedelta(days=20 + 17 * number),
            deadline=TODAY - datetime.timedelta(days=1) if number % 6 == 0 else None,
        )


def test_each_facet_count_is_the_total_that_ticking_its_value_gives(
    make_opportunity: MakeOpportunity, make_host: MakeHost, no_cache: None
) -> None:
    _varied(make_opportunity, make_host, 24)
    for query, filters in [
        ("library", search.Filters()),
        ("library", search.Filters(countries=("ES",), open_only=True)),
        ("", search.Filters(categories=("librarian",), fee="free")),
    ]:
        result = search.search(query, filters, correct=False)
        assert result.total > 0
        for facet in result.facets():
            for value in facet.values:
                if value.selected:
                    continue
                ticked = _ticked(filters, facet.name, value.value)
                expected = search.search(query, ticked, correct=False).total
                assert value.count == expected, (query, facet.name, value.value)


def _ticked(filters: search.Filters, name: str, value: str) -> search.Filters:
    """The filters with this value the only one ticked in its group (a facet's count is
    what its value gives under the other groups' choices)."""
    from dataclasses import replace

    if name == "fee":
        return replace(filters, fee=value)
    if name == "more":
        return replace(filters, **{"open_only" if value == "open" else "partner_only": True})
    if name == "month":
        month = datetime.date.fromisoformat(value + "-01")
        return replace(filters, months=(month,))
    field = {"category": "categories", "country": "countries", "topic": "topics"}.get(name, "")
    field = field or {"language": "languages", "kind": "kinds"}[name]
    return replace(filters, **{field: (value,)})


def _queries(query: str, filters: search.Filters, page: int = 1) -> int:
    with CaptureQueriesContext(connection) as captured:
        search.search(query, filters, page=page, revision=None, correct=False)
    return len(captured)


def test_a_first_time_search_costs_the_same_queries_for_no_one_and_many_matches(
    make_opportunity: MakeOpportunity, make_host: MakeHost, no_cache: None
) -> None:
    filters = search.Filters(categories=("librarian",))
    make_opportunity(title_en="Lighthouse week", staff_categories=("librarian",))
    _queries("library", filters)  # reference data and the search terms, read once
    none, one = _queries("zebra", filters), _queries("lighthouse", filters)
    _varied(make_opportunity, make_host, 60)
    assert search.search("library", filters, revision=None).total > 20
    many = [_queries("library", filters, page) for page in (1, 2)]
    assert none == one == many[0] == many[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 ranks pages on SQLite only")
def test_a_page_found_among_title_matches_is_the_page_of_every_match_ranked(
    make_opportunity: MakeOpportunity, monkeypatch: pytest.MonkeyPatch, no_cache: None
) -> None:
    for number in range(18):
        make_opportunity(
            title_en=f"Library week {number}",
            description_en="Libraries. " * (number % 5) + "A week at the library.",
        )
    for number in range(4):
        make_opportunity(title_en=f"Staff week {number}", description_en="Library, library. " * 6)
    # A word after a bracket is a title word to FTS5 but not to the title test: these are
    # found with the titles but must be ranked with the rest (after the short descriptions,
    # for their long ones).
    for number in range(3):
        make_opportunity(
            title_en=f"Week {number} (library)", description_en="Workshops all day. " * 120
        )

    def pages(query: str) -> list[list[str]]:
        return [
            [o.title for o in search.search(query, page=page, revision=None).rows]
            for page in (1, 2, 3)
        ]

    shortcut = pages("library"), pages("library week")
    monkeypatch.setattr(engines, "fts5_title_query", lambda firsts: "")
    assert (pages("library"), pages("library week")) == shortcut
    assert [title.split()[0] for title in shortcut[0][0]] == ["Library"] * 18 + ["Staff"] * 2
