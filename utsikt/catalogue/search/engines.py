"""Full-text matching on the database in use: SQLite's FTS5 table or PostgreSQL's tsvector.

Both hold the same folded text (index.py). A query word of three letters or more matches as
a prefix of its light stem (words.py); a Swedish compound also matches its parts together, so
"forskningsdata" finds "data för forskning".
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from utsikt.catalogue.models import Opportunity
from utsikt.catalogue.schema import FTS_TABLE
from utsikt.catalogue.search import bitmaps, compounds
from utsikt.catalogue.search.synonyms import Slots
from utsikt.catalogue.search.words import prefix

FTS_IDS = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


class Engine(StrEnum):
    """How full text is matched; AUTO picks the database's own full-text index."""

    AUTO = "auto"
    FTS5 = "fts5"
    POSTGRESQL = "postgresql"
    ICONTAINS = "icontains"


def fts5_query(slots: Slots) -> str:
    """An FTS5 query: every slot must occur (a word, or any phrase of its synonyms, all of
    whose words occur), each word as a prefix when it has three letters or more; a Swedish
    compound may instead occur as its parts ("forskningsdata": "data för forskning")."""

    def one(word: str) -> str:
        if len(word) < 3:
            return f'"{word}"'
        parts = compounds.split(word)
        if not parts:
            return f'"{prefix(word)}"*'
        every_part = " AND ".join(f'"{prefix(p)}"*' for p in parts)
        return f'("{prefix(word)}"* OR ({every_part}))'

    def phrase(words: tuple[str, ...]) -> str:
        return " AND ".join(one(w) for w in words)

    def slot(alternatives: tuple[tuple[str, ...], ...]) -> str:
        if len(alternatives) == 1:
            return phrase(alternatives[0])
        return "(" + " OR ".join(f"({phrase(a)})" for a in alternatives) + ")"

    return " AND ".join(slot(a) for a in slots)


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
        return queryset.filter(pk__in=RawSQL(FTS_IDS, [fts5_query(slots)]))  # noqa: S611
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
        return bitmaps.matching_ids(FTS_IDS, [fts5_query(slots)], "rowid")
    if engine is Engine.POSTGRESQL:
        # Every match's id, from the GIN index (narrowed by the bitmaps, as on FTS5): with the
        # listing's conditions the planner would test each listed row's vector instead.
        matched = matching(Opportunity.objects.all(), slots, engine)
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


def _in_title(alternatives: tuple[tuple[str, ...], ...]) -> Any:
    """A query for rows with any of a slot's phrases in their title (weight A)."""
    from django.contrib.postgres.search import SearchQuery

    phrases = [" & ".join(f"{prefix(w)}:*A" for w in phrase) for phrase in alternatives]
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
    first pages are looked for among them in start-date order, reading each row's search
    vector only until the page is full (for a common word a few hundred rows, not its tens
    of thousands). When they do not fill the page, the same statement ranks every match.
    """
    ranked, relevance = postgresql_ranked(selected, slots)
    end = start + size
    if end > TITLE_TIER_ROWS or any(len(alternatives) == 1 for alternatives in slots):
        ordered = ranked.order_by(*relevance, "start_date", "pk").values_list("pk", flat=True)
        return list(ordered[start:end])
    tier = selected
    for alternatives in slots:
        tier = tier.filter(search_vector=_in_title(alternatives))
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


def fts5_title_query(firsts: list[tuple[str, ...]]) -> str:
    """An FTS5 query for the rows whose title has, for every slot, a word that starts like the
    first word of one of its phrases (`firsts`, as `fts5_page` finds them): every row that
    `fts5_page` counts as having all the slots in its title is among them (a word after a
    space is a word to FTS5 too); "" when a word holds anything but letters and digits,
    which FTS5 might split differently."""
    either = []
    for words in firsts:
        if not all(_PLAIN.fullmatch(word) for word in words):
            return ""
        either.append("(" + " OR ".join(f'"{word}"*' for word in words) + ")")
    return "{title} : (" + " AND ".join(either) + ")"


_PLAIN = re.compile(r"[a-z0-9]+")


def fts5_page(selected: QuerySet[Opportunity], slots: Slots, start: int, size: int) -> list[int]:
    """The ids of one page of FTS5 matches among `selected`, best first.

    FTS5's bm25 divides by the length of the whole row, so a long description pushes an
    opportunity down even when its title says exactly what was asked for: words found in
    the title come first (the FTS title column starts with a space, so " word" is the start
    of a word), then bm25. The "+" keeps SQLite from handing the id list to FTS5, which would
    run the full-text query once per id.

    Reading each match's title and ranking it is what costs, so the page is first looked
    for among the matches with every slot in their title (found by the index: a few
    thousand of a common word's tens of thousands). When the page ends within them it is
    the page; otherwise (a rare word, a late page) the same statement ranks every match.
    One statement either way, so that a page costs the same queries whatever matched.
    """
    inner, inner_params = selected.values("pk").query.sql_with_params()
    # A slot is in the title when the first word of any of its phrases is.
    firsts = [tuple(dict.fromkeys(prefix(p[0]) for p in a)) for a in slots]
    hits = " + ".join("(" + " OR ".join(["instr(m.title, %s) > 0"] * len(f)) + ")" for f in firsts)
    hits_params = [f" {word}" for f in firsts for word in f]
    query = fts5_query(slots)

    def ranked(among: str, only_if: str = "1") -> str:
        # CROSS JOIN makes the condition the outer loop, so that the full-text scan does not
        # even start when it does not hold (as a WHERE term SQLite would test it per row).
        return f"""
            SELECT m.rowid AS id, ({hits}) AS hits, m.rank AS score
            FROM (SELECT 1 WHERE {only_if}) CROSS JOIN {FTS_TABLE} AS m
            WHERE m.{FTS_TABLE} MATCH %s AND +m.rowid IN ({among})
            ORDER BY 2 DESC, 3, 1
        """  # noqa: S608 - the interpolated parts are fixed SQL and Django's compiled query

    title = fts5_title_query(firsts)
    if not title:
        sql = ranked(inner) + " LIMIT %s OFFSET %s"
        params = [*hits_params, query, *inner_params, size, start]
    else:
        in_title = selected.filter(pk__in=RawSQL(FTS_IDS, [title]))  # noqa: S611
        title_inner, title_params = in_title.values("pk").query.sql_with_params()
        # The tier is looked in only when it holds enough rows for the page, and every match
        # ranked only when the tier did not hold the page.
        sql = f"""
            WITH titled AS MATERIALIZED ({title_inner}),
            tier AS MATERIALIZED (
                {ranked("SELECT * FROM titled", "(SELECT COUNT(*) FROM titled) >= %s")}
                LIMIT %s
            ),
            enough AS MATERIALIZED (SELECT COUNT(*) >= %s AS yes FROM tier WHERE hits = %s)
            SELECT * FROM (
                SELECT * FROM tier WHERE (SELECT yes FROM enough)
                ORDER BY hits DESC, score, id LIMIT %s OFFSET %s
            )
            UNION ALL
            SELECT * FROM (
                {ranked(inner, "NOT (SELECT yes FROM enough)")} LIMIT %s OFFSET %s
            )
        """  # noqa: S608 - as above
        end = start + size
        params = [
            *title_params,
            *hits_params,
            end,
            query,
            end,
            end,
            len(slots),
            size,
            start,
            *hits_params,
            query,
            *inner_params,
            size,
            start,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[1], row[2], row[0]))
    return [row[0] for row in rows]
