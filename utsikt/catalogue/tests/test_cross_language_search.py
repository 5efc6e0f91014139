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


def test_a_swedish_query_finds_an_english_only_week_on_the_first_page(
    make_opportunity: MakeOpportunity,
) -> None:
    _many(
        make_opportunity,
        30,
        title_sv="Biblioteksdagar",
        title_en="",
        description_sv="En vecka om bibliotek och lärande.",
        description_en="",
        topics=(),
    )
    make_opportunity(
        title_en="Library Week in Tallinn", description_en="Workshops for library staff.", topics=()
    )
    assert search.search("bibliotek", revision=None).total == 31
    assert "Library Week in Tallinn" in _titles("bibliotek")
    assert "Library Week in Tallinn" in _titles("biblioteket")


def test_an_english_query_finds_a_swedish_only_week_on_the_first_page(
    make_opportunity: MakeOpportunity,
) -> None:
    _many(make_opportunity, 30, title_en="Library Days", topics=())
    make_opportunity(
        title_sv="Biblioteksvecka i Lund",
        title_en="",
        description_sv="Workshops för bibliotekarier.",
        description_en="",
        topics=(),
    )
    assert "Biblioteksvecka i Lund" in _titles("library")
    assert "Biblioteksvecka i Lund" in _titles("libraries")


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
