"""Numbers, money and dates are written one way, in each language."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from utsikt.core import formatting

NNBSP = "\u202f"


def test_swedish_groups_thousands_with_a_narrow_no_break_space_and_a_true_minus() -> None:
    with translation.override("sv"):
        assert formatting.money(Decimal("1975.4")) == f"1{NNBSP}975{NNBSP}€"
        assert formatting.money(17468, "SEK") == f"17{NNBSP}468{NNBSP}kr"
        assert formatting.number(-6362) == f"\u22126{NNBSP}362"
        assert formatting.number(Decimal("0.4")) == "0"
        assert formatting.number(Decimal("1234.5"), 1) == f"1{NNBSP}234,5"
        assert formatting.number_range(2000, 2999, "km") == f"2{NNBSP}000–2{NNBSP}999{NNBSP}km"


def test_english_groups_thousands_with_commas_and_puts_the_currency_first() -> None:
    with translation.override("en"):
        assert formatting.money(Decimal(1975)) == "€1,975"
        assert formatting.money(-6362, "SEK") == "\u2212SEK 6,362"
        assert formatting.number_range(2000, 2999, "km") == f"2,000–2,999{NNBSP}km"


def test_date_ranges_write_what_the_two_dates_share_once() -> None:
    start = datetime.date(2027, 5, 3)
    with translation.override("sv"):
        assert formatting.date_range(start, datetime.date(2027, 5, 7)) == "3–7 maj 2027"
        assert formatting.date_range(datetime.date(2027, 4, 28), start) == "28 apr–3 maj 2027"
        assert formatting.day(datetime.date(2026, 11, 17)) == "17 nov 2026"
    with translation.override("en"):
        assert formatting.date_range(start, datetime.date(2027, 5, 7)) == "3–7 May 2027"
        assert (
            formatting.date_range(datetime.date(2026, 12, 28), datetime.date(2027, 1, 2))
            == "28 Dec 2026–2 Jan 2027"
        )


def test_a_date_kept_as_text_in_a_snapshot_is_written_as_a_date() -> None:
    with translation.override("sv"):
        assert formatting.day("2024-03-31") == "31 mar 2024"
    with translation.override("en"):
        assert formatting.day("2024-03-31") == "31 Mar 2024"
        # Text that is not a date is shown as it was kept, rather than failing the page.
        assert formatting.day("spring 2024") == "spring 2024"
        assert formatting.day("") == ""


def test_templates_and_floatformat_write_the_same_digits() -> None:
    template = Template(
        '{% load formatting %}{{ n|number }} {{ n|floatformat:"0g" }} {{ n|money }}'
    )
    with translation.override("sv"):
        assert (
            template.render(Context({"n": 1975})) == f"1{NNBSP}975 1{NNBSP}975 1{NNBSP}975{NNBSP}€"
        )
