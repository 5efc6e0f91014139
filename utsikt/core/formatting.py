"""Numbers, money and dates written one way on every page, e-mail and message.

Swedish: "1 975 €", "17 468 kr", "2 000–2 999 km", "−6 362", "3–7 maj 2027", with a narrow
no-break space between thousands and a true minus. English: "€1,975", "SEK 17,468",
"2,000–2,999 km", "−6,362", "3–7 May 2027". Templates reach these through the `formatting`
template library (`{{ amount|money }}`, `{% date_range start end %}`); Python code calls them.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, formats

from utsikt.core.language import is_english

NARROW_NO_BREAK_SPACE = "\u202f"
MINUS = "\u2212"
EN_DASH = "\u2013"

Number = int | float | Decimal


def number(value: Number | str | None, places: int = 0) -> str:
    """A number grouped in thousands, rounded half up to `places` decimals; "" for none."""
    if value is None or value == "":
        return ""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "−0"
    # Django's own grouping, so that templates' floatformat:"0g" writes the same digits.
    text = formats.number_format(rounded, decimal_pos=places, force_grouping=True)
    return text.replace("-", MINUS)


def money(value: Number | str | None, currency: str = "EUR", places: int = 0) -> str:
    """An amount with its currency: "1 975 €" and "17 468 kr" in Swedish, "€1,975" in English."""
    if value is None or value == "":
        return ""
    amount = number(value, places)
    currency = currency.upper()
    if is_english():
        symbol = {"EUR": "€", "SEK": "SEK "}.get(currency, currency + " ")
        sign = MINUS if amount.startswith(MINUS) else ""
        return f"{sign}{symbol}{amount.removeprefix(MINUS)}"
    unit = {"EUR": "€", "SEK": "kr"}.get(currency, currency)
    return f"{amount}{NARROW_NO_BREAK_SPACE}{unit}"


def number_range(low: Number, high: Number | None, unit: str = "") -> str:
    """ "2 000–2 999 km"; an open range is left to the caller's words ("8 000 km or more")."""
    text = number(low) if high is None else f"{number(low)}{EN_DASH}{number(high)}"
    return f"{text}{NARROW_NO_BREAK_SPACE}{unit}" if unit else text


def day(value: datetime.date | str | None, with_year: bool = True) -> str:
    """A date as the language writes it short: "17 nov 2026", "17 Nov 2026"; also a date
    kept as text in a JSON snapshot ("2024-03-31")."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            return value  # not a date: shown as it was kept, never a failed page
    else:
        date = value
    month = "M" if is_english() else "b"
    return dateformat.format(date, f"j {month} Y" if with_year else f"j {month}")


def date_range(start: datetime.date | None, end: datetime.date | None) -> str:
    """Two dates with what they share written once: "3–7 maj 2027", "28 apr–2 maj 2027"."""
    if start is None or end is None or start == end:
        return day(start or end)
    if start.year != end.year:
        return f"{day(start)}{EN_DASH}{day(end)}"
    if start.month != end.month:
        return f"{day(start, with_year=False)}{EN_DASH}{day(end)}"
    return f"{start.day}{EN_DASH}{day(end)}"
