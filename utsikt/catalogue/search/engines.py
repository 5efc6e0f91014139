"""Full-text matching on the database in use: SQLite's FTS5 table or PostgreSQL's tsvector.

Both hold the same folded text (index.py). A query word of three letters or more matches as
a prefix of its light stem (words.py); a Swedish compound also matches its parts together, so
"forskningsdata" finds "data för forskning".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from utsikt.catalogue.models import Opportunity, OpportunitySearch
from utsikt.catalogue.schema import FTS_TABLE
from utsikt.catalogue.search import bitmaps, compounds
from utsikt.catalogue.search.synonyms import Slots
from utsikt.catalogue.search.words import prefix


class Engine(StrEnum):
    """How full text is matched; AUTO picks the database's own full-text index."""

    AUTO = "auto"
    FTS5 = "fts5"
    POSTGRESQL = "postgresql"
    ICONTAINS = "icontains"


@dataclass(frozen=True)
class _Starts:
    """A word of an FTS5 query asked for as the start of the index's words ("librar"*)."""

    text: str


# An FTS5 query as written: fixed text and the words asked for as prefixes.
Pieces = list[str | _Starts]


def _fts5_pieces(slots: Slots) -> Pieces:
    """Every slot must occur (a word, or any phrase of its synonyms, all of whose words
    occur), each word as a prefix when it has three letters or more; a Swedish compound may
    instead occur as its parts ("forskningsdata": "data för forskning")."""
    pieces: Pieces = []

    def one(word: str) -> None:
        if len(word) < 3:
            pieces.append(f'"{word}"')
            return
        parts = compounds.split(word)
        if not parts:
            pieces.append(_Starts(prefix(word)))
            return
        pieces.append("(")
        pieces.append(_Starts(prefix(word)))
        pieces.append(" OR (")
        for number, part in enumerate(parts):
            pieces.append(" AND " if number else "")
            pieces.append(_Starts(prefix(part)))
        pieces.append("))")

    def phrase(words: tuple[str, ...]) -> None:
        for number, word in enumerate(words):
            pieces.append(" AND " if number else "")
            one(word)

    for number, alternatives in enumerate(slots):
        pieces.append(" AND " if number else "")
        if len(alternatives) == 1:
            phrase(alternatives[0])
            continue
        pieces.append("(")
        for other, alternative in enumerate(alternatives):
            pieces.append(" OR (" if other else "(")
            phrase(alternative)
            pieces.append(")")
        pieces.append(")")
    return pieces


def _text(pieces: Pieces) -> str:
    return "".join(f'"{p.text}"*' if isinstance(p, _Starts) else p for p in pieces)


def fts5_query(slots: Slots) -> str:
    """An FTS5 query for these slots (`_fts5_pieces`): what ranks with bm25, whose phrases
    are the words as prefixes."""
    return _text(_fts5_pieces(slots))


# The index's words (an fts5vocab table over the FTS5 table, migration 0008), in order.
FTS_TERMS = f"{FTS_TABLE}_terms"
# A prefix with more words than this is left to FTS5 to expand.
MOST_TERMS = 64
_PLAIN = re.compile(r"[a-z0-9]+")
# The index's words that start with a prefix, each found by one step along the sorted
# vocabulary (the word after w is the first one from w + chr(1), since no word holds that
# character), as an FTS5 "OR" of exact words; the prefix itself when there are none or too many.
_EXACT_WORDS = f"""(WITH RECURSIVE found(term, n) AS (
    SELECT (SELECT term FROM {FTS_TERMS} WHERE term >= %s AND term < %s ORDER BY term LIMIT 1), 1
    UNION ALL
    SELECT (
        SELECT term FROM {FTS_TERMS} WHERE term >= found.term || char(1) AND term < %s
        ORDER BY term LIMIT 1
    ), n + 1
    FROM found WHERE found.term IS NOT NULL AND found.n <= {MOST_TERMS}
)
SELECT CASE WHEN count(*) BETWEEN 1 AND {MOST_TERMS}
    THEN '(' || group_concat('"' || term || '"', ' OR ') || ')' ELSE %s END
FROM found WHERE term IS NOT NULL)"""  # noqa: S608 - fixed names only


def _exact(pieces: Pieces) -> tuple[str, list[Any]]:
    """SQL for the same query with every prefix replaced by the index's words that start with
    it, asked for exactly: it matches the same rows (a row has a word starting with the prefix
    exactly when it has one of those words), and FTS5 finds a few exact words several times
    faster than it merges every word under a prefix. Only for matching: bm25 counts each
    word apart, so ranking keeps the prefixes (`fts5_query`). The words are read in the same
    statement as the rows, so both see the index as it is at that moment."""
    parts: list[str] = []
    params: list[Any] = []
    text = ""
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
            continue
        if not _PLAIN.fullmatch(piece.text):  # the vocabulary's order is not known for it
            text += f'"{piece.text}"*'
            continue
        if text:
            parts.append("%s")
            params.append(text)
            text = ""
        after = piece.text[:-1] + chr(ord(piece.text[-1]) + 1)
        parts.append(_EXACT_WORDS)
        params += [piece.text, after, after, f'"{piece.text}"*']
    if text or not parts:
        parts.append("%s")
        params.append(text)
    return "(" + " || ".join(parts) + ")", params


def fts5_ids(slots: Slots) -> tuple[str, list[Any]]:
    """SQL for the ids of the rows that match these slots, and its parameters."""
    match, params = _exact(_fts5_pieces(slots))
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {match}", params  # noqa: S608


def _tsquery(slots: Slots, every: bool = True) -> Any:
    """Each word stemmed in Swedish or in English, or its light stem as a prefix, or (for a
    compound) all its parts as prefixes; a slot is any of its phrases (synonyms); all the
    slots (to match) or any of them (to rank)."""
    from django.contrib.postgres.search import SearchQuery

    def one(word: str) -> Any:
        starts = f"{prefix(word)}:*" if len(word) >= 3 else word
        either = (
            SearchQuery(starts, search_type="raw", config="simple")
            | SearchQuery(word, search_type="raw", config="swedish")
            | SearchQuery(word, search_type="raw", config="english")
        )
        parts = compounds.split(word) if len(word) >= 3 else ()
        if parts:
            every_part = " & ".join(f"{prefix(p)}:*" for p in parts)
            either |= SearchQuery(every_part, search_type="raw", config="simple")
        return either

    def starts(word: str) -> Any:
        """The word as a prefix of its light stem only (a synonym is written as a dictionary
        form, so the stemmed variants add nothing but cost)."""
        text = f"{prefix(word)}:*" if len(word) >= 3 else word
        return SearchQuery(text, search_type="raw", config="simple")

    def phrase(words: tuple[str, ...], each: Any = one) -> Any:
        combined = each(words[0])
        for word in words[1:]:
            combined = combined & each(word)
        return combined

    per_slot = []
    for alternatives in slots:
        # To rank, a slot with synonyms asks each of them alike, so that a row is not ranked
        # higher for being in the query's language (its word's stems would count thrice).
        first = phrase(alternatives[0], one if every or len(alternatives) == 1 else starts)
        either = first
        for other in alternatives[1:]:
            either = either | phrase(other, starts)
        per_slot.append(either)
    combined: Any = per_slot[0]
    for either in per_slot[1:]:
        combined = combined & either if every else combined | either
    return combined


def choose(engine: Engine) -> Engine:
    if engine is not Engine.AUTO:
        return engine
    return Engine.POSTGRESQL if connection.vendor == "postgresql" else Engine.FTS5


def matching(
    queryset: QuerySet[Opportunity], slots: Slots, engine: Engine
) -> QuerySet[Opportunity]:
    """The queryset narrowed to opportunities that contain every word (or a synonym)."""
    if not slots:
        return queryset
    if engine is Engine.FTS5:
        # A subquery, not a join: joined, SQLite may scan opportunities and run the full-text
        # query once per row; as "IN (…)" it runs once.
        return queryset.filter(pk__in=RawSQL(*fts5_ids(slots)))  # noqa: S611
    if engine is Engine.POSTGRESQL:
        return queryset.filter(search_vector=_tsquery(slots))
    condition = Q()
    for alternatives in slots:
        either = Q(pk__in=[])
        for phrase in alternatives:
            every = Q()
            for word in phrase:
                every &= (
                    Q(title_sv__icontains=word)
                    | Q(title_en__icontains=word)
                    | Q(description_sv__icontains=word)
                    | Q(description_en__icontains=word)
                )
            either |= every
        condition &= either
    return queryset.filter(condition)


def matches(matched: QuerySet[Opportunity], slots: Slots, engine: Engine) -> int:
    """The ids of the matches as a bitmap (bitmaps.py); on FTS5 every opportunity's that
    contains the words, from the index alone, to be narrowed by the bitmaps of what is listed
    (joined to the opportunities, SQLite would take longer than the whole count)."""
    if engine is Engine.FTS5:
        return bitmaps.matching_ids(*fts5_ids(slots), "rowid")
    if engine is Engine.POSTGRESQL:
        # Every match's id, from the GIN index on the narrow copy of the vectors (narrowed by
        # the bitmaps, as on FTS5): with the listing's conditions the planner would test each
        # listed row's vector instead, and the wide rows cost ten times the pages to read.
        found = OpportunitySearch.objects.filter(vector=_tsquery(slots))
        sql, params = found.values(match_id=F("opportunity_id")).query.sql_with_params()
        return bitmaps.matching_ids(sql, params, "match_id")
    sql, params = matched.order_by().values(match_id=F("pk")).query.sql_with_params()
    return bitmaps.matching_ids(sql, params, "match_id")


def postgresql_ranked(
    queryset: QuerySet[Opportunity], slots: Slots
) -> tuple[QuerySet[Opportunity], list[Any]]:
    """The queryset with its relevance: ts_rank weighs title words (A) five times description
    words (C) and does not divide by length. It ranks by "any of the words": with "all of
    them" it would reward words that stand close together over words in the title."""
    from django.contrib.postgres.search import SearchRank

    if all(len(alternatives) == 1 for alternatives in slots):
        rank = SearchRank(F("search_vector"), _tsquery(slots, every=False))
        return queryset.annotate(rank=rank), [F("rank").desc()]
    # With synonyms in other languages, ts_rank would favour the query's own language (its
    # word is stemmed three ways, and Swedish compounds add parts): a slot counts once when
    # any of its phrases is in the title, whatever the language; then the other words' rank.
    hits: Any = Value(0.0)
    for alternatives in slots:
        in_title = _in_title(alternatives)
        hits = hits + Case(When(search_vector=in_title, then=Value(1.0)), default=Value(0.0))
    plain: Slots = [alternatives for alternatives in slots if len(alternatives) == 1]
    if plain:
        own = SearchRank(F("search_vector"), _tsquery(plain, every=False), normalization=32)
        hits = hits + own
    return queryset.annotate(rank=hits), [F("rank").desc()]


def _in_title(alternatives: tuple[tuple[str, ...], ...], weight: str = "A") -> Any:
    """A query for rows with any of a slot's phrases in their title: of the whole vector, its
    words of weight A; of the title's own words (OpportunitySearch.title_vector, weight "")
    any of them, which is the same (that vector is the whole one's weight A)."""
    from django.contrib.postgres.search import SearchQuery

    phrases = [" & ".join(f"{prefix(w)}:*{weight}" for w in phrase) for phrase in alternatives]
    return SearchQuery(" | ".join(f"({p})" for p in phrases), search_type="raw", config="simple")


# How deep into the results a page is looked for among the rows with every slot in their title:
# the first pages (those people read); a later page ranks every match, which costs less than
# reading hundreds of title rows one by one when they are rare.
TITLE_TIER_ROWS = 100


def postgresql_page(
    selected: QuerySet[Opportunity], slots: Slots, start: int, size: int
) -> list[int]:
    """The ids of one relevance page among `selected` (the matches under the ticked filters),
    best first, then the soonest.

    When every slot has synonyms, the rank (`postgresql_ranked`) is how many slots are in
    the title, so the rows with every slot in their title come first, soonest first: the
    first pages are looked for among them, found by the GIN index of the titles' own words
    (OpportunitySearch.title_vector: no candidate's whole vector is read to test its words'
    weight), in start-date order. When they do not fill the page, the same statement ranks
    every match.
    """
    ranked, relevance = postgresql_ranked(selected, slots)
    end = start + size
    if end > TITLE_TIER_ROWS or any(len(alternatives) == 1 for alternatives in slots):
        ordered = ranked.order_by(*relevance, "start_date", "pk").values_list("pk", flat=True)
        return list(ordered[start:end])
    tier = selected
    for alternatives in slots:
        tier = tier.filter(search_row__title_vector=_in_title(alternatives, weight=""))
    tier_sql, tier_params = (
        tier.order_by("start_date", "pk").values_list("pk", "start_date")[:end].query
    ).sql_with_params()
    every_sql, every_params = (
        ranked.order_by(*relevance, "start_date", "pk")
        .values_list("pk", "start_date")[start:end]
        .query.sql_with_params()
    )
    sql = f"""
        WITH tier AS MATERIALIZED ({tier_sql}),
        enough AS MATERIALIZED (SELECT COUNT(*) >= %s AS yes FROM tier)
        SELECT * FROM (
            SELECT * FROM tier WHERE (SELECT yes FROM enough) ORDER BY 2, 1 LIMIT %s OFFSET %s
        ) AS from_tier
        UNION ALL
        SELECT * FROM ({every_sql}) AS from_every WHERE NOT (SELECT yes FROM enough)
    """  # noqa: S608 - the interpolated parts are Django's compiled queries
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tier_params, end, size, start, *every_params])
        return [row[0] for row in cursor.fetchall()]


def fts5_title_query(firsts: list[tuple[str, ...]]) -> Pieces:
    """An FTS5 query for the rows whose title has, for every slot, a word that starts like the
    first word of one of its phrases (`firsts`, as `fts5_page` finds them): every row that
    `fts5_page` counts as having all the slots in its title is among them (a word after a
    space is a word to FTS5 too); none ([]) when a word holds anything but letters and
    digits, which FTS5 might split differently."""
    pieces: Pieces = ["{title} : ("]
    for number, words in enumerate(firsts):
        if not all(_PLAIN.fullmatch(word) for word in words):
            return []
        pieces.append(" AND (" if number else "(")
        for other, word in enumerate(words):
            pieces += [" OR " if other else "", _Starts(word)]
        pieces.append(")")
    pieces.append(")")
    return pieces


# Up to this many matches under the filters are handed to SQLite as a JSON array; more are
# found again by the opportunities' covering index, which costs less than the array then.
AS_JSON = 2_000


def fts5_page(
    selected: QuerySet[Opportunity],
    slots: Slots,
    start: int,
    size: int,
    matched: int | None = None,
) -> list[int]:
    """The ids of one page of FTS5 matches among `selected`, best first; `matched` is the
    bitmap of the matches under the ticked filters (bitmaps.py) when it is known.

    FTS5's bm25 divides by the length of the whole row, so a long description pushes an
    opportunity down even when its title says exactly what was asked for: words found in
    the title come first (the FTS title column starts with a space, so " word" is the start
    of a word), then bm25. The "+" keeps SQLite from handing the id list to FTS5, which would
    run the full-text query once per id. A few matches under the filters are handed over as a
    JSON array, known already from counting: SQLite need not find the listed rows again.

    Reading each match's title and ranking it is what costs, so the page is first looked
    for among the matches with every slot in their title (found by the index: a few
    thousand of a common word's tens of thousands), whose titles are read in rank order only
    until the page is full. When the page ends within them it is the page; otherwise (a rare
    word, a late page) the same statement ranks every match. One statement either way, so
    that a page costs the same queries whatever matched.
    """
    # A slot is in the title when the first word of any of its phrases is.
    firsts = [tuple(dict.fromkeys(prefix(p[0]) for p in a)) for a in slots]

    def hits(table: str) -> str:
        return " + ".join(
            "(" + " OR ".join([f"instr({table}.title, %s) > 0"] * len(f)) + ")" for f in firsts
        )

    hits_params = [f" {word}" for f in firsts for word in f]
    query = fts5_query(slots)

    def ranked(among: str, only_if: str = "1") -> str:
        # CROSS JOIN makes the condition the outer loop, so that the full-text scan does not
        # even start when it does not hold (as a WHERE term SQLite would test it per row).
        return f"""
            SELECT m.rowid AS id, ({hits("m")}) AS hits, m.rank AS score
            FROM (SELECT 1 WHERE {only_if}) CROSS JOIN {FTS_TABLE} AS m
            WHERE m.{FTS_TABLE} MATCH %s AND +m.rowid IN ({among})
            ORDER BY 2 DESC, 3, 1
        """  # noqa: S608 - the interpolated parts are fixed SQL

    among: str
    among_params: list[Any]
    few = matched is not None and matched.bit_count() <= AS_JSON
    if few and matched is not None:
        among, among_params = (
            "SELECT value FROM json_each(%s)",
            [json.dumps(bitmaps.ids_of(matched))],
        )
    else:
        inner, inner_params = selected.values("pk").query.sql_with_params()
        among, among_params = inner, list(inner_params)
    title = fts5_title_query(firsts)
    if not title:
        sql = ranked(among) + " LIMIT %s OFFSET %s"
        params: list[Any] = [*hits_params, query, *among_params, size, start]
    else:
        title_match, title_params = _exact(title)
        in_title = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {title_match}"  # noqa: S608
        if few:
            titled = f"SELECT value FROM json_each(%s) WHERE value IN ({in_title})"  # noqa: S608
            titled_params = [*among_params, *title_params]
        else:
            filtered = selected.filter(pk__in=RawSQL(in_title, title_params))  # noqa: S611
            titled, titled_sql_params = filtered.values("pk").query.sql_with_params()
            titled_params = list(titled_sql_params)
        # The tier is looked in only when it holds enough rows for the page, and every match
        # ranked only when the tier did not hold the page. In the tier only the rows with
        # every slot in their title count, best first: they are ranked by bm25 alone, and
        # their titles read one by one in that order until the page is full (reading every
        # title in the tier cost as much as ranking it). The ranked rows are a subquery with
        # an ORDER BY and a LIMIT, which SQLite neither flattens nor reorders: it hands them
        # over in order as the outer loop, so the outer LIMIT stops reading titles early.
        sql = f"""
            WITH titled AS MATERIALIZED ({titled}),
            tier AS MATERIALIZED (
                SELECT ranked.id, %s AS hits, ranked.score FROM (
                    SELECT m.rowid AS id, m.rank AS score
                    FROM (SELECT 1 WHERE (SELECT COUNT(*) FROM titled) >= %s)
                    CROSS JOIN {FTS_TABLE} AS m
                    WHERE m.{FTS_TABLE} MATCH %s AND +m.rowid IN (SELECT * FROM titled)
                    ORDER BY 2, 1 LIMIT -1
                ) AS ranked CROSS JOIN {FTS_TABLE} AS t
                WHERE t.rowid = ranked.id AND ({hits("t")}) = %s
                LIMIT %s
            ),
            enough AS MATERIALIZED (SELECT COUNT(*) >= %s AS yes FROM tier)
            SELECT * FROM (
                SELECT * FROM tier WHERE (SELECT yes FROM enough)
                ORDER BY hits DESC, score, id LIMIT %s OFFSET %s
            )
            UNION ALL
            SELECT * FROM (
                {ranked(among, "NOT (SELECT yes FROM enough)")} LIMIT %s OFFSET %s
            )
        """  # noqa: S608 - as above
        end = start + size
        params = [
            *titled_params,
            len(slots),
            end,
            query,
            *hits_params,
            len(slots),
            end,
            end,
            size,
            start,
            *hits_params,
            query,
            *among_params,
            size,
            start,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[1], row[2], row[0]))
    return [row[0] for row in rows]
