"""The words of a query: folded, without stopwords, with a light stem to search as a prefix.

Words are folded first, so diacritics and case never matter; a common Swedish or English
ending is stripped and the rest matches as a prefix, so "bibliotekarier" finds
"bibliotekarie", "libraries" finds "library" and "bibliot" finds "biblioteket". Swedish
compounds are split in compounds.py.
"""

from __future__ import annotations

import re

from utsikt.grants.gazetteer import fold

MAX_TERMS = 8

# Words too common to narrow a search, in either language. "it" is kept: IT is a job here.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "by",
        "for",
        "from",
        "in",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "att",
        "av",
        "den",
        "det",
        "en",
        "ett",
        "for",
        "fran",
        "i",
        "med",
        "och",
        "om",
        "pa",
        "som",
        "till",
        "vid",
    ]
)
# Swedish and English endings stripped before a prefix search, longest first:
# "bibliotekarier" → "bibliotekari*", "veckor" → "veck*", "libraries" → "librar*".
_ENDINGS = sorted(
    [
        "heterna",
        "hetens",
        "anden",
        "heten",
        "heter",
        "arnas",
        "ernas",
        "ornas",
        "andes",
        "arens",
        "andet",
        "arna",
        "erna",
        "orna",
        "ande",
        "arne",
        "aste",
        "ades",
        "ens",
        "ade",
        "are",
        "ern",
        "het",
        "ast",
        "ad",
        "en",
        "ar",
        "er",
        "or",
        "as",
        "es",
        "at",
        "a",
        "e",
        "ies",
        "ing",
        "ed",
        "y",
    ],
    key=len,
    reverse=True,
)


def terms(query: str) -> list[str]:
    """The folded words of a query that narrow it: no punctuation, no stopwords."""
    words = re.findall(r"[a-z0-9]+", fold(query))
    kept = [w for w in words if w not in STOPWORDS] or words
    return kept[:MAX_TERMS]


def light_stem(word: str) -> str:
    """Strip one common Swedish or English ending, keeping at least four letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    if len(word) > 5 and word.endswith("s") and word[-2] in "bcdfghjklmnoprtvy":
        return word[:-1]
    return word


def prefix(word: str) -> str:
    """What a word is searched for as a prefix; words under three letters match exactly."""
    return light_stem(word) if len(word) >= 3 else word
