"""The full-text index of opportunities, on whichever database is in use.

PostgreSQL keeps a stored, GIN-indexed `tsvector` (Swedish, English and word for word) in
Opportunity.search_vector; SQLite keeps an FTS5 table, catalogue_opportunity_fts, whose rowid
is the opportunity's id. Both index the same text, folded (lower case, no diacritics), so
"Göteborg", "goteborg" and "GÖTEBORG" are one word on either database. The write functions in
curation.py call `index()` for what they change; deletions clean the FTS5 table by trigger.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import translation

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import Language, Opportunity, Topic
from utsikt.catalogue.schema import FTS_TABLE
from utsikt.catalogue.search import compounds
from utsikt.core import revision
from utsikt.grants.gazetteer import fold

BATCH = 500


@dataclass(frozen=True)
class Document:
    """What the index holds for one opportunity, per language, from most to least weight.

    Titles weigh most; then the facts a person searches by (who it is for, the topic, the
    host, the city and country); then the descriptions.
    """

    id: int
    title_sv: str
    title_en: str
    facts_sv: str
    facts_en: str
    text_sv: str
    text_en: str


_COMBINING_ACCENTS = re.compile("[\u0300-\u036f]")


def _fold(text: str) -> str:
    """The same as gazetteer.fold, several times faster on Latin script (indexing 100,000
    opportunities folds a few hundred million characters); anything else goes to fold."""
    if not text.isascii():
        text = _COMBINING_ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))
        if not text.isascii():
            return fold(text)
    return " ".join(text.lower().replace("-", " ").split())


@functools.cache
def _label_table(language: str) -> dict[str, dict[str, str]]:
    """Labels of kinds, categories, topics and languages in one language (fixed at run time)."""
    with translation.override(language):
        return {
            name: {str(code): str(label) for code, label in choices.choices}
            for name, choices in (
                ("kind", Opportunity.Kind),
                ("category", StaffCategory),
                ("topic", Topic),
                ("language", Language),
            )
        }


# What people call each kind in either language, whatever the labels say ("Staff Week" is
# what Swedish pages call a staff week, but people also search for "personalvecka").
KIND_WORDS: dict[str, str] = {
    Opportunity.Kind.STAFF_WEEK: "staff week personalvecka",
    Opportunity.Kind.COURSE: "course training kurs utbildning",
    Opportunity.Kind.JOB_SHADOWING: "job shadowing jobbskuggning",
    Opportunity.Kind.LANGUAGE_COURSE: "language course språkkurs",
}


def _labels(language: str, opportunity: Opportunity) -> list[str]:
    table = _label_table(language)
    return [
        table["kind"].get(opportunity.kind, ""),
        KIND_WORDS.get(opportunity.kind, "") if language == "sv" else "",
        *(table["category"][c] for c in opportunity.staff_categories if c in table["category"]),
        *(table["topic"][c] for c in opportunity.topics),
        *(table["language"][c] for c in opportunity.languages),
    ]


# Month names in both languages, written out (not translated per document: indexing must be
# fast), so that "maj 2025", "May 2025" or "oktober" finds what happens then.
MONTHS_SV: tuple[str, ...] = (
    *("januari", "februari", "mars", "april", "maj", "juni"),
    *("juli", "augusti", "september", "oktober", "november", "december"),
)
MONTHS_EN: tuple[str, ...] = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
# A long course is found by the months it starts in, not by every month of a year or more.
MAX_MONTHS = 12


def month_words(opportunity: Opportunity) -> tuple[str, str]:
    """The months (and years) an opportunity runs in, in Swedish and in English; nothing for a
    draft without dates."""
    start, end = opportunity.start_date, opportunity.end_date
    if start is None:
        return "", ""
    end = end or start
    swedish: list[str] = []
    english: list[str] = []
    year, month = start.year, start.month
    for _step in range(MAX_MONTHS):
        swedish += [MONTHS_SV[month - 1], str(year)]
        english += [MONTHS_EN[month - 1], str(year)]
        if (year, month) >= (end.year, end.month):
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return " ".join(dict.fromkeys(swedish)), " ".join(dict.fromkeys(english))


def document_for(opportunity: Opportunity) -> Document:
    """The indexed text of an opportunity, folded; Swedish compounds are followed by their parts."""
    host = opportunity.host
    place = opportunity.place
    country = opportunity.country
    shared = [host.name, host.local_name, host.erasmus_code, country.name_sv, country.name_en]
    shared.append(opportunity.keywords)
    if place is not None:
        shared += [place.name, place.name_sv]
    months_sv, months_en = month_words(opportunity)
    return Document(
        id=opportunity.pk,
        title_sv=compounds.with_parts(_fold(opportunity.title_sv)),
        title_en=_fold(opportunity.title_en),
        facts_sv=compounds.with_parts(_fold(" ".join([*_labels("sv", opportunity), *shared])))
        + f" {months_sv}",
        facts_en=_fold(" ".join([*_labels("en", opportunity), months_en])),
        text_sv=compounds.with_parts(_fold(opportunity.description_sv)),
        text_en=_fold(opportunity.description_en),
    )


def _write_postgresql(documents: Sequence[Document]) -> None:
    row = "(%s::bigint, %s::text, %s::text, %s::text, %s::text, %s::text, %s::text)"
    rows = ", ".join([row] * len(documents))
    params: list[Any] = []
    for d in documents:
        params += [d.id, d.title_sv, d.title_en, d.facts_sv, d.facts_en, d.text_sv, d.text_en]
    # Titles are stemmed in both languages (an English title is found by the Swedish word
    # for the same thing) and kept word for word ('simple') for prefix searches; the facts
    # (labels, host, city, country) are kept word for word. Descriptions are only stemmed,
    # each in its own language: PostgreSQL reads a smaller vector much faster (twice as
    # fast on 100,000 rows, where a common word matches most of them).
    sql = f"""
        UPDATE catalogue_opportunity AS o SET search_vector =
            setweight(to_tsvector('swedish'::regconfig, v.title_sv || ' ' || v.title_en)
                || to_tsvector('english'::regconfig, v.title_en || ' ' || v.title_sv)
                || to_tsvector('simple'::regconfig, v.title_sv || ' ' || v.title_en), 'A')
            || setweight(to_tsvector('simple'::regconfig, v.facts_sv || ' ' || v.facts_en), 'B')
            || setweight(to_tsvector('swedish'::regconfig, v.text_sv)
                || to_tsvector('english'::regconfig, v.text_en), 'C')
        FROM (VALUES {rows}) AS v(id, title_sv, title_en, facts_sv, facts_en, text_sv, text_en)
        WHERE o.id = v.id
    """  # noqa: S608 - only placeholders are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_sqlite(documents: Sequence[Document]) -> None:
    with connection.cursor() as cursor:
        ids = [d.id for d in documents]
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, facts, body) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)",
            [
                (
                    d.id,
                    f" {d.title_sv} {d.title_en}",  # a space first: see engines.fts5_page
                    f"{d.facts_sv} {d.facts_en}",
                    f"{d.text_sv} {d.text_en}",
                )
                for d in documents
            ],
        )


def write(documents: Sequence[Document]) -> None:
    """Store documents in the index of the database in use, in batches."""
    writer = _write_postgresql if connection.vendor == "postgresql" else _write_sqlite
    for start in range(0, len(documents), BATCH):
        writer(documents[start : start + BATCH])


def index(opportunities: Iterable[Opportunity]) -> None:
    """(Re)index these opportunities; they need host, country and place loaded."""
    write([document_for(o) for o in opportunities])


def reindex(ids: Iterable[int] | None = None) -> int:
    """Rebuild the index for these opportunities (all when None); returns how many."""
    queryset = Opportunity.objects.select_related("host", "country", "place").order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    count = 0
    batch: list[Opportunity] = []
    for opportunity in queryset.iterator(chunk_size=2000):
        batch.append(opportunity)
        if len(batch) >= 2000:
            index(batch)
            count += len(batch)
            batch = []
    index(batch)
    return count + len(batch)


# The catalogue's named revision (core/revision.py): every write that can change what a search
# shows bumps it, and cached results and pages are filed under it.
REVISION = "catalogue"


def bump_revision() -> None:
    """Mark the catalogue as changed: every cached search result is from now on stale."""
    revision.bump(REVISION)


def current_revision() -> str | None:
    """The key cached results are filed under; None before the first write."""
    return revision.current(REVISION)
