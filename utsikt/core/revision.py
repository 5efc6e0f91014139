"""Named revisions: a key per area ("catalogue") that every write to the area changes.

Readers file what they cache under the key they read (cache.py), so nothing cached outlives
a change. The key is needed by every page that caches, so a process trusts the one it last
read for UTSIKT_REVISION_SECONDS (its own writes forget it at once) and then reads it with
a plain cursor: the ORM would cost as much again.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.db import connection

from utsikt.core.models import Revision

# What this process last read, by name: (time.monotonic(), key or None).
_last_read: dict[str, tuple[float, str | None]] = {}


def bump(name: str) -> None:
    """Mark the area as changed: everything cached under its revision is from now on stale."""
    Revision.objects.update_or_create(name=name, defaults={"key": secrets.token_hex(8)})
    _last_read.pop(name, None)


def current(name: str) -> str | None:
    """The key cached results of the area are filed under; None before its first write."""
    now = time.monotonic()
    last = _last_read.get(name)
    if last is not None and now - last[0] < settings.UTSIKT_REVISION_SECONDS:
        return last[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM core_revision WHERE name = %s", [name])
        row = cursor.fetchone()
    key = str(row[0]) if row else None
    _last_read[name] = (now, key)
    return key
