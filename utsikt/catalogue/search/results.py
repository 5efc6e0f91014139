"""Search the catalogue: one function, whichever database holds it.

`search(query, filters, sort, page)` returns the page of opportunities, the total and the count
for every facet value. Full text runs on PostgreSQL's stored tsvector (Swedish and English
stemming) or SQLite's FTS5 table. Words are folded first, so diacritics and case never matter;
a common Swedish or English ending is stripped and the rest matches as a prefix, so
"bibliotekarier" finds "bibliotekarie", "libraries" finds "library" and "bibliot" finds
"biblioteket", on either database. Swedish compounds are split (compounds.py): "bibliotek"
finds "universitetsbiblioteket", and "forskningsdata" finds "data för forskning".

Facets are disjunctive: ticking Portugal still shows how many there are in Spain. The counts
for all code sets, flags and kinds come from one conditional aggregate, countries and months
from one GROUP BY each, so a cold page costs the same few queries at 100 rows as at 100,000.
Results are cached per process under the catalogue's revision (search_index.py), which every
write changes, so repeated searches cost one query.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import (
    CATEGORY_CODES,
    LANGUAGE_CODES,
    TOPIC_CODES,
    HostOrganisation,
    Language,
    Opportunity,
    Topic,
)
from utsikt.catalogue.schema import FTS_TABLE
from utsikt.catalogue.search import compounds
from utsikt.catalogue.search import index as search_index
from utsikt.grants.gazetteer import fold
from utsikt.grants.models import Country

PER_PAGE = 20
FTS_IDS = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
MAX_TERMS = 8
T = TypeVar("T")

# Words too common to narrow a search, in either language. "it" is kept: IT is a job here.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "by",
        "for",
        "from",
        "in",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "att",
        "av",
        "den",
        "det",
        "en",
        "ett",
        "for",
        "fran",
        "i",
        "med",
        "och",
        "om",
        "pa",
        "som",
        "till",
        "vid",
    ]
)
# Swedish and English endings stripped before a prefix search, longest first:
# "bibliotekarier" → "bibliotekari*", "veckor" → "veck*", "libraries" → "librar*".
_ENDINGS = sorted(
    [
        "heterna",
        "hetens",
        "anden",
        "heten",
        "heter",
        "arnas",
        "ernas",
        "ornas",
        "andes",
        "arens",
        "andet",
        "arna",
        "erna",
        "orna",
        "ande",
        "arne",
        "aste",
        "ades",
        "ens",
        "ade",
        "are",
        "ern",
        "het",
        "ast",
        "ad",
        "en",
        "ar",
        "er",
        "or",
        "as",
        "es",
        "at",
        "a",
        "e",
        "ies",
        "ing",
        "ed",
        "y",
    ],
    key=len,
    reverse=True,
)


class Sort(StrEnum):
    RELEVANCE = "relevance"
    START = "start"
    DEADLINE = "deadline"


class Engine(StrEnum):
    """How full text is matched; AUTO picks the database's own full-text index."""

    AUTO = "auto"
    FTS5 = "fts5"
    POSTGRESQL = "postgresql"
    ICONTAINS = "icontains"


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
        return build_facets(self.counts, self.filters)


# ---------------------------------------------------------------------------------------------
# The address of a search


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


# ---------------------------------------------------------------------------------------------
# Words


def terms(query: str) -> list[str]:
    """The folded words of a query that narrow it: no punctuation, no stopwords."""
    words = re.findall(r"[a-z0-9]+", fold(query))
    kept = [w for w in words if w not in STOPWORDS] or words
    return kept[:MAX_TERMS]


def light_stem(word: str) -> str:
    """Strip one common Swedish or English ending, keeping at least four letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    if len(word) > 5 and word.endswith("s") and word[-2] in "bcdfghjklmnoprtvy":
        return word[:-1]
    return word


def _prefix(word: str) -> str:
    """What a word is searched for as a prefix; words under three letters match exactly."""
    return light_stem(word) if len(word) >= 3 else word


def fts5_query(words: list[str]) -> str:
    """An FTS5 query: every word must occur, as a prefix when it has three letters or more;
    a Swedish compound may instead occur as its parts ("forskningsdata": "data för forskning")."""

    def one(word: str) -> str:
        if len(word) < 3:
            return f'"{word}"'
        parts = compounds.split(word)
        if not parts:
            return f'"{_prefix(word)}"*'
        every_part = " AND ".join(f'"{_prefix(p)}"*' for p in parts)
        return f'("{_prefix(word)}"* OR ({every_part}))'

    return " AND ".join(one(w) for w in words)


def _tsquery(words: list[str], every: bool = True) -> Any:
    """Each word stemmed in Swedish or in English, or its light stem as a prefix, or (for a
    compound) all its parts as prefixes; all the words (to match) or any of them (to rank)."""
    from django.contrib.postgres.search import SearchQuery

    per_word = []
    for word in words:
        prefix = f"{_prefix(word)}:*" if len(word) >= 3 else word
        either = (
            SearchQuery(prefix, search_type="raw", config="simple")
            | SearchQuery(word, search_type="raw", config="swedish")
            | SearchQuery(word, search_type="raw", config="english")
        )
        parts = compounds.split(word) if len(word) >= 3 else ()
        if parts:
            every_part = " & ".join(f"{_prefix(p)}:*" for p in parts)
            either |= SearchQuery(every_part, search_type="raw", config="simple")
        per_word.append(either)
    combined: Any = per_word[0]
    for either in per_word[1:]:
        combined = combined & either if every else combined | either
    return combined


def _engine(engine: Engine) -> Engine:
    if engine is not Engine.AUTO:
        return engine
    return Engine.POSTGRESQL if connection.vendor == "postgresql" else Engine.FTS5


def _matching(
    queryset: QuerySet[Opportunity], words: list[str], engine: Engine
) -> QuerySet[Opportunity]:
    """The queryset narrowed to opportunities that contain every word."""
    if not words:
        return queryset
    if engine is Engine.FTS5:
        # A subquery, not a join: joined, SQLite may scan opportunities and run the full-text
        # query once per row; as "IN (…)" it runs once.
        return queryset.filter(pk__in=RawSQL(FTS_IDS, [fts5_query(words)]))  # noqa: S611
    if engine is Engine.POSTGRESQL:
        return queryset.filter(search_vector=_tsquery(words))
    condition = Q()
    for word in words:
        condition &= (
            Q(title_sv__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description_sv__icontains=word)
            | Q(description_en__icontains=word)
        )
    return queryset.filter(condition)


def _postgresql_ranked(
    queryset: QuerySet[Opportunity], words: list[str]
) -> tuple[QuerySet[Opportunity], list[Any]]:
    """The queryset with its relevance: ts_rank weighs title words (A) five times description
    words (C) and does not divide by length. It ranks by "any of the words": with "all of
    them" it would reward words that stand close together over words in the title."""
    from django.contrib.postgres.search import SearchRank

    rank = SearchRank(F("search_vector"), _tsquery(words, every=False))
    return queryset.annotate(rank=rank), [F("rank").desc()]


def _fts5_page(
    selected: QuerySet[Opportunity], words: list[str], start: int, size: int
) -> list[int]:
    """The ids of one page of FTS5 matches among `selected`, best first.

    FTS5's bm25 divides by the length of the whole row, so a long description pushes an
    opportunity down even when its title says exactly what was asked for: words found in
    the title come first (the FTS title column starts with a space, so " word" is the start
    of a word), then bm25. The "+" keeps SQLite from handing the id list to FTS5, which would
    run the full-text query once per id.
    """
    inner, inner_params = selected.values("pk").query.sql_with_params()
    hits = " + ".join(["(instr(m.title, %s) > 0)"] * len(words))
    sql = f"""
        SELECT m.rowid FROM {FTS_TABLE} AS m
        WHERE m.{FTS_TABLE} MATCH %s AND +m.rowid IN ({inner})
        ORDER BY ({hits}) DESC, m.rank, m.rowid
        LIMIT %s OFFSET %s
    """  # noqa: S608 - the interpolated parts are fixed SQL and Django's compiled query
    params = [fts5_query(words), *inner_params, *(f" {_prefix(w)}" for w in words)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size, start])
        return [row[0] for row in cursor.fetchall()]


# ---------------------------------------------------------------------------------------------
# Filters


def _base(filters: Filters, today: datetime.date) -> QuerySet[Opportunity]:
    if filters.include_past:
        queryset = Opportunity.objects.listed()
    else:
        queryset = Opportunity.objects.upcoming(today)
    if filters.place:
        queryset = queryset.filter(place_id=filters.place)
    return queryset


def _open(today: datetime.date) -> Q:
    return Q(deadline__gte=today) | Q(deadline__isnull=True, start_date__gt=today)


def _conditions(filters: Filters, today: datetime.date) -> dict[str, Q]:
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


def _all_but(conditions: dict[str, Q], group: str) -> Q:
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


def _counts(matched: QuerySet[Opportunity], filters: Filters, today: datetime.date) -> Counts:
    """Total and facet counts: one aggregate and two GROUP BY queries."""
    conditions = _conditions(filters, today)
    aggregates: dict[str, Any] = {"total": Count("pk", filter=_all_but(conditions, ""))}
    for group, (field_name, codes) in CODE_GROUPS.items():
        others = _all_but(conditions, group)
        for code in codes:
            own = Q(**{f"{field_name}__has_any": [code]})
            aggregates[f"{group}:{code}"] = Count("pk", filter=own & others)
    for kind in Opportunity.Kind.values:
        aggregates[f"kind:{kind}"] = Count("pk", filter=Q(kind=kind) & _all_but(conditions, "kind"))
    for flag, (group, own) in _flag_conditions(today).items():
        aggregates[f"flag:{flag}"] = Count("pk", filter=own & _all_but(conditions, group))
    numbers = matched.aggregate(**aggregates)

    counts = Counts(total=numbers["total"])
    for group, (_field, codes) in CODE_GROUPS.items():
        counts.codes[group] = {code: numbers[f"{group}:{code}"] for code in codes}
    counts.kinds = {kind: numbers[f"kind:{kind}"] for kind in Opportunity.Kind.values}
    counts.flags = {flag: numbers[f"flag:{flag}"] for flag in _flag_conditions(today)}

    by_country = (
        matched.filter(_all_but(conditions, "country"))
        .values("country_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = country_names()
    counts.countries = [
        (row["country_id"], *names.get(row["country_id"], (row["country_id"],) * 2), row["n"])
        for row in by_country
    ]
    by_month = (
        matched.filter(_all_but(conditions, "month"))
        .values("start_month")
        .annotate(n=Count("pk"))
        .order_by("start_month")
    )
    counts.months = [(row["start_month"], row["n"]) for row in by_month]
    return counts


@functools.cache
def country_names() -> dict[str, tuple[str, str]]:
    """Swedish and English names by ISO code: reference data, read once per process."""
    return {c.iso2: (c.name_sv, c.name_en) for c in Country.objects.all()}


def _order(sort: Sort, relevance: list[Any]) -> list[Any]:
    """Relevance, then the soonest first; deadlines soonest first with open-ended last."""
    if sort is Sort.DEADLINE:
        return [F("deadline").asc(nulls_last=True), "start_date", "pk"]
    if sort is Sort.RELEVANCE:
        return [*relevance, "start_date", "pk"]
    return ["start_date", "pk"]


# ---------------------------------------------------------------------------------------------
# The per-process cache


class RevisionCache:
    """A small LRU cache whose keys start with the catalogue's revision and today's date."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.enabled = True

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        if not self.enabled or key is None:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = RevisionCache()


def cache_key(revision: str | None, *parts: Hashable) -> Hashable:
    """None (do not cache) until the catalogue has a revision, i.e. before its first write."""
    if revision is None:
        return None
    return (revision, timezone.localdate(), *parts)


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
    engine = _engine(engine)
    if revision == "":
        revision = search_index.current_revision()
    today = timezone.localdate()
    words = terms(query)

    base = _base(filters, today)
    matched = _matching(base, words, engine)
    counts = cache.get_or_compute(
        cache_key(revision, "counts", engine, tuple(words), filters),
        lambda: _counts(matched, filters, today),
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
    conditions = _conditions(filters, today)

    def rows() -> list[Opportunity]:
        # Ids first, from the index alone; then the twenty rows with their host and place.
        # (Joined and wide, SQLite would fetch every matching row before sorting.)
        start = (page - 1) * PER_PAGE
        if words and sort is Sort.RELEVANCE and engine is Engine.FTS5:
            ids = _fts5_page(base.filter(_all_but(conditions, "")), words, start, PER_PAGE)
        else:
            selected = matched.filter(_all_but(conditions, ""))
            relevance: list[Any] = []
            if words and sort is Sort.RELEVANCE and engine is Engine.POSTGRESQL:
                selected, relevance = _postgresql_ranked(selected, words)
            ordered = selected.order_by(*_order(sort, relevance)).values_list("pk", flat=True)
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
# Facets for display


def _month_label(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def build_facets(counts: Counts, filters: Filters) -> list[Facet]:
    """The facet groups in the active language; values with no match are left out."""
    from django.utils.translation import get_language

    english = get_language() == "en"

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
        matched = _matching(_base(filters, today), words, _engine(Engine.AUTO))
        conditions = _conditions(filters, today)
        selected = matched.filter(_all_but(conditions, "")) if conditions else matched
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
        matched = _matching(_base(filters, today), words, _engine(Engine.AUTO))
        conditions = _conditions(filters, today)
        selected = matched.filter(_all_but(conditions, ""), start_date__lt=until)
        rows = list(
            selected.select_related("host", "country", "place").order_by("start_date", "pk")[
                : TIMELINE_LIMIT + 1
            ]
        )
        return rows[:TIMELINE_LIMIT], len(rows) > TIMELINE_LIMIT

    return cache.get_or_compute(
        cache_key(revision, "timeline", tuple(words), filters, months), compute
    )
