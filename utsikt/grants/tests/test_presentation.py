"""How the department's cost is said: a grant larger than the cost in words, no net when
parts are missing, and the fee as a line of its own; in both languages."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from utsikt.grants import estimates, presentation, rates

pytestmark = pytest.mark.django_db

ATHENS = {
    "call_year": 2025,
    "hosts": [{"city": "Athens", "country": "GR", "kind": "university"}],
    "activity": "job_shadowing",
    "start": "2025-11-03",
    "end": "2025-11-07",
}
PORTO = {**ATHENS, "hosts": [{"city": "Porto", "country": "PT", "kind": "university"}]}


def _page(trip: dict[str, Any], language: str) -> str:
    with translation.override(language):
        result = estimates.run(trip, today=datetime.date(2025, 9, 15))
        explained = presentation.explain(result, rates.for_call_year(2025))
        request = RequestFactory().get("/")
        return render_to_string(
            "grants/_result.html", {"result": result, "explained": explained}, request=request
        )


@pytest.mark.parametrize(
    ("language", "words", "rate_day"),
    [
        (
            "sv",
            "Erasmus+ täcker {}\u202fkr mer än den beräknade kostnaden",
            r"\(kursen \d{1,2} [a-z]{3} \d{4}\)",
        ),
        (
            "en",
            "Erasmus+ covers SEK {} more than the estimated cost",
            r"\(rate of \d{1,2} [A-Z][a-z]{2} \d{4}\)",
        ),
    ],
)
def test_a_grant_larger_than_the_cost_is_said_in_words_not_as_a_negative_net(
    language: str, words: str, rate_day: str
) -> None:
    # Cheap travel and accommodation as entered: the grant exceeds what the department pays.
    trip = {**ATHENS, "travel_sek": 500, "accommodation_sek": 500}
    with translation.override(language):
        result = estimates.run(trip, today=datetime.date(2025, 9, 15))
    net = result["department_cost"]["net_sek"]
    assert net < 0
    with translation.override(language):
        from django.utils import formats

        amount = formats.number_format(-net, decimal_pos=0, use_l10n=True, force_grouping=True)
    html = _page(trip, language)
    assert words.format(amount) in html
    assert f"{net}" not in html and "−" + amount not in html.split('data-net="covered"')[1][:300]
    # The exchange rate's date is written as the language writes dates, not as 2024-03-31.
    assert re.search(rate_day, html), html


@pytest.mark.parametrize(("language", "part"), [("sv", "traktamente"), ("en", "daily allowance")])
def test_when_parts_are_missing_they_are_named_and_no_net_is_shown(
    language: str, part: str
) -> None:
    html = _page(PORTO, language)  # no normalbelopp is known for Portugal
    assert 'data-net="unknown"' in html
    assert part in html.split("data-missing")[1].split("</p>")[0]
    assert 'data-net="-' not in html


@pytest.mark.parametrize(
    ("language", "band"), [("sv", "2\u202f000–2\u202f999 km"), ("en", "2,000–2,999 km")]
)
def test_the_distance_band_is_written_as_a_range_like_every_other_number(
    language: str, band: str
) -> None:
    html = _page(PORTO, language)  # Lund to Porto is about 2,260 km
    assert band in html
    assert "2000-2999" not in html
