"""The health check: can this process reach what it needs, and is the task worker alive?

`GET /health/` (public, JSON, nothing about any person) answers 200 when every check passes
and 503 when one fails, for a load balancer or a monitor:

- database: one `SELECT 1`;
- cache: a value written and read back (the shared cache: sessions, log-in limits, revisions);
- storage: a small file written, read back and deleted (the file system or S3);
- worker: the task worker's last heartbeat, which it writes to the shared cache every
  UTSIKT_HEARTBEAT_SECONDS (`manage.py worker`, see management/commands/worker.py); older than
  UTSIKT_HEARTBEAT_STALE_SECONDS, or never seen, fails.

The checks run at most once per HEALTH_MEMO_SECONDS per process, so that a flood of requests
to a public address never becomes a flood of writes to storage.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

HEARTBEAT_KEY = "utsikt:worker:heartbeat"
HEALTH_MEMO_SECONDS = 2.0

_memo: tuple[float, dict[str, Any]] | None = None
_memo_lock = threading.Lock()


def beat(now: float | None = None) -> None:
    """Record that a worker is alive (wall-clock seconds: other machines compare it)."""
    cache.set(HEARTBEAT_KEY, time.time() if now is None else now, timeout=None)


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache() -> dict[str, Any]:
    key = f"utsikt:health:{secrets.token_hex(4)}"
    cache.set(key, "ok", timeout=30)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("a value written to the cache was not read back")
    finally:
        cache.delete(key)
    return {"backend": type(caches["default"]).__name__}


def _storage() -> dict[str, Any]:
    name = default_storage.save(f"health/probe-{secrets.token_hex(6)}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != b"ok":
                raise RuntimeError("a file written to storage was not read back")
    finally:
        default_storage.delete(name)
    return {"backend": type(default_storage._wrapped).__name__}  # type: ignore[attr-defined]


def _worker() -> dict[str, Any]:
    last = cache.get(HEARTBEAT_KEY)
    if last is None:
        raise RuntimeError("no heartbeat from a task worker yet")
    age = max(0.0, time.time() - float(last))
    if age > settings.UTSIKT_HEARTBEAT_STALE_SECONDS:
        raise RuntimeError(f"the last heartbeat is {round(age)} s old")
    return {"seconds_since_heartbeat": round(age, 1)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "worker": _worker,
}


def run_checks() -> dict[str, Any]:
    """Every check's result, timed; an error becomes its class and message (no traceback)."""
    results: dict[str, Any] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result: dict[str, Any] = {"ok": True, **check()}
        except Exception as error:  # a failing check is the answer, not a 500
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    healthy = all(result["ok"] for result in results.values())
    return {"status": "ok" if healthy else "failing", "checks": results}


def status() -> dict[str, Any]:
    """run_checks(), remembered for HEALTH_MEMO_SECONDS in this process."""
    global _memo
    now = time.monotonic()
    with _memo_lock:
        if _memo is not None and now - _memo[0] < HEALTH_MEMO_SECONDS:
            return _memo[1]
    result = run_checks()
    with _memo_lock:
        _memo = (time.monotonic(), result)
    return result


def forget() -> None:
    """Drop the remembered answer (tests)."""
    global _memo
    with _memo_lock:
        _memo = None
