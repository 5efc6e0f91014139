"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(item: Any, field: str) -> Any:
    """`{{ finding|localized:"message" }}`: message_en on English pages, message_sv otherwise."""
    suffix = "en" if get_language() == "en" else "sv"
    key = f"{field}_{suffix}"
    if isinstance(item, dict):
        return item.get(key, "")
    return getattr(item, key, "")


@register.filter
def sek(amount: Any) -> str:
    """Whole kronor with a thin space between thousands: 12 345."""
    if amount in (None, ""):
        return "–"
    return f"{round(float(amount)):,}".replace(",", "\u202f")
