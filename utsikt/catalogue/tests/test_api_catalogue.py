"""The catalogue through the API tells a fee the host does not state from a free week."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from utsikt.catalogue.models import Opportunity


def test_the_api_gives_no_fee_when_it_is_not_stated_and_0_when_the_week_is_free(
    make_opportunity: Callable[..., Opportunity],
) -> None:
    free = make_opportunity(title_en="Free week", fee=Decimal(0))
    unknown = make_opportunity(title_en="Week of unknown fee", fee=None)
    fees = {
        item["slug"]: item["fee"]
        for item in Client().get(reverse("api:opportunities"), {"limit": 100}).json()["items"]
    }
    assert Decimal(fees[free.slug]) == 0
    assert fees[unknown.slug] is None  # not the text "None"
    one = Client().get(reverse("api:opportunity", args=[unknown.slug])).json()
    assert one["fee"] is None
