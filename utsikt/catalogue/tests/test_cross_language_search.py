"""Search across languages: a Swedish query finds English-only opportunities on its first page,
and the reverse, through a list of domain terms kept as data that administrators edit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.catalogue import curation, search
from utsikt.catalogue.models import HostOrganisation, Opportunity, SearchTerm
from utsikt.catalogue.search import synonyms
from utsikt.catalogue.tests.conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]


@pytest.fixture(autouse=True)
def _terms(db: None) -> None:
    synonyms.load_defaults()


def _many(make: MakeOpportunity, count: int, **values: Any) -> None:
    for number in range(count):
        make(start=TODAY + datetime.timedelta(days=10 + number), **values)


def _titles(query: str) -> list[str]:
    return [o.title for o in search.search(query, revision=None).rows]


def _listing(make: MakeOpportunity) -> None:
    """A catalogue like the one imported from public pages: some weeks described in both
    languages, some in Swedish only, some in English only, and others on other subjects."""
    days = iter(range(10, 200))

    def add(**values: Any) -> None:
        values.setdefault("topics", ())
        values.setdefault("staff_categories", ())
        make(start=TODAY + datetime.timedelta(days=next(days)), **values)

    for city in ["Porto", "Gent", "Tartu", "Bologna", "Graz", "Lille", "Turku", "Vilnius"]:
        add(title_sv=f"Biblioteksvecka i {city}", title_en=f"Library Week in {city}")
    for city in ["Umeå", "Bergen", "Aarhus", "Oulu", "Tromsø", "Åbo"]:
        add(title_sv=f"Biblioteksdagar i {city}", title_en="", description_sv="Om bibliotek.")
    for city in ["Tallinn", "Riga", "Kraków", "Brno", "Pécs", "Cluj"]:
        add(title_en=f"Library Staff Week {city}", description_en="For library staff.")
    for city in ["Madrid", "Lyon", "Köln", "Leiden", "Aveiro", "Split"]:
        add(title_en=f"Finance Week {city}", description_en="Budgets and procurement.")


def test_a_swedish_query_finds_english_only_weeks_on_the_first_page(
    make_opportunity: MakeOpportunity,
) -> None:
    _listing(make_opportunity)
    result = search.search("bibliotek", revision=None)
    assert result.total == 20  # the bilingual, the Swedish and the English ones
    english_only = {o.title for o in result.rows if not o.title_sv}
    assert len(english_only) == 6


def test_an_english_query_finds_swedish_only_weeks_on_the_first_page(
    make_opportunity: MakeOpportunity,
) -> None:
    _listing(make_opportunity)
    result = search.search("library", revision=None)
    assert result.total == 20
    swedish_only = {o.title for o in result.rows if not o.title_en}
    assert len(swedish_only) == 6
    assert {o.title for o in search.search("libraries", revision=None).rows} == {
        o.title for o in result.rows
    }


def test_with_more_than_a_page_the_other_language_still_shows_on_the_first_page(
    make_opportunity: MakeOpportunity,
) -> None:
    """More Swedish matches than a page holds, later in the year: the English-only weeks are
    as relevant, so they come first by date rather than after every Swedish one."""
    _listing(make_opportunity)
    for number in range(8):
        make_opportunity(
            title_sv="Bibliotekskurs",
            title_en="",
            description_sv="Bibliotek, bibliotekarier och biblioteksdata.",
            topics=(),
            start=TODAY + datetime.timedelta(days=250 + number),
        )
    first = search.search("bibliotek", revision=None)
    assert first.total == 28
    assert len([o for o in first.rows if not o.title_sv]) == 6


def test_international_weeks_are_found_by_any_of_their_names(
    make_opportunity: MakeOpportunity, make_host: Callable[..., HostOrganisation]
) -> None:
    granada = make_host(name="Universidad de Granada", country="ES", city="Granada")
    names = ["Semana Internacional de Personal", "Interweek Sarajevo", "International Week Porto"]
    for title in names:
        make_opportunity(title_en=title, description_en="", topics=(), host=granada)
    make_opportunity(title_sv="Internationell vecka i Lund", title_en="", topics=(), host=granada)
    make_opportunity(title_en="Finance Staff Week", topics=(), staff_categories=(), host=granada)
    everything = {*names, "Internationell vecka i Lund"}
    assert set(_titles("internationell vecka")) == everything
    assert set(_titles("interweek")) == everything
    assert set(_titles("semana internacional")) == everything
    assert set(_titles("ekonomi")) == {"Finance Staff Week"}


def test_an_administrator_adds_terms_and_the_next_search_uses_them(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Makerspace Week", description_en="", topics=())
    assert _titles("skaparverkstad") == []
    curation.save_search_term(term=SearchTerm(terms="makerspace\nskaparverkstad"), by=None)
    assert _titles("skaparverkstad") == ["Makerspace Week"]


def test_the_terms_can_be_edited_in_the_admin(client_for: Callable[[str | None], Client]) -> None:
    client = client_for("admin")
    term = SearchTerm.objects.first()
    assert term is not None
    url = reverse("admin:catalogue_searchterm_change", args=[term.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"terms": "bibliotek\nlibrary\nbiblioteca\nbücherei"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert "bücherei" in term.phrases()


def test_nothing_upcoming_but_past_events_match_says_so_with_a_link_that_includes_them(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(
        title_en="Library Week 2024",
        start=TODAY - datetime.timedelta(days=400),
        status=Opportunity.Status.PAST,
        topics=(),
    )
    body = Client().get(reverse("catalogue:search") + "?q=bibliotek").content.decode()
    assert "Inget kommande tillfälle matchar." in body
    assert "1 tidigare tillfälle matchar." in body
    assert "?q=bibliotek&amp;past=on" in body
    past = Client().get(reverse("catalogue:search") + "?q=bibliotek&past=on").content.decode()
    assert "Library Week 2024" in past
