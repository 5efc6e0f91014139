"""Facets: counts per value, disjunctive within a group, and a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from utsikt.accounts.models import OrgUnit
from utsikt.catalogue import curation, search
from utsikt.catalogue.models import (
    HostOrganisation,
    Opportunity,
    PartnerAgreement,
)
from utsikt.catalogue.search import index as search_index
from utsikt.core import cache
from utsikt.core.models import Revision

from .conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]


def facet(result: search.SearchResult, name: str) -> dict[str, int]:
    [group] = [f for f in result.facets() if f.name == name]
    return {v.value: v.count for v in group.values}


def test_ticking_a_value_keeps_the_counts_of_its_siblings_and_narrows_other_groups(
    make_opportunity: MakeOpportunity, make_host: MakeHost
) -> None:
    madrid = make_host(name="Complutense", country="ES", city="Madrid")
    make_opportunity(staff_categories=("librarian",))
    make_opportunity(staff_categories=("librarian", "it_technician"))
    make_opportunity(host=madrid, staff_categories=("it_technician",))

    everything = search.search("")
    assert facet(everything, "category") == {"librarian": 2, "it_technician": 2}
    assert facet(everything, "country") == {"PT": 2, "ES": 1}

    in_spain = search.search("", search.Filters(countries=("ES",)))
    assert in_spain.total == 1
    # Portugal still shows what ticking it as well would add; categories follow Spain.
    assert facet(in_spain, "country") == {"PT": 2, "ES": 1}
    assert facet(in_spain, "category") == {"it_technician": 1}

    librarians_or_it = search.search("", search.Filters(categories=("librarian", "it_technician")))
    assert librarians_or_it.total == 3


def test_the_counts_are_what_ticking_the_value_would_give(
    make_opportunity: MakeOpportunity, make_host: MakeHost
) -> None:
    madrid = make_host(name="Complutense", country="ES", city="Madrid")
    make_opportunity(topics=("library",), languages=("en", "pt"), fee=Decimal(150))
    make_opportunity(topics=("library", "it"), languages=("en",))
    make_opportunity(host=madrid, topics=("it",), languages=("es",), kind="course")
    make_opportunity(host=madrid, topics=("finance",), deadline=TODAY - datetime.timedelta(1))
    base = search.Filters(languages=("en",))
    result = search.search("", base)
    for code, count in facet(result, "topic").items():
        ticked = search.search("", search.Filters(languages=("en",), topics=(code,)))
        assert ticked.total == count, code
    for value, count in facet(result, "fee").items():
        assert search.search("", search.Filters(languages=("en",), fee=value)).total == count


def test_flags_narrow_to_open_deadlines_no_fee_and_partners(
    make_opportunity: MakeOpportunity, make_host: MakeHost, org: dict[str, OrgUnit]
) -> None:
    partner = make_host(name="Partner University", country="IT", city="Bologna")
    curation.record_agreement(
        agreement=PartnerAgreement(
            host=partner, unit=org["ht"], valid_from=TODAY.year - 1, valid_until=TODAY.year + 1
        ),
        by=None,
    )
    make_opportunity(host=partner, slug="partner", fee=Decimal(200))
    make_opportunity(slug="closed", deadline=TODAY - datetime.timedelta(days=1))
    make_opportunity(slug="open", deadline=TODAY + datetime.timedelta(days=1))

    def found(**flags: object) -> set[str]:
        filters = search.Filters(**flags)  # type: ignore[arg-type]
        return {o.slug for o in search.search("", filters).rows}

    assert found(partner_only=True) == {"partner"}
    assert found(open_only=True) == {"partner", "open"}
    assert found(fee="free") == {"closed", "open"}
    assert found(fee="paid") == {"partner"}
    assert found(partner_only=True, fee="free") == set()


def test_a_month_narrows_to_opportunities_starting_in_it(make_opportunity: MakeOpportunity) -> None:
    first = (TODAY.replace(day=1) + datetime.timedelta(days=70)).replace(day=3)
    second = (first + datetime.timedelta(days=35)).replace(day=3)
    make_opportunity(slug="first", start=first)
    make_opportunity(slug="second", start=second)
    months = facet(search.search(""), "month")
    assert months == {first.strftime("%Y-%m"): 1, second.strftime("%Y-%m"): 1}
    only = search.search("", search.Filters(months=(second.replace(day=1),)))
    assert [o.slug for o in only.rows] == ["second"]


def _queries_for(client: Client, url: str) -> int:
    search.cache.clear()
    cache.pages.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_search_page_costs_the_same_queries_for_few_and_many_opportunities(
    make_opportunity: MakeOpportunity, make_host: MakeHost
) -> None:
    client = Client()
    urls = [
        reverse("catalogue:search"),
        reverse("catalogue:search") + "?q=week&country=PT&category=librarian&sort=start",
        reverse("catalogue:search") + "?q=international+week&more=open&fee=free&past=on",
        reverse("catalogue:map") + "?q=week",
        reverse("catalogue:calendar") + "?topic=international",
    ]
    make_opportunity()
    # Reference data and the call year's rules are read once per process; a file run alone
    # reads them on its first page, so warm every page before counting.
    for url in urls:
        _queries_for(client, url)
    few = [_queries_for(client, url) for url in urls]
    hosts = [make_host(name=f"Host {n}", country="ES", city="Madrid") for n in range(5)]
    for number in range(40):
        make_opportunity(
            host=hosts[number % 5],
            staff_categories=("librarian", "hr"),
            start=TODAY + datetime.timedelta(days=5 + number),
        )
    # The search terms across languages are read once per revision and process, like the
    # reference data: warm again after the writes, then count.
    _queries_for(client, urls[1])
    many = [_queries_for(client, url) for url in urls]
    assert few == many
    # On PostgreSQL the match runs in a block of its own that has the planner use the index
    # (begin or savepoint, the setting, the match, rolled back): three statements more.
    assert max(many) <= (11 if connection.vendor == "postgresql" else 8)


def test_a_repeated_search_is_served_from_the_cache_with_one_query(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity()
    client = Client()
    url = reverse("catalogue:search") + "?q=international"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) == 1  # the catalogue's revision


def test_within_the_trusted_time_a_repeated_search_costs_no_query(
    make_opportunity: MakeOpportunity, settings: Any
) -> None:
    settings.UTSIKT_REVISION_SECONDS = 3600
    make_opportunity(title_en="Library week")
    client = Client()
    url = reverse("catalogue:search") + "?q=library"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert b"Library week" in client.get(url).content
    assert len(captured) == 0


def test_another_process_write_shows_when_the_revision_is_old_this_process_write_at_once(
    make_opportunity: MakeOpportunity, settings: Any
) -> None:
    settings.UTSIKT_REVISION_SECONDS = 3600
    opportunity = make_opportunity()
    read = search_index.current_revision()
    # Another server process writes: this one goes on trusting what it read.
    Revision.objects.filter(name="catalogue").update(key="written-elsewhere")
    assert search_index.current_revision() == read
    settings.UTSIKT_REVISION_SECONDS = 0  # ... until that is too old
    assert search_index.current_revision() == "written-elsewhere"
    settings.UTSIKT_REVISION_SECONDS = 3600
    curation.cancel(opportunity=opportunity, by=None)  # this process's own write
    assert search_index.current_revision() == Revision.objects.get(name="catalogue").key
    assert search_index.current_revision() != "written-elsewhere"


def test_a_change_shows_at_once_although_results_are_cached(
    make_opportunity: MakeOpportunity,
) -> None:
    opportunity = make_opportunity(title_en="Open science week")
    client = Client()
    url = reverse("catalogue:search") + "?q=science"
    assert opportunity.title_en in client.get(url).content.decode()
    curation.cancel(opportunity=opportunity, by=None)
    assert opportunity.title_en not in client.get(url).content.decode()
