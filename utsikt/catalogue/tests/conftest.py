"""Catalogue fixtures: hosts and opportunities made through curation.py, and the demo catalogue."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import curation, demo, search
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.core import cache
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_search_cache() -> None:
    """Each test starts without cached results or pages (keys are per revision anyway)."""
    search.cache.clear()
    cache.pages.clear()


@pytest.fixture
def make_host(db: None) -> Callable[..., HostOrganisation]:
    def make(
        name: str = "University of Porto", country: str = "PT", city: str = "Porto", **extra: Any
    ) -> HostOrganisation:
        host = HostOrganisation(
            name=name,
            kind=extra.pop("kind", HostOrganisation.Kind.UNIVERSITY),
            country=Country.objects.get(iso2=country),
            place=find_places(city, country).first() if city else None,
            **extra,
        )
        return curation.save_host(host=host, by=None)

    return make


@pytest.fixture
def make_opportunity(
    org: dict[str, OrgUnit], make_host: Callable[..., HostOrganisation]
) -> Callable[..., Opportunity]:
    """An opportunity, published and upcoming unless told otherwise."""
    hosts: dict[str, HostOrganisation] = {}

    def make(**values: Any) -> Opportunity:
        host = values.pop("host", None)
        if host is None:
            if "default" not in hosts:
                hosts["default"] = make_host()
            host = hosts["default"]
        start = values.pop("start", TODAY + datetime.timedelta(days=60))
        defaults: dict[str, Any] = {
            "kind": Opportunity.Kind.STAFF_WEEK,
            "title_en": "International Staff Week",
            "title_sv": "",
            "description_en": "A week of workshops.",
            "start_date": start,
            "end_date": start + datetime.timedelta(days=4),
            "deadline": start - datetime.timedelta(days=30),
            "fee": Decimal(0),
            "languages": ("en",),
            "staff_categories": ("international_coordinator",),
            "topics": ("international",),
            "status": Opportunity.Status.PUBLISHED,
            "faculty": org["ht"],
        }
        defaults.update(values)
        opportunity = Opportunity(host=host, **defaults)
        return curation.save_opportunity(opportunity=opportunity, by=None)

    return make


@pytest.fixture
def catalogue(personas: dict[str, User]) -> dict[str, int]:
    """The whole demo catalogue: real universities, invented staff weeks, the Porto week."""
    return demo.load()
