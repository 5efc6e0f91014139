"""Readable citations for the rates' sources.

A rate's `source` is a research note for the people who keep the data: it names files,
sections of a reference document and the reasoning behind a value. The public grant page
shows only who published the rule and a link to it, in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

URL = re.compile(r"https?://[^\s;,)\"']+")

# Publishers by the end of their host name; the first that matches names the citation.
PUBLISHERS: tuple[tuple[str, Promise], ...] = (
    ("skatteverket.se", _("Skatteverket (the Swedish Tax Agency)")),
    ("uhr.se", _("UHR, the Swedish Council for Higher Education")),
    ("lu.se", _("Lund University")),
    ("ec.europa.eu", _("European Commission, Erasmus+")),
    ("europa.eu", _("European Union")),
)


@dataclass(frozen=True)
class Citation:
    """Who published a rule and where to read it (no address when the note gives none)."""

    publisher: str
    url: str = ""


def _publisher(url: str) -> str:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for suffix, name in PUBLISHERS:
        if host == suffix or host.endswith("." + suffix):
            return str(name)
    return str(_("Secondary source: %(site)s") % {"site": host})


def cite(source: str) -> list[Citation]:
    """The published sources a research note points to, each once, in the reader's language."""
    citations: list[Citation] = []
    for match in URL.finditer(source):
        url = match.group(0).rstrip(".")
        publisher = _publisher(url)
        if all(c.publisher != publisher for c in citations):
            citations.append(Citation(publisher, url))
    if not citations and source.strip():
        # A note without an address rests on pages the office compiled the rules from.
        citations.append(
            Citation(str(_("Compiled by the International Office from the university's rules")))
        )
    return citations
