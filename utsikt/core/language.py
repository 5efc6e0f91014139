"""The page's language: choosing a text in it, and remembering it between visits."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import get_language

# In the session when log-in set the language cookie because the browser had chosen none:
# log-out then removes the cookie again; the language switch removes the mark (chosen now).
LANGUAGE_FROM_LOG_IN = "language_from_log_in"


def remember_language(response: HttpResponseBase, language: str) -> None:
    """Set the cookie the language middleware reads first."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )


def is_english() -> bool:
    """True on English pages; every other page is Swedish, the default."""
    return get_language() == "en"


def in_language(swedish: str, english: str) -> str:
    """The text in the page's language, or the other one when it is missing."""
    if is_english():
        return english or swedish
    return swedish or english
