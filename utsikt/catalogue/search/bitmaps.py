"""Facet counts from bitmaps held in memory, kept per catalogue revision and day.

Counting every facet value in SQL costs a test per value and matching row: over the tens of
thousands of matches of a common word that was most of a first-time search. Here each facet
value is a bitmap of the listed opportunities that have it (a Python int whose bit i stands for
the opportunity with id i), and a search's counts are a few dozen ANDs and `bit_count()`s over
its matches' bitmap, whatever the number of matches.

The bitmaps are read whole with one query per process and day (what is upcoming or still open
changes at midnight): about half a second at 100,000 opportunities on the 2-CPU bench machine.
Under a new catalogue revision (every write changes it, index.py) they are brought up to date
with the opportunities the database logged as written since (`read_changes`, migration 0009),
so the first search after a write reads those rows only (bench/catalogue.py's
`common_after_a_write`). They hold nothing of any query.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from utsikt.catalogue.fields import CodeSetField
from utsikt.catalogue.models import Opportunity, OpportunityQuerySet
from utsikt.catalogue.search.query import Filters

# The facet groups whose values are codes in a bit set column (CodeSetField): group → field.
CODE_FIELDS = {"category": "staff_categories", "topic": "topics", "language": "languages"}


def code_bits(group: str) -> dict[str, int]:
    """The codes of a code group with their bit in the column."""
    code_set = Opportunity._meta.get_field(CODE_FIELDS[group])
    assert isinstance(code_set, CodeSetField)
    return code_set.bits


def open_condition(today: datetime.date) -> Q:
    """The application deadline has not passed (no deadline: it has not started yet)."""
    return Q(deadline__gte=today) | Q(deadline__isnull=True, start_date__gt=today)


# The yes/no facet values and the group each belongs to.
FLAG_GROUPS = {"free": "fee", "paid": "fee", "open": "open", "partner": "partner"}


def flag_conditions(today: datetime.date) -> dict[str, Q]:
    """The condition of each yes/no facet value (FLAG_GROUPS)."""
    return {
        "free": Q(fee=0),
        "paid": Q(fee__gt=0),
        "open": open_condition(today),
        "partner": Q(partner_until__gte=today.year),
    }


def from_ids(ids: Iterable[int]) -> int:
    """The bitmap of these ids: bit i set for each id i."""
    ids = list(ids)
    if not ids:
        return 0
    marks = bytearray(b"0") * (max(ids) + 1)
    # One C-level loop (a Python loop would cost several times more at 100,000 ids).
    collections.deque(map(marks.__setitem__, ids, itertools.repeat(ord("1"))), maxlen=0)
    return int(marks[::-1], 2)


def ids_of(bitmap: int) -> list[int]:
    """The ids in a bitmap, in order (the inverse of `from_ids`)."""
    bits = bin(bitmap)[:1:-1]  # bit i at index i
    return [found.start() for found in _ONE.finditer(bits)]


_ONE = re.compile("1")


def matching_ids(sql: str, params: Iterable[Any], column: str) -> int:
    """The bitmap of the ids in a column of what a query returns.

    The ids come back as one JSON array, which the json module reads in C: a row per id would
    cost the database driver more than the search itself when a common word matches most of
    the catalogue.
    """
    # Only fixed SQL and a compiled query are interpolated.
    if connection.vendor == "postgresql":
        outer = f"SELECT COALESCE(json_agg(found.{column}), '[]')::text FROM ({sql}) AS found"  # noqa: S608
    else:
        outer = f"SELECT json_group_array(found.{column}) FROM ({sql}) AS found"  # noqa: S608
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(outer, list(params))
            (found,) = cursor.fetchone()
        return from_ids(json.loads(found))
    with transaction.atomic(), connection.cursor() as cursor:
        # A common word matches most rows, so the planner would read every row and test its
        # search vector, stored apart (TOAST): several times slower than the GIN index, whose
        # matches need no test (no weights or phrases in the query). The setting ends with
        # this block, which writes nothing and is rolled back.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(outer, list(params))
        (found,) = cursor.fetchone()
        transaction.set_rollback(True)
    return from_ids(json.loads(found))


@dataclass
class Bitmaps:
    """Every facet value's listed opportunities, as bitmaps; for one revision and day."""

    listed: int = 0
    upcoming: int = 0
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    months: dict[datetime.date, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    places: dict[int, list[int]] = field(default_factory=dict)

    def place(self, place_id: int) -> int:
        return from_ids(self.places.get(place_id, ()))


def _boolean(condition: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(condition, output_field=BooleanField())


# The columns whose values are facet values, grouped by value when the bitmaps are read.
VALUE_COLUMNS = {
    "country": "country_id",
    "month": "start_month",
    "kind": "kind",
    "place": "place_id",
    **CODE_FIELDS,
}


def _rows(today: datetime.date) -> tuple[Any, list[str]]:
    """The listed opportunities with what each facet needs to know of them (a queryset), and
    the names of the yes/no columns it adds."""
    flags = flag_conditions(today)
    booleans = {"is_upcoming": _boolean(OpportunityQuerySet.upcoming_condition(today))}
    booleans |= {f"is_{name}": _boolean(condition) for name, condition in flags.items()}
    rows = (
        Opportunity.objects.listed()
        .order_by()
        .annotate(**booleans)
        .values("id", *booleans, *VALUE_COLUMNS.values())
    )
    return rows, list(booleans)


# Where the change log (migration 0009) stood when the bitmaps were read, in the same statement:
# SQLite logs one writer's commit after another's, so the last id seen; PostgreSQL the oldest
# transaction the reading could not see (its snapshot's xmin: every change of an older one was
# seen). And the log's last id, which must still be there for the bitmaps to be built upon
# (a log emptied by hand or by a test's flush is no history).
_LAST = "(SELECT coalesce(max(id), 0) FROM catalogue_opportunitychange)"
_SINCE = {"sqlite": _LAST, "postgresql": "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"}
# A group's ids as one JSON array.
_ID_LIST = {"sqlite": "json_group_array(id)", "postgresql": "json_agg(id)::text"}
_CHANGED_SINCE = {"sqlite": "id > %s", "postgresql": "transaction >= %s"}
# Without any of these triggers (SQLite drops a table's triggers when a migration rebuilds it)
# writes go unlogged: the bitmaps are then read whole.
LOG_TRIGGERS = tuple(f"catalogue_opportunity_logged_{op}" for op in ("insert", "update", "delete"))
_TRIGGERS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
    "postgresql": "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s, %s)",
}
# More opportunities written than this since the last reading: reading them all costs less.
MOST_CHANGED = 5_000


@dataclass(frozen=True)
class Position:
    """Where the change log stood when bitmaps were read (see _SINCE)."""

    since: int
    last: int


def read(today: datetime.date) -> Bitmaps:
    """The bitmaps as stored now: one statement over the listed opportunities."""
    return read_with_position(today)[0]


def read_with_position(today: datetime.date) -> tuple[Bitmaps, Position | None]:
    """The bitmaps as stored now, and where the change log stood (None: nothing logged yet).

    The database groups the ids by each facet value and hands each group back as one JSON
    array (one row per value, not per opportunity): reading 100,000 rows into Python and
    sorting them there would take ten times longer.
    """
    rows, booleans = _rows(today)
    inner, params = rows.query.sql_with_params()
    vendor = connection.vendor
    postgresql = vendor == "postgresql"
    ids = _ID_LIST[vendor]
    # Only fixed names and Django's compiled query are interpolated.
    parts = [f"SELECT '{name}', NULL, {ids} FROM r WHERE {name}" for name in booleans]  # noqa: S608
    for name, column in VALUE_COLUMNS.items():
        value = f"CAST({column} AS TEXT)"
        if postgresql and name == "month":
            value = f"to_char({column}, 'YYYY-MM-DD')"
        parts.append(f"SELECT '{name}', {value}, {ids} FROM r GROUP BY {column}")  # noqa: S608
    parts.append(f"SELECT 'position', CAST({_SINCE[vendor]} AS TEXT), CAST({_LAST} AS TEXT)")
    sql = f"WITH r AS MATERIALIZED ({inner}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()

    bitmaps = Bitmaps()
    position = None
    by_set: dict[str, dict[int, list[int]]] = {group: {} for group in CODE_FIELDS}
    for name, value, id_list in found:
        if name == "position":
            last = int(id_list)
            position = Position(int(value), last) if last else None
            continue
        if value is None and name in VALUE_COLUMNS:  # no month (a draft) or no city
            continue
        ids = json.loads(id_list or "[]")
        if name == "place":  # kept as ids: a bitmap per city would take much more memory
            bitmaps.places[int(value)] = ids
        elif name in CODE_FIELDS:
            by_set[name][int(value)] = ids
        elif name == "is_upcoming":
            bitmaps.upcoming = from_ids(ids)
        elif name.startswith("is_"):
            bitmaps.flags[name.removeprefix("is_")] = from_ids(ids)
        elif name == "country":
            bitmaps.countries[value] = from_ids(ids)
        elif name == "month":
            bitmaps.months[datetime.date.fromisoformat(value)] = from_ids(ids)
        else:
            bitmaps.kinds[value] = from_ids(ids)
    for group, sets in by_set.items():
        # A code's opportunities are those of every bit set that holds its bit.
        bitmaps.codes[group] = {
            code: from_ids(
                itertools.chain.from_iterable(ids for value, ids in sets.items() if value & bit)
            )
            for code, bit in code_bits(group).items()
        }
    for name in flag_conditions(today):
        bitmaps.flags.setdefault(name, 0)
    for with_kind in bitmaps.kinds.values():  # every listed opportunity has a kind
        bitmaps.listed |= with_kind
    return bitmaps, position


def read_changes(
    held: Bitmaps, since: Position, today: datetime.date
) -> tuple[Bitmaps, Position] | None:
    """The bitmaps `held` (read at `since`, the same day) brought up to date with the
    opportunities logged since, in one statement; None when they cannot be (a trigger missing,
    the log emptied since, too many written: read them whole). The written rows are looked up
    by id (CROSS JOIN keeps SQLite from testing every listed row against the list)."""
    rows, booleans = _rows(today)
    vendor = connection.vendor
    postgresql = vendor == "postgresql"
    changed = (
        "SELECT DISTINCT opportunity_id AS id FROM catalogue_opportunitychange"  # noqa: S608
        f" WHERE {_CHANGED_SINCE[vendor]} LIMIT %s"
    )
    inner, params = rows.query.sql_with_params()
    columns = ["id", *booleans, *VALUE_COLUMNS.values()]
    array = "json_build_array" if postgresql else "json_array"
    as_text = "::text" if postgresql else ""
    ids = _ID_LIST[vendor]
    header = f"""{array}(
        {_SINCE[vendor]}, {_LAST},
        (SELECT count(*) FROM catalogue_opportunitychange WHERE id = %s),
        ({_TRIGGERS[vendor]}), (SELECT count(*) FROM changed)
    ){as_text}"""  # noqa: S608 - fixed SQL only
    # Only fixed names and Django's compiled query are interpolated.
    sql = f"""
        WITH changed AS MATERIALIZED ({changed}),
        r AS MATERIALIZED (
            SELECT o.* FROM changed CROSS JOIN ({inner}) AS o WHERE o.id = changed.id
        )
        SELECT 'position', {header}
        UNION ALL SELECT 'changed', (SELECT {ids} FROM changed)
        UNION ALL SELECT 'row', {array}({", ".join(f"r.{c}" for c in columns)}){as_text} FROM r
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [since.since, MOST_CHANGED + 1, *params, since.last, *LOG_TRIGGERS])
        found = cursor.fetchall()
    now, last, kept, triggers, count = json.loads(found[0][1])
    if not kept or triggers != len(LOG_TRIGGERS) or count > MOST_CHANGED:
        return None
    written = json.loads(found[1][1] or "[]")
    fresh = [dict(zip(columns, json.loads(data), strict=True)) for _name, data in found[2:]]
    return _updated(held, written, fresh, today), Position(now, last)


def _updated(
    held: Bitmaps, written: list[int], fresh: list[dict[str, Any]], today: datetime.date
) -> Bitmaps:
    """New bitmaps: `held` without the opportunities written, with those still listed as they
    are now (`fresh`). `held` is left as it is: other threads may be counting with it."""
    if not written:
        return held
    keep = ~from_ids(written)

    def added(predicate: Any) -> int:
        return from_ids(row["id"] for row in fresh if predicate(row))

    def regrouped(old: dict[Any, int], value_of: Any) -> dict[Any, int]:
        new = {value: bitmap & keep for value, bitmap in old.items()}
        by_value: dict[Any, list[int]] = {}
        for row in fresh:
            value = value_of(row)
            if value is not None:
                by_value.setdefault(value, []).append(row["id"])
        for value, ids in by_value.items():
            new[value] = new.get(value, 0) | from_ids(ids)
        return {value: bitmap for value, bitmap in new.items() if bitmap}

    bitmaps = Bitmaps(upcoming=(held.upcoming & keep) | added(lambda row: row["is_upcoming"]))
    bitmaps.flags = {
        name: (bitmap & keep) | added(lambda row, name=name: row[f"is_{name}"])
        for name, bitmap in held.flags.items()
    }
    bitmaps.countries = regrouped(held.countries, lambda row: row["country_id"])
    bitmaps.kinds = regrouped(held.kinds, lambda row: row["kind"])
    bitmaps.months = regrouped(
        held.months,
        lambda row: datetime.date.fromisoformat(row["start_month"]) if row["start_month"] else None,
    )
    for group, column in CODE_FIELDS.items():
        bitmaps.codes[group] = {
            code: (held.codes[group][code] & keep)
            | added(lambda row, bit=bit, column=column: row[column] & bit)
            for code, bit in code_bits(group).items()
        }
    gone = set(written)
    for place, ids in held.places.items():
        kept = ids if gone.isdisjoint(ids) else [i for i in ids if i not in gone]
        if kept:
            bitmaps.places[place] = kept
    for row in fresh:
        if row["place_id"] is not None:
            bitmaps.places[row["place_id"]] = [*bitmaps.places.get(row["place_id"], ()), row["id"]]
    for with_kind in bitmaps.kinds.values():
        bitmaps.listed |= with_kind
    return bitmaps


_read: dict[str, Any] = {}
_lock = threading.Lock()


def current(revision: str | None, today: datetime.date) -> Bitmaps:
    """The bitmaps, once per process, catalogue revision and day (anew every time while the
    catalogue has no revision, i.e. before its first write).

    Under a new revision the same day, the bitmaps held are brought up to date with the
    opportunities written since (`read_changes`) instead of being read whole. Bitmaps read
    inside a transaction are never built upon: it may be rolled back, and its log with it.
    """
    key = (revision, today)
    with _lock:
        held = dict(_read)
    if revision is not None and held.get("key") == key:
        return held["bitmaps"]  # type: ignore[no-any-return]
    found = None
    if revision is not None and held.get("today") == today and held.get("position"):
        found = read_changes(held["bitmaps"], held["position"], today)
    bitmaps, position = found or read_with_position(today)
    if connection.in_atomic_block:
        position = None
    with _lock:
        _read.update(key=key, today=today, bitmaps=bitmaps, position=position)
    return bitmaps


def within(bitmaps: Bitmaps, filters: Filters) -> int:
    """What is listed before any facet narrows it (facets.listed), as a bitmap."""
    base = bitmaps.listed if filters.include_past else bitmaps.upcoming
    if filters.place:
        base &= bitmaps.place(filters.place)
    return base


def conditions(bitmaps: Bitmaps, filters: Filters) -> dict[str, int]:
    """One bitmap per facet group that has something ticked (facets.conditions_for)."""

    def either(chosen: Iterable[Any], by_value: dict[Any, int]) -> int:
        bitmap = 0
        for value in chosen:
            bitmap |= by_value.get(value, 0)
        return bitmap

    found: dict[str, int] = {}
    for group, chosen in (
        ("category", filters.categories),
        ("topic", filters.topics),
        ("language", filters.languages),
    ):
        if chosen:
            found[group] = either(chosen, bitmaps.codes[group])
    if filters.countries:
        found["country"] = either(filters.countries, bitmaps.countries)
    if filters.months:
        found["month"] = either(filters.months, bitmaps.months)
    if filters.kinds:
        found["kind"] = either(filters.kinds, bitmaps.kinds)
    if filters.fee in ("free", "paid"):
        found["fee"] = bitmaps.flags[filters.fee]
    if filters.open_only:
        found["open"] = bitmaps.flags["open"]
    if filters.partner_only:
        found["partner"] = bitmaps.flags["partner"]
    return found
