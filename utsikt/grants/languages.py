"""The language a country's organisations write their own names in, as a BCP 47 code.

A host's local name is marked with this code (`lang="el"` for a Greek university), which
is not its country code: "gr", "at" or "se" name no language. Countries whose organisations
name themselves in more than one language (Belgium, Luxembourg, Switzerland) have none, so
their names carry no mark rather than a wrong one.
"""

from __future__ import annotations

LANGUAGE_OF_COUNTRY = {
    "AT": "de",
    "BG": "bg",
    "CY": "el",
    "CZ": "cs",
    "DE": "de",
    "DK": "da",
    "EE": "et",
    "ES": "es",
    "FI": "fi",
    "FR": "fr",
    "GB": "en",
    "GR": "el",
    "HR": "hr",
    "HU": "hu",
    "IE": "en",
    "IS": "is",
    "IT": "it",
    "LI": "de",
    "LT": "lt",
    "LV": "lv",
    "MK": "mk",
    "MT": "mt",
    "NL": "nl",
    "NO": "nb",
    "PL": "pl",
    "PT": "pt",
    "RO": "ro",
    "RS": "sr",
    "SE": "sv",
    "SI": "sl",
    "SK": "sk",
    "TR": "tr",
    "UA": "uk",
}


def language_of_country(code: str | None) -> str:
    """The language code for a country's own names, or "" when there is no single one."""
    return LANGUAGE_OF_COUNTRY.get((code or "").upper(), "")
