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

from utsikt.catalogue import curation, search
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.catalogue.search import engines, synonyms

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
    # The matches under the filters found again in SQL (as for many), not handed over.
    monkeypatch.setattr(engines, "AS_JSON", 0)
    assert (pages("library"), pages("library week")) == shortcut
    monkeypatch.setattr(engines, "fts5_title_query", lambda firsts: "")
    assert (pages("library"), pages("library week")) == shortcut
    monkeypatch.setattr(engines, "AS_JSON", 10_000)
    assert (pages("library"), pages("library week")) == shortcut
    assert [title.split()[0] for title in shortcut[0][0]] == ["Library"] * 18 + ["Staff"] * 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 ranks pages on SQLite only")
def test_titles_read_in_rank_order_give_the_page_of_every_match_ranked(
    make_opportunity: MakeOpportunity, monkeypatch: pytest.MonkeyPatch, no_cache: None
) -> None:
    # A word after a bracket is in the title to FTS5 but not to the title test: these short
    # ones rank best by bm25 and must still come after every title with the word.
    for number in range(3):
        make_opportunity(title_en=f"Week {number} (library)", description_en="Library.")
    # More titles with the word than two pages hold, ranked by bm25 against their order of
    # creation (the later, the shorter the description): the page is found among them.
    for number in range(45):
        make_opportunity(
            title_en=f"Library week {number}",
            description_en="A week of workshops and visits. " * (1 + (45 - number) % 7),
        )
    for number in range(4):
        make_opportunity(title_en=f"Staff week {number}", description_en="Library, library. " * 6)

    def pages(query: str) -> list[list[str]]:
        return [
            [o.title for o in search.search(query, page=page, revision=None).rows]
            for page in (1, 2, 3)
        ]

    in_rank_order = pages("library")
    monkeypatch.setattr(engines, "fts5_title_query", lambda firsts: [])  # rank every match
    assert pages("library") == in_rank_order
    first, second, third = in_rank_order
    assert all(title.startswith("Library week") for title in first + second)
    assert first != sorted(first, key=lambda title: int(title.split()[-1]))
    assert third[5:8] == [f"Week {n} (library)" for n in range(3)]


def _counted(query: str, filters: search.Filters) -> tuple[search.SearchResult, int]:
    """A search under the catalogue's current revision, and the queries it cost."""
    with CaptureQueriesContext(connection) as captured:
        result = search.search(query, filters, correct=False)
    return result, len(captured)


def test_facet_counts_follow_every_write_and_are_read_once_per_revision(
    make_opportunity: MakeOpportunity, make_host: MakeHost, no_cache: None
) -> None:
    make_opportunity(title_en="Library week")
    filters = search.Filters()
    first, after_write = _counted("library", filters)
    again, repeated = _counted("library", filters)
    # The facet bitmaps (and the search terms) are read by the first search after a write,
    # not by the next.
    assert (first.total, again.total) == (1, 1)
    assert repeated == after_write - 2

    madrid = make_host(name="Complutense", country="ES", city="Madrid")
    added = make_opportunity(host=madrid, title_en="Library course", kind="course")
    result, queries = _counted("library", filters)
    assert queries == after_write
    assert result.total == 2
    assert [v.count for f in result.facets() if f.name == "country" for v in f.values] == [1, 1]
    assert search.search("library", search.Filters(countries=("ES",))).total == 1

    curation.cancel(opportunity=added, by=None)
    result, _queries_now = _counted("library", filters)
    assert result.total == 1
    assert [v.value for f in result.facets() if f.name == "country" for v in f.values] == ["PT"]

    curation.delete_opportunities(opportunities=Opportunity.objects.all(), by=None)
    assert _counted("library", filters)[0].total == 0
    assert _counted("", filters)[0].total == 0


def test_bulk_saved_opportunities_are_counted_by_the_next_search(
    make_opportunity: MakeOpportunity, org: Any, no_cache: None
) -> None:
    model = make_opportunity(title_en="Library week")
    search.search("library")  # the bitmaps of this revision
    copies = []
    for number in range(3):
        copy = Opportunity.objects.get(pk=model.pk)
        copy.pk = None
        copy.slug = f"copy-{number}"
        copy.topics = ("it",)
        copies.append(copy)
    curation.save_opportunities(opportunities=copies, by=None)  # as an import does
    result = search.search("library", search.Filters(topics=("it",)))
    assert result.total == 3
    topics = {v.value: v.count for f in result.facets() if f.name == "topic" for v in f.values}
    assert topics["it"] == 3
    assert topics["international"] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_matching_through_the_index_leaves_the_planner_settings_as_they_were(
    make_opportunity: MakeOpportunity, no_cache: None
) -> None:
    make_opportunity(title_en="Library week")
    assert search.search("library").total == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector ranks on PostgreSQL")
def test_a_postgresql_page_found_among_title_matches_is_the_page_of_every_match_ranked(
    make_opportunity: MakeOpportunity, monkeypatch: pytest.MonkeyPatch, no_cache: None
) -> None:
    # The shipped search terms: a transactional test run before this one empties the table.
    synonyms.load_defaults()
    for number in range(18):
        make_opportunity(
            title_en=f"Library week {number}",
            description_en="Libraries. " * (number % 5) + "A week at the library.",
            start=TODAY + datetime.timedelta(days=90 - 3 * number),
        )
    for number in range(4):
        make_opportunity(title_en=f"Staff week {number}", description_en="Library, library. " * 6)
    for number in range(3):
        make_opportunity(title_sv=f"Vecka {number} på biblioteket", title_en="")

    def pages(query: str) -> list[list[str]]:
        return [
            [o.title for o in search.search(query, page=page, revision=None).rows]
            for page in (1, 2, 3)
        ]

    # "library" has synonyms ("bibliotek"): ranked by whether the title has any of them.
    shortcut = pages("library")
    monkeypatch.setattr(engines, "TITLE_TIER_ROWS", 0)  # rank every match
    assert pages("library") == shortcut
    first, second = shortcut[0], shortcut[1]
    assert len(first) == 20
    assert first[0] == "Library week 17"  # the soonest of the titles
    assert not [title for title in first if title.startswith("Staff")]
    assert sorted(second) == ["Library week 0", *(f"Staff week {n}" for n in range(4))]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the narrow copy is PostgreSQL's")
def test_postgresql_matches_from_the_narrow_copy_are_those_of_the_opportunities_own_vectors(
    make_opportunity: MakeOpportunity, make_host: MakeHost, no_cache: None
) -> None:
    from utsikt.catalogue.models import OpportunitySearch
    from utsikt.catalogue.search import bitmaps, results
    from utsikt.catalogue.search.words import terms

    synonyms.load_defaults()
    _varied(make_opportunity, make_host, 12)
    renamed = make_opportunity(title_en="Lighthouse week", description_en="Forskningsdata.")
    gone = make_opportunity(title_en="Library course", kind="course")
    renamed.title_en = "Open science week"
    curation.save_opportunity(opportunity=renamed, by=None)  # written again: copied again
    curation.delete_opportunities(opportunities=Opportunity.objects.filter(pk=gone.pk), by=None)

    # The copy holds every opportunity's vector, as the opportunity has it now.
    copies = dict(OpportunitySearch.objects.values_list("opportunity_id", "vector"))
    assert copies == dict(Opportunity.objects.values_list("pk", "search_vector"))
    # The title's own words are the whole vector's of weight A.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM catalogue_opportunitysearch"
            " WHERE title_vector IS DISTINCT FROM ts_filter(vector, '{a}')"
        )
        assert cursor.fetchone()[0] == 0
    for query in ["library", "bibliot", "open science", "lighthouse", "forskningsdata", "it"]:
        slots = results._slots(terms(query), None)
        own = Opportunity.objects.filter(search_vector=engines._tsquery(slots))
        expected = bitmaps.from_ids(own.values_list("pk", flat=True))
        matched = engines.matching(Opportunity.objects.all(), slots, engines.Engine.POSTGRESQL)
        assert engines.matches(matched, slots, engines.Engine.POSTGRESQL) == expected, query
    assert search.search("open science").total >= 1
    assert search.search("lighthouse").total == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's vocabulary, on SQLite")
def test_sqlite_exact_words_under_a_prefix_match_the_rows_the_prefix_matches(
    make_opportunity: MakeOpportunity, make_host: MakeHost, no_cache: None
) -> None:
    from utsikt.catalogue.schema import FTS_TABLE
    from utsikt.catalogue.search import bitmaps, results
    from utsikt.catalogue.search.words import terms

    synonyms.load_defaults()
    _varied(make_opportunity, make_host, 12)
    make_opportunity(title_sv="Forskningsdata och bibliotekarier", title_en="Lighthouse")
    make_opportunity(title_en="Data for research", description_en="Bibliotheca, librarians.")
    # More words under "zzz" than are looked up one by one: FTS5 expands that prefix itself.
    make_opportunity(
        title_en="Zzz words",
        description_en=" ".join(f"zzz{number:03d}" for number in range(engines.MOST_TERMS + 5)),
    )
    make_opportunity(title_en="Zzzebra week")
    gone = make_opportunity(title_en="Librarianship week")
    curation.delete_opportunities(opportunities=Opportunity.objects.filter(pk=gone.pk), by=None)

    def expanded(query: str) -> str:
        sql, params = engines._exact(engines._fts5_pieces(results._slots(terms(query), None)))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            return str(cursor.fetchone()[0])

    by_prefix = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    queries = ["library", "bibliot", "open science", "forskningsdata", "lighthouse", "zzz"]
    for query in [*queries, "zzzebra week", "it", "librarianship", "nothing"]:
        slots = results._slots(terms(query), None)
        exact = bitmaps.matching_ids(*engines.fts5_ids(slots), "rowid")
        assert exact == bitmaps.matching_ids(by_prefix, [engines.fts5_query(slots)], "rowid")
    # The fast path is taken: the words found, exactly; the prefix only for too many words.
    words = '("librarian" OR "librarians" OR "libraries" OR "library")'
    assert words in expanded("library")
    assert '("forskningsdata")' in expanded("forskningsdata")
    assert expanded("zzz") == '"zzz"*'
    assert expanded("zzzebra") == '("zzzebra")'
    assert search.search("zzz").total == 2
    assert search.search("librarianship", correct=False).total == 0
