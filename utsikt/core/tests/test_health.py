"""The health check (/health/): database, cache, storage and the worker's heartbeat."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from utsikt.core import health
from utsikt.core.management.commands import worker


@pytest.fixture(autouse=True)
def fresh(settings: object, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    health.forget()
    yield
    health.forget()


@pytest.mark.django_db
def test_a_healthy_site_answers_200_with_every_check_and_nothing_about_anyone(
    client: Client, tmp_path: Path
) -> None:
    health.beat()
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["seconds_since_heartbeat"] < 60
    assert "@" not in json.dumps(body)
    assert list(tmp_path.rglob("*.txt")) == []  # the storage probe cleans up after itself


@pytest.mark.django_db
def test_without_a_worker_heartbeat_the_site_is_not_healthy(client: Client) -> None:
    cache.delete(health.HEARTBEAT_KEY)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_a_heartbeat_older_than_the_limit_fails_the_check(client: Client) -> None:
    health.beat(now=time.time() - 3600)
    body = client.get("/health/").json()
    assert body["checks"]["worker"]["ok"] is False
    assert "3600 s old" in body["checks"]["worker"]["error"]


@pytest.mark.django_db
def test_a_failing_check_is_named_and_the_others_still_run(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, object]:
        raise OSError("the bucket is not there")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    health.beat()
    response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"] == {"ok": False, "error": "OSError: the bucket is not there"} | {
        "ms": checks["storage"]["ms"]
    }
    assert checks["database"]["ok"] and checks["cache"]["ok"] and checks["worker"]["ok"]


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    UTSIKT_HEARTBEAT_SECONDS=0.01,
)
def test_the_worker_writes_its_heartbeat_while_it_runs() -> None:
    cache.delete(health.HEARTBEAT_KEY)
    started = time.time()
    stop = threading.Event()
    thread = threading.Thread(target=worker._beat_forever, args=(stop,))
    thread.start()
    try:
        for _ in range(500):
            if cache.get(health.HEARTBEAT_KEY) is not None:
                break
            time.sleep(0.01)
        # A beat the thread wrote: a timestamp taken after it started, however slow the machine.
        beat = cache.get(health.HEARTBEAT_KEY)
        assert beat is not None and beat >= started
    finally:
        stop.set()
        thread.join()


def test_the_worker_polls_again_after_losing_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    calls: list[int] = []

    def handle(self: object, *args: object, **options: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(db_worker.Command, "handle", handle)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(worker, "_beat_forever", lambda stop: None)
    worker.Command().handle(reload=False)
    assert len(calls) == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gathers its own statistics")
@pytest.mark.django_db(transaction=True)
def test_the_worker_gives_sqlite_the_statistics_its_indexes_need() -> None:
    """Without ANALYZE, SQLite does not know how the tables have grown and may pass over the
    lists' covering indexes; the worker's thread refreshes the statistics when it starts."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    stop = threading.Event()
    thread = threading.Thread(target=worker._beat_forever, args=(stop,))
    thread.start()
    try:
        for _ in range(500):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.01)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'grants_place'")
            assert cursor.fetchone()[0] > 0  # the gazetteer's indexes have statistics
    finally:
        stop.set()
        thread.join()
