"""The catalogue's pages say what is true and write dates and places as people read them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.catalogue.models import Opportunity

MakeOpportunity = Callable[..., Opportunity]
ClientFor = Callable[[str | None], Client]
MAY = datetime.date(2027, 5, 3)


def _page(path: str, language: str, client: Client | None = None) -> str:
    client = client or Client()
    client.cookies["django_language"] = language
    return client.get(path).content.decode()


@pytest.mark.parametrize(
    ("language", "register"), [("sv", "Anmäl dig hos arrangören"), ("en", "Register with")]
)
def test_a_cancelled_opportunity_offers_no_registration_and_no_calendar_file(
    make_opportunity: MakeOpportunity, language: str, register: str
) -> None:
    live = make_opportunity(registration_url="https://example.org/register")
    cancelled = make_opportunity(
        registration_url="https://example.org/register",
        title_en="Cancelled week",
        status=Opportunity.Status.CANCELLED,
    )
    shown = _page(reverse("catalogue:opportunity_detail", args=[live.slug]), language)
    assert register in shown and "calendar.ics" in shown
    gone = _page(reverse("catalogue:opportunity_detail", args=[cancelled.slug]), language)
    assert register not in gone and "calendar.ics" not in gone


@pytest.mark.parametrize(("language", "country"), [("sv", "Portugal"), ("en", "Portugal")])
def test_the_maps_table_names_countries_instead_of_codes(
    make_opportunity: MakeOpportunity, language: str, country: str
) -> None:
    make_opportunity()
    body = _page(reverse("catalogue:map"), language)
    assert f"<td>{country}</td>" in body
    assert "<td>PT</td>" not in body


@pytest.mark.parametrize(("language", "dates"), [("sv", "3–7 maj 2027"), ("en", "3–7 May 2027")])
def test_the_catalogue_office_writes_dates_like_every_other_page(
    make_opportunity: MakeOpportunity, client_for: ClientFor, language: str, dates: str
) -> None:
    opportunity = make_opportunity(start=MAY)
    office = _page(reverse("catalogue:office"), language, client_for("officer_ht"))
    detail = _page(reverse("catalogue:opportunity_detail", args=[opportunity.slug]), language)
    assert dates in office and dates in detail
    assert "2027-05-03" not in office.replace('datetime="2027-05-03"', "")
