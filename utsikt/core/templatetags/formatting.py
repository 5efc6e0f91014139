"""The one way pages write numbers, money and dates (utsikt/core/formatting.py)."""

from __future__ import annotations

import datetime

from django import template

from utsikt.core import formatting

register = template.Library()


@register.filter
def number(value: formatting.Number | str | None, places: int = 0) -> str:
    return formatting.number(value, int(places))


@register.filter
def money(value: formatting.Number | str | None, currency: str = "EUR") -> str:
    return formatting.money(value, currency or "EUR")


@register.filter
def money_exact(value: formatting.Number | str | None, currency: str = "EUR") -> str:
    """Money to the öre or the cent, as ledgers write it: "14 250,50 kr"."""
    return formatting.money(value, currency or "EUR", places=2)


@register.filter
def day(value: datetime.date | str | None) -> str:
    return formatting.day(value)


@register.simple_tag
def date_range(start: datetime.date | None, end: datetime.date | None) -> str:
    return formatting.date_range(start, end)


@register.simple_tag
def number_range(low: formatting.Number, high: formatting.Number | None, unit: str = "") -> str:
    return formatting.number_range(low, high, unit)
