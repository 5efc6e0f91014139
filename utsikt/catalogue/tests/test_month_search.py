"""Month names are searchable, in Swedish and English: an opportunity known only by its month
("May 2027") and one with exact days are found by "maj 2027", "May 2027", "oktober" …, on the
database in use (FTS5 on SQLite, tsvector on PostgreSQL)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from utsikt.catalogue import search
from utsikt.catalogue.models import Opportunity
from utsikt.catalogue.search import index

MakeOpportunity = Callable[..., Opportunity]


@pytest.fixture
def weeks(make_opportunity: MakeOpportunity) -> None:
    # Known only by its month, as an import keeps "May 2027".
    make_opportunity(
        title_en="Staff Training Week Tbilisi",
        start_date=datetime.date(2027, 5, 1),
        end_date=datetime.date(2027, 5, 31),
        dates_approximate=True,
        deadline=None,
    )
    make_opportunity(title_en="Library Week Porto", start=datetime.date(2027, 10, 11))
    make_opportunity(title_en="Finance Week Brno", start=datetime.date(2028, 5, 8))
    # Over the turn of a month: found by both.
    make_opportunity(title_en="Summer School Lund", start=datetime.date(2027, 6, 28))


def _titles(query: str) -> set[str]:
    return {o.title for o in search.search(query, revision=None).rows}


@pytest.mark.parametrize("query", ["maj 2027", "Maj 2027", "maj"])
def test_a_swedish_month_finds_what_happens_then(weeks: None, query: str) -> None:
    expected = {"Staff Training Week Tbilisi"}
    if query == "maj":
        expected.add("Finance Week Brno")
    assert _titles(query) == expected


@pytest.mark.parametrize("query", ["May 2027", "may 2027", "may"])
def test_an_english_month_finds_what_happens_then(weeks: None, query: str) -> None:
    expected = {"Staff Training Week Tbilisi"}
    if query == "may":
        expected.add("Finance Week Brno")
    assert _titles(query) == expected


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("oktober", {"Library Week Porto"}),
        ("October 2027", {"Library Week Porto"}),
        ("juli", {"Summer School Lund"}),
        ("June", {"Summer School Lund"}),
        ("library oktober", {"Library Week Porto"}),
        ("library maj", set()),
    ],
)
def test_exact_dates_are_found_by_their_months_in_either_language(
    weeks: None, query: str, found: set[str]
) -> None:
    assert _titles(query) == found


def test_a_draft_without_dates_has_no_month_words(make_opportunity: MakeOpportunity) -> None:
    draft = make_opportunity(status=Opportunity.Status.DRAFT, start_date=None, end_date=None)
    assert index.month_words(draft) == ("", "")
    dated = make_opportunity(start=datetime.date(2027, 12, 30))
    assert index.month_words(dated) == ("december 2027 januari 2028", "december 2027 january 2028")
