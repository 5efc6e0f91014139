"""Words that mean the same across languages: "bibliotek" also finds "library".

The groups are data (SearchTerm rows, edited by administrators; the defaults come from
data/search_terms.json). A query's words are read left to right; where a phrase of a group
stands ("internationell vecka"), the query asks for any phrase of that group instead
("international week", "interweek", "semana internacional" …). Words are compared by their
light stem, so "libraries" is "library" and "veckan" is "vecka".
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from utsikt.catalogue.search.words import prefix, terms

DATA = Path(__file__).resolve().parent.parent / "data" / "search_terms.json"
LONGEST = 4  # words in a phrase

# One slot per query word or phrase: the alternatives, each a phrase (its words).
Alternatives = tuple[tuple[str, ...], ...]
Slots = list[Alternatives]
Groups = dict[tuple[str, ...], Alternatives]


def default_groups() -> list[list[str]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["groups"]  # type: ignore[no-any-return]


def load_defaults(model: Any = None) -> int:
    """Fill an empty SearchTerm table with the shipped groups; returns how many were added."""
    if model is None:
        from utsikt.catalogue.models import SearchTerm as model
    if model.objects.exists():
        return 0
    rows = [model(terms="\n".join(group)) for group in default_groups()]
    model.objects.bulk_create(rows)
    return len(rows)


def _key(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(prefix(w) for w in words)


def build(phrase_groups: list[list[str]]) -> Groups:
    """Each phrase (by the stems of its words) → every phrase of its groups (their words)."""
    found: dict[tuple[str, ...], dict[tuple[str, ...], None]] = {}
    for group in phrase_groups:
        phrases = [tuple(terms(p)) for p in group]
        phrases = [p for p in phrases if p and len(p) <= LONGEST]
        for phrase in phrases:
            alternatives = found.setdefault(_key(phrase), {})
            for other in phrases:
                alternatives.setdefault(other, None)
    return {key: _fewest(tuple(alternatives)) for key, alternatives in found.items()}


def _fewest(alternatives: Alternatives) -> Alternatives:
    """The alternatives without those another one finds already: the same stems
    ("libraries" is "library"), or a longer single word whose stem starts with another's
    ("biblioteka" is found by "bibliotek*")."""
    kept: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    singles = [prefix(a[0]) for a in alternatives if len(a) == 1 and len(a[0]) >= 3]
    for alternative in alternatives:
        key = _key(alternative)
        if key in seen:
            continue
        if len(alternative) == 1 and any(
            key[0] != stem and key[0].startswith(stem) for stem in singles
        ):
            continue
        # "international staff week" is found by "international week" already.
        if any(set(_key(other)) < set(key) for other in alternatives if _key(other) != key):
            continue
        seen.add(key)
        kept.append(alternative)
    return tuple(kept)


def read() -> Groups:
    """The groups as stored (one query)."""
    from utsikt.catalogue.models import SearchTerm

    return build([term.phrases() for term in SearchTerm.objects.all()])


_read: dict[str, Any] = {}
_lock = threading.Lock()


def groups(revision: str | None) -> Groups:
    """The groups, read once per process and catalogue revision (every edit of a term changes
    the revision); kept apart from the result cache, so that even a search computed anew
    (a cache turned off, as in the benchmark) does not read the table again."""
    with _lock:
        if revision is not None and _read.get("revision") == revision:
            return _read["groups"]  # type: ignore[no-any-return]
    found = read()
    with _lock:
        _read.update(revision=revision, groups=found)
    return found


def expand(words: list[str], groups: Groups) -> Slots:
    """The query's words as slots: a phrase of a group becomes all its group's phrases."""
    slots: Slots = []
    stems = _key(words)
    i = 0
    while i < len(words):
        for length in range(min(LONGEST, len(words) - i), 0, -1):
            alternatives = groups.get(stems[i : i + length])
            if alternatives:
                own = tuple(words[i : i + length])
                slots.append((own, *(a for a in alternatives if _key(a) != _key(own))))
                i += length
                break
        else:
            slots.append(((words[i],),))
            i += 1
    return slots


def plain(words: list[str]) -> Slots:
    """Slots without synonyms: each word alone."""
    return [((w,),) for w in words]
