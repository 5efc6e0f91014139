"""The public grant page cites its sources by publisher and link, never by research note."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.grants.citations import Citation, cite


def test_a_research_note_becomes_its_publishers_with_their_links() -> None:
    note = (
        "Lund staff page (reference §1.8), https://staff.lu.se/x and https://www.ht.lu.se/y; "
        "seed/000_107c.txt, erasmus-rates.json; https://www.skatteverket.se/traktamente."
    )
    with translation.override("en"):
        found = cite(note)
    assert found == [
        Citation("Lund University", "https://staff.lu.se/x"),
        Citation(
            "Skatteverket (the Swedish Tax Agency)", "https://www.skatteverket.se/traktamente"
        ),
    ]


def test_a_note_without_an_address_is_cited_as_the_offices_compilation() -> None:
    with translation.override("en"):
        (citation,) = cite("Lund staff page: staff who have not had a grant before get priority")
    assert citation.url == ""
    assert "International Office" in citation.publisher


@pytest.mark.parametrize(
    ("language", "publisher"),
    [("sv", "Universitets- och högskolerådet (UHR)"), ("en", "UHR, the Swedish Council")],
)
def test_the_grant_page_shows_readable_citations_in_both_languages(
    db: None, client: Client, language: str, publisher: str
) -> None:
    client.cookies["django_language"] = language
    html = client.get(reverse("grants:estimate")).content.decode()
    rates = html[html.index('id="rates-heading"') :]
    assert publisher in rates
    for internal in ("reference §", "seed/", ".json", ".txt", "NOT FOUND", "Best-known value"):
        assert internal not in rates, internal
    assert re.search(r'<a href="https://[^"]+" rel="external">', rates)
