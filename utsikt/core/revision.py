"""Named revisions: a key per area ("catalogue") that every write to the area changes.

Readers file what they cache under the key they read (cache.py), so nothing cached outlives
a change. The key is needed by every page that caches, so a process trusts the one it last
read for UTSIKT_REVISION_SECONDS (its own writes forget it at once) and then reads it with
a plain cursor: the ORM would cost as much again.

With a shared cache other than the database (Redis: UTSIKT_REVISIONS_IN_CACHE) the key is
read from the cache, and from the table only when the cache has none. A write removes the
cached key at once and puts the new one there after its transaction commits: never before,
or another process could file what it read before the commit under the new key. Inside a
transaction the table is read, which shows the transaction's own writes. A reader puts what
it read from the table only where the cache has nothing (`add`), so a slow reader never
puts an older key back over a newer one.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from utsikt.core.models import Revision

logger = logging.getLogger(__name__)

# How long the shared cache keeps a key: the longest a write whose cache update failed (the
# cache did not answer) can go unseen by other processes.
CACHED_SECONDS = 60

# The revision the database's triggers change with every write to the people, their roles
# and the applications (mobility migration 0010): the work lists and the signed-in person
# are cached under it.
WORKFLOW = "workflow"

# The key a caller has just read, while it reads what goes with it (read()).
_known: ContextVar[tuple[str, str] | None] = ContextVar("utsikt_revision_known", default=None)

# What this process last read, by name: (time.monotonic(), key or None).
_last_read: dict[str, tuple[float, str | None]] = {}


def _cache_key(name: str) -> str:
    return f"utsikt:revision:{name}"


def bump(name: str) -> None:
    """Mark the area as changed: everything cached under its revision is from now on stale."""
    key = secrets.token_hex(8)
    Revision.objects.update_or_create(name=name, defaults={"key": key})
    _last_read.pop(name, None)
    if settings.UTSIKT_REVISIONS_IN_CACHE:
        _in_cache(cache.delete, _cache_key(name))

        def publish() -> None:
            _last_read.pop(name, None)
            _in_cache(cache.set, _cache_key(name), key, timeout=CACHED_SECONDS)

        transaction.on_commit(publish)


def current(name: str) -> str | None:
    """The key cached results of the area are filed under; None before its first write."""
    now = time.monotonic()
    last = _last_read.get(name)
    if last is not None and now - last[0] < settings.UTSIKT_REVISION_SECONDS:
        return last[1]
    shared = settings.UTSIKT_REVISIONS_IN_CACHE and not connection.in_atomic_block
    key: str | None = _in_cache(cache.get, _cache_key(name)) if shared else None
    if key is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM core_revision WHERE name = %s", [name])
            row = cursor.fetchone()
        key = str(row[0]) if row else None
        if shared and key is not None:
            _in_cache(cache.add, _cache_key(name), key, timeout=CACHED_SECONDS)
    _last_read[name] = (now, key)
    return key


def latest(name: str) -> str | None:
    """The key as the table holds it now, without the trust window or the shared cache.

    For pages that must show a person's own change on their very next request, whichever
    process serves it: one plain query (see cache.private_page). Database triggers change
    such a key (the "workflow" one: mobility migration 0010), so the shared cache never has it.
    On PostgreSQL they change the row once per transaction, at its commit, and count its
    writes in the setting `utsikt.<name>_writes`, local to it: the count is part of the key
    inside the writing transaction, and empty everywhere else. So is the transaction's id
    once it has one (it wrote): what a transaction that is later rolled back files under
    its key can never be found by another that wrote as many times.

    Inside `read(name, key)` it is that key, which the caller has just read (latest_and).
    """
    known = _known.get()
    if known is not None and known[0] == name:
        return known[1]
    sql, params = _key_query(name)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return str(row[0]) if row else None


def latest_and(name: str, sql: str, params: list[Any]) -> tuple[str | None, Any]:
    """The key as `latest` reads it and the value of a query of one value, in one statement:
    one round trip instead of two (the session store reads the session with it)."""
    key_sql, key_params = _key_query(name)
    # Prepared on PostgreSQL (core/postgresql): it is sent on every signed-in request.
    cursor_for = getattr(connection, "prepared_cursor", connection.cursor)
    with cursor_for() as cursor:
        # Both parts are this code's own SQL; the values are parameters.
        cursor.execute(f"SELECT ({key_sql}), ({sql})", [*key_params, *params])
        key, value = cursor.fetchone()
    return (None if key is None else str(key)), value


@contextlib.contextmanager
def read(name: str, key: str) -> Iterator[None]:
    """Within: `latest(name)` is the key the caller read just before (latest_and), without
    asking again. Only for what is read at once after it, as the signed-in person is."""
    token = _known.set((name, key))
    try:
        yield
    finally:
        _known.reset(token)


def _key_query(name: str) -> tuple[str, list[Any]]:
    if connection.vendor == "postgresql":
        return (
            "SELECT key || coalesce(current_setting(%s, true), '')"
            " || coalesce('.' || txid_current_if_assigned(), '')"
            " FROM core_revision WHERE name = %s",
            [f"utsikt.{name}_writes", name],
        )
    return "SELECT key FROM core_revision WHERE name = %s", [name]


def _in_cache(operation: Any, *args: Any, **kwargs: Any) -> Any:
    """A cache that does not answer costs the revision's speed, never the page."""
    try:
        return operation(*args, **kwargs)
    except Exception:
        logger.warning("The shared cache did not answer for a revision", exc_info=True)
        return None
