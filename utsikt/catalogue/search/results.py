"""The cached entry points: one page of results (`search`), the map (`places`) and the
calendar (`timeline`), and "did you mean" for a query that finds nothing.

Results are cached per process under the catalogue's revision (index.py), which every write
changes, so repeated searches cost one query.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F
from django.utils import timezone

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import HostOrganisation, Language, Opportunity, Topic
from utsikt.catalogue.search import bitmaps, compounds, engines, facets, synonyms
from utsikt.catalogue.search import index as search_index
from utsikt.catalogue.search.engines import Engine
from utsikt.catalogue.search.facets import Counts, Facet
from utsikt.catalogue.search.query import Filters, Sort
from utsikt.catalogue.search.words import terms
from utsikt.core.cache import RevisionCache, cache_key
from utsikt.grants.gazetteer import fold
from utsikt.grants.models import Country

PER_PAGE = 20


@dataclass
class SearchResult:
    """A page of results, the total, and the counts for every facet value."""

    query: str
    filters: Filters
    sort: Sort
    page: int
    rows: list[Opportunity]
    total: int
    counts: Counts
    corrected_from: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * PER_PAGE + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * PER_PAGE)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def facets(self) -> list[Facet]:
        """The facet groups with labels in the active language, in the order shown."""
        return facets.build_facets(self.counts, self.filters)


def _order(sort: Sort) -> list[Any]:
    """Without relevance (engines rank apart): the soonest first; by deadline, the soonest
    first with open-ended ones last."""
    if sort is Sort.DEADLINE:
        return [F("deadline").asc(nulls_last=True), "start_date", "pk"]
    return ["start_date", "pk"]


# Results of searches, per process, filed under the catalogue's revision.
cache = RevisionCache()


def _slots(words: list[str], revision: str | None) -> synonyms.Slots:
    """The query's words with their synonyms in other languages (read once per revision)."""
    if not words:
        return []
    return synonyms.expand(words, synonyms.groups(revision))


# ---------------------------------------------------------------------------------------------
# Search


def search(
    query: str = "",
    filters: Filters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    *,
    engine: Engine = Engine.AUTO,
    revision: str | None = "",
    correct: bool = True,
) -> SearchResult:
    """One page of the catalogue for a query and filters, with the total and facet counts.

    `revision` is the catalogue revision if the caller has read it already ("" reads it).
    When nothing matches, a query with a likely typo is corrected once ("librarain").
    """
    filters = filters or Filters()
    engine = engines.choose(engine)
    if revision == "":
        revision = search_index.current_revision()
    today = timezone.localdate()
    words = terms(query)
    slots = _slots(words, revision)

    base = facets.listed(filters, today)
    matched = engines.matching(base, slots, engine)

    found_matches: list[int] = []

    def matches() -> int | None:
        """The bitmap of every opportunity that has the words (None: no words): found once
        per search for its counts and its page, and kept with the results."""
        if not slots:
            return None
        if not found_matches:
            found_matches.append(
                cache.get_or_compute(
                    cache_key(revision, "matches", engine, tuple(words)),
                    lambda: engines.matches(matched, slots, engine),
                )
            )
        return found_matches[0]

    def count() -> Counts:
        return facets.counts_for(bitmaps.current(revision, today), matches(), filters)

    counts = cache.get_or_compute(
        cache_key(revision, "counts", engine, tuple(words), filters), count
    )
    # Only a search by words alone is corrected: with filters ticked, those may be the reason.
    if counts.total == 0 and words and correct and not filters.active:
        corrected = correction(words, revision)
        if corrected:
            result = search(
                corrected, filters, sort, page, engine=engine, revision=revision, correct=False
            )
            if result.total:
                result.corrected_from = query
                return result

    pages = max(1, math.ceil(counts.total / PER_PAGE))
    page = min(max(1, page), pages)
    conditions = facets.conditions_for(filters, today)

    def rows() -> list[Opportunity]:
        # Ids first, from the index alone; then the twenty rows with their host and place.
        # (Joined and wide, SQLite would fetch every matching row before sorting.)
        start = (page - 1) * PER_PAGE
        selected = base.filter(facets.all_but(conditions, ""))
        if words and sort is Sort.RELEVANCE and engine is Engine.FTS5:
            matched = facets.selected(bitmaps.current(revision, today), matches(), filters)
            ids = engines.fts5_page(selected, slots, start, PER_PAGE, matched)
        elif words and sort is Sort.RELEVANCE and engine is Engine.POSTGRESQL:
            ids = engines.postgresql_page(
                engines.matching(selected, slots, engine), slots, start, PER_PAGE
            )
        else:
            selected = engines.matching(selected, slots, engine)
            ordered = selected.order_by(*_order(sort)).values_list("pk", flat=True)
            ids = list(ordered[start : start + PER_PAGE])
        # "or [0]": the query runs even for an empty page, so that a page's query count
        # does not depend on whether anything matched.
        found = Opportunity.objects.select_related("host", "country", "place").in_bulk(ids or [0])
        return [found[i] for i in ids if i in found]

    page_rows = cache.get_or_compute(
        cache_key(revision, "rows", engine, tuple(words), filters, sort, page), rows
    )
    return SearchResult(
        query=query,
        filters=filters,
        sort=sort,
        page=page,
        rows=page_rows,
        total=counts.total,
        counts=counts,
    )


def total(query: str, filters: Filters, *, revision: str | None = "") -> int:
    """How many opportunities match, without facets or rows (one query, cached): for "nothing
    upcoming, but past events match"."""
    if revision == "":
        revision = search_index.current_revision()
    today = timezone.localdate()
    words = terms(query)

    def compute() -> int:
        engine = engines.choose(Engine.AUTO)
        matched = engines.matching(facets.listed(filters, today), _slots(words, revision), engine)
        conditions = facets.conditions_for(filters, today)
        return (
            matched.filter(facets.all_but(conditions, "")).count()
            if conditions
            else matched.count()
        )

    return cache.get_or_compute(cache_key(revision, "total", tuple(words), filters), compute)


# ---------------------------------------------------------------------------------------------
# "Did you mean": cheap typo tolerance from the catalogue's own vocabulary


def _labels_in_both_languages() -> Iterable[str]:
    from django.utils import translation

    for language in ("sv", "en"):
        with translation.override(language):
            for choices in (StaffCategory, Topic, Language, Opportunity.Kind):
                for _code, label in choices.choices:
                    yield str(label)


# Words people search for that labels do not contain.
_DOMAIN_WORDS = (
    "staff week training course library librarian librarians job shadowing language "
    "personalvecka personalveckor bibliotek bibliotekarie bibliotekarier kurs kurser "
    "jobbskuggning sprakkurs utbildning spring summer autumn winter university universitet"
)


def vocabulary(revision: str | None) -> dict[str, list[str]]:
    """Known words by first letter: labels, countries, hosts and their cities."""

    def build() -> dict[str, list[str]]:
        texts: list[str] = [_DOMAIN_WORDS, *_labels_in_both_languages()]
        texts += [f"{c.name_sv} {c.name_en}" for c in Country.objects.all()]
        for row in HostOrganisation.objects.approved().values_list(
            "name", "local_name", "place__name", "place__name_sv"
        ):
            texts.append(" ".join(part or "" for part in row))
        words = {w for text in texts for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 3}
        by_letter: dict[str, list[str]] = {}
        for word in sorted(words):
            by_letter.setdefault(word[0], []).append(word)
        return by_letter

    return cache.get_or_compute(cache_key(revision, "vocabulary"), build)


def correction(words: list[str], revision: str | None) -> str:
    """The query with each unknown word replaced by the closest known one; "" if none."""
    known = vocabulary(revision)
    changed = False
    corrected = []
    for word in words:
        candidates = known.get(word[0], [])
        if len(word) < 4 or compounds.split(word) or any(c.startswith(word) for c in candidates):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.8)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


# ---------------------------------------------------------------------------------------------
# Map and calendar


@dataclass(frozen=True)
class PlaceCount:
    place_id: int
    name: str
    name_sv: str
    country_id: str
    latitude: float
    longitude: float
    count: int


def places(
    query: str = "", filters: Filters | None = None, *, revision: str | None = ""
) -> tuple[list[PlaceCount], int]:
    """How many matching opportunities there are in each city; and how many have no city."""
    filters = filters or Filters()
    if revision == "":
        revision = search_index.current_revision()
    today = timezone.localdate()
    words = terms(query)

    def compute() -> tuple[list[PlaceCount], int]:
        matched = engines.matching(
            facets.listed(filters, today), _slots(words, revision), engines.choose(Engine.AUTO)
        )
        conditions = facets.conditions_for(filters, today)
        selected = matched.filter(facets.all_but(conditions, "")) if conditions else matched
        rows = (
            selected.values(
                "place_id",
                "place__name",
                "place__name_sv",
                "country_id",
                "place__latitude",
                "place__longitude",
            )
            .annotate(n=Count("pk"))
            .order_by("-n", "place__name")
        )
        found: list[PlaceCount] = []
        without = 0
        for row in rows:
            if row["place_id"] is None:
                without += row["n"]
                continue
            found.append(
                PlaceCount(
                    row["place_id"],
                    row["place__name"],
                    row["place__name_sv"],
                    row["country_id"],
                    row["place__latitude"],
                    row["place__longitude"],
                    row["n"],
                )
            )
        return found, without

    return cache.get_or_compute(cache_key(revision, "places", tuple(words), filters), compute)


TIMELINE_LIMIT = 300


def timeline(
    query: str = "",
    filters: Filters | None = None,
    months: int = 12,
    *,
    revision: str | None = "",
) -> tuple[list[Opportunity], bool]:
    """Upcoming matching opportunities in the next months by start date; and whether more."""
    filters = replace(filters or Filters(), include_past=False)
    if revision == "":
        revision = search_index.current_revision()
    today = timezone.localdate()
    until = (today.replace(day=1) + datetime.timedelta(days=32 * months)).replace(day=1)
    words = terms(query)

    def compute() -> tuple[list[Opportunity], bool]:
        matched = engines.matching(
            facets.listed(filters, today), _slots(words, revision), engines.choose(Engine.AUTO)
        )
        conditions = facets.conditions_for(filters, today)
        selected = matched.filter(facets.all_but(conditions, ""), start_date__lt=until)
        rows = list(
            selected.select_related("host", "country", "place").order_by("start_date", "pk")[
                : TIMELINE_LIMIT + 1
            ]
        )
        return rows[:TIMELINE_LIMIT], len(rows) > TIMELINE_LIMIT

    return cache.get_or_compute(
        cache_key(revision, "timeline", tuple(words), filters, months), compute
    )
