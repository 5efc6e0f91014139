"""Swedish compound words, split into the words they are made of.

Swedish writes "universitetsbiblioteket" where English writes "university library", so a
search for "bibliotek" must find the compound, and a search for "forskningsdata" must find
"data för forskning". Neither PostgreSQL's Swedish stemmer nor FTS5 splits compounds, so the
index adds the parts of every compound to the Swedish text (index.py), and a query
word that is a compound also matches its parts together (engines.py).

A word is split where it starts with a known word, perhaps joined by a linking letter
("forskning-s-data", "hogskol-e-personal"), and the rest is a known word, inflected or a
compound itself. Known words come from data/swedish_words.txt. Words are folded (lower case,
no diacritics) before they get here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

WORDS_FILE = Path(__file__).parent.parent / "data" / "swedish_words.txt"
SHORTEST_PART = 3
# Sounds that join the parts of a compound: forskning-s-data, vecko-slut, hogskole-personal.
_LINKS = ("", "s", "e", "o", "u", "a")
# Endings of an inflected last part: biblioteket, veckor, tjanster, avdelningen.
_ENDINGS = frozenset(("", "n", "en", "et", "er", "ar", "or", "r", "na", "ns", "ens", "ets", "s"))
_ENDINGS |= {"t", "ts", "erna", "arna", "orna", "rna", "ernas", "arnas", "ornas", "ers", "ars"}
_ENDINGS |= {"ors", "a", "e"}


@functools.cache
def _known() -> frozenset[str]:
    """Words as they may start a compound or, inflected, end it."""
    words = {
        line.strip()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    # "vecka" starts "veckoslut" as "veck" + "o" and ends "personalveckor" as "veck" + "or";
    # "center" ends "valkomstcentret" as "centr" + "et".
    clipped = {w[:-1] for w in words if w[-1] in "ae" and len(w) > SHORTEST_PART + 1}
    clipped |= {w[:-2] + w[-1] for w in words if w.endswith(("er", "el")) and len(w) > 5}
    return frozenset(words | clipped)


def _is_word(text: str) -> bool:
    """A known word, perhaps inflected."""
    known = _known()
    for cut in range(len(text), SHORTEST_PART - 1, -1):
        if text[cut:] in _ENDINGS and text[:cut] in known:
            return True
    return False


@functools.lru_cache(maxsize=65_536)
def split(word: str) -> tuple[str, ...]:
    """The parts of a compound as written in it, or () when the word is no compound.

    "universitetsbiblioteken" → ("universitet", "biblioteken");
    "bibliotekspersonalen" → ("bibliotek", "personalen"). The longest known first part wins.
    """
    if len(word) < 2 * SHORTEST_PART or not word.isalpha():
        return ()
    known = _known()
    for cut in range(len(word) - SHORTEST_PART, SHORTEST_PART - 1, -1):
        head = word[:cut]
        if head not in known:
            continue
        rest = word[cut:]
        for link in _LINKS:
            if not rest.startswith(link) or len(rest) - len(link) < SHORTEST_PART:
                continue
            tail = rest[len(link) :]
            if _is_word(tail):
                return (head, tail)
            deeper = split(tail)
            if deeper:
                return (head, *deeper)
    return ()


def with_parts(text: str) -> str:
    """Folded Swedish text with the parts of its compounds added at the end."""
    parts = [part for word in re.findall(r"[a-z]+", text) for part in split(word)]
    return f"{text} {' '.join(parts)}" if parts else text
