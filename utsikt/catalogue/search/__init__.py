"""Search the catalogue: one function, whichever database holds it.

`search(query, filters, sort, page)` returns the page of opportunities, the total and the count
for every facet value. Full text runs on PostgreSQL's stored tsvector (Swedish and English
stemming) or SQLite's FTS5 table (engines.py), over the text index.py keeps. Words are folded
first, so diacritics and case never matter; a common Swedish or English ending is stripped and
the rest matches as a prefix (words.py), so "bibliotekarier" finds "bibliotekarie", "libraries"
finds "library" and "bibliot" finds "biblioteket", on either database. Swedish compounds are
split (compounds.py): "bibliotek" finds "universitetsbiblioteket", and "forskningsdata" finds
"data för forskning".

The address of a search is read in query.py; facets and their counts are in facets.py, counted
over bitmaps held per catalogue revision (bitmaps.py); the cached entry points (search, places
for the map, timeline for the calendar) in results.py.
What other code calls is importable from here.
"""

from utsikt.catalogue.search.engines import Engine
from utsikt.catalogue.search.query import Filters, Sort, from_query
from utsikt.catalogue.search.results import (
    PER_PAGE,
    SearchResult,
    cache,
    places,
    search,
    timeline,
    total,
)

__all__ = [
    "PER_PAGE",
    "Engine",
    "Filters",
    "SearchResult",
    "Sort",
    "cache",
    "from_query",
    "places",
    "search",
    "timeline",
    "total",
]
