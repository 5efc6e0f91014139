"""Loading Skatteverket's normalbelopp (the per diem abroad) from its open-data export.

The tax agency publishes the table as open data (an EntryScape row store) whose rows have the
fields `land eller område`, `normalbelopp`, `år` and `landskod`; it can be saved as CSV or
JSON. An administrator loads a year's export through `manage.py load_per_diem FILE` or the
admin; each value keeps the file's source and its year. Countries the rules do not know are
reported, not created: the gazetteer's countries are the reference data's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.grants import rates
from utsikt.grants.models import Country, PerDiem

# The export's own field names; the admin's upload and the command read the same ones.
COUNTRY_NAME = "land eller område"
AMOUNT = "normalbelopp"
YEAR = "år"
CODE = "landskod"
OPEN_DATA_SOURCE = (
    "Skatteverket, normalbelopp (open data): "
    "https://skatteverket.entryscape.net/rowstore/dataset/70ccea31-b64c-4bf5-84c7-673f04f32505"
)


class InvalidExport(ValueError):
    """The file is not Skatteverket's export as the loader reads it; the message says why."""


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    code: str
    year: int
    sek: int


@dataclass
class Loaded:
    """What a load did: values created, values changed, and rows for unknown countries."""

    created: int = 0
    updated: int = 0
    unknown: list[str] = field(default_factory=list)


def _amount(text: str) -> int:
    # Skatteverket prints "1.274" or "1 274"; the amounts are whole kronor.
    digits = re.sub(r"[^\d]", "", text)
    if not digits:
        raise InvalidExport(_("“%(text)s” is not an amount.") % {"text": text})
    return int(digits)


def _rows(items: Iterable[Mapping[str, Any]]) -> list[Row]:
    rows = []
    for item in items:
        keys = {str(k).strip().lower(): v for k, v in item.items()}
        if AMOUNT not in keys or YEAR not in keys:
            raise InvalidExport(
                _("Each row needs the fields “%(amount)s” and “%(year)s”.")
                % {"amount": AMOUNT, "year": YEAR}
            )
        try:
            year = int(str(keys[YEAR]).strip())
        except ValueError as error:
            raise InvalidExport(_("“%(text)s” is not a year.") % {"text": keys[YEAR]}) from error
        rows.append(
            Row(
                name=str(keys.get(COUNTRY_NAME) or "").strip(),
                code=str(keys.get(CODE) or "").strip().upper(),
                year=year,
                sek=_amount(str(keys[AMOUNT])),
            )
        )
    return rows


def parse(content: bytes | str) -> list[Row]:
    """The rows of an export, JSON (a list, or the row store's `results`) or CSV."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except ValueError as error:
            raise InvalidExport(_("The file is not valid JSON.")) from error
        items = data.get("results", []) if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InvalidExport(_("The JSON holds no rows."))
        return _rows(items)
    try:
        dialect = csv.Sniffer().sniff(stripped[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel()  # type: ignore[assignment]
    return _rows(csv.DictReader(io.StringIO(stripped), dialect=dialect))


def load(*, content: bytes | str, source: str, actor: Actor) -> Loaded:
    """Create or update the normalbelopp in the export, each with its source and year.

    A value loaded from Skatteverket's own export counts as verified for its year.
    """
    rows = parse(content)
    countries = {c.iso2: c for c in Country.objects.all()}
    by_name = {c.name_sv.lower(): c for c in countries.values()}
    loaded = Loaded()
    with transaction.atomic():
        for row in rows:
            country = countries.get(row.code) or by_name.get(row.name.lower())
            if country is None:
                loaded.unknown.append(row.name or row.code)
                continue
            value, created = PerDiem.objects.update_or_create(
                country=country,
                year=row.year,
                defaults={"sek": row.sek, "source": source, "verified": True},
            )
            if created:
                loaded.created += 1
            else:
                loaded.updated += 1
            events.record(
                action="per_diem.loaded",
                actor=actor,
                subject=value,
                payload={"year": row.year, "sek": row.sek, "source": source},
            )
        transaction.on_commit(rates.forget)
    return loaded
