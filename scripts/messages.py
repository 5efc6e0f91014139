"""Fill the Swedish catalogue from the translation files and compile it.

`make messages` first extracts every translatable string into locale/sv/LC_MESSAGES/django.po
(Django's makemessages), then runs this script. Translations live in locale/sv/*.json, one
file per area ({"English source": "svensk text"}, or a list of two for plural forms), so
that work on different apps never edits the same lines. A text marked with a context
(pgettext("number of places", "places")) is keyed "[number of places] places": one English
text may then have two Swedish ones. Fails when two files translate one
text differently; prints the strings still missing, and those translated that the code no
longer uses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "sv" / "LC_MESSAGES"


class Conflict(Exception):
    """Two translation files give different Swedish for one English text."""


def load_translations(folder: Path = ROOT / "locale" / "sv") -> dict[str, str | list[str]]:
    """Every area's translations merged; raises Conflict rather than letting one file
    silently override another (the catalogue has one Swedish text per English one)."""
    merged: dict[str, str | list[str]] = {}
    found_in: dict[str, Path] = {}
    conflicts = []
    for path in sorted(folder.glob("*.json")):
        for msgid, text in json.loads(path.read_text(encoding="utf-8")).items():
            if msgid in merged and merged[msgid] != text:
                conflicts.append(
                    f"different Swedish for {msgid!r}: {found_in[msgid].name} says "
                    f"{merged[msgid]!r}, {path.name} says {text!r}; keep one in {folder}"
                )
                continue
            merged[msgid] = text
            found_in.setdefault(msgid, path)
    if conflicts:
        raise Conflict("\n".join(conflicts))
    return merged


def key(entry: polib.POEntry) -> str:
    """The entry's key in the translation files: its msgid, after its context if it has one."""
    return f"[{entry.msgctxt}] {entry.msgid}" if entry.msgctxt else entry.msgid


def fill(po: polib.POFile, translations: dict[str, str | list[str]]) -> list[str]:
    """Put the known translations into the catalogue; return the keys still missing."""
    missing = []
    for entry in po:
        text = translations.get(key(entry))
        # msgmerge guesses a translation from a similar string and marks it fuzzy; the
        # translation files decide instead, so the guess and its notes are dropped.
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            if isinstance(text, list) and len(text) == 2:
                entry.msgstr_plural = {0: text[0], 1: text[1]}
            else:
                entry.msgstr_plural = {0: "", 1: ""}
                missing.append(key(entry))
        elif isinstance(text, str) and text:
            entry.msgstr = text
        else:
            entry.msgstr = ""
            missing.append(key(entry))
    return missing


def main() -> int:
    try:
        translations = load_translations()
    except Conflict as conflict:
        print(conflict)
        return 1
    po_path = LOCALE / "django.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    po.metadata["Language"] = "sv"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = fill(po, translations)
    po.save(str(po_path))
    po.save_as_mofile(str(LOCALE / "django.mo"))
    for msgid in missing:
        print(f"missing Swedish: {msgid!r}")
    used = {key(entry) for entry in po}
    for msgid in translations.keys() - used:
        print(f"no longer used (delete it from locale/sv/*.json): {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
