"""`manage.py worker`: django-tasks-db's `db_worker` that also writes a heartbeat.

Takes every option of `db_worker` (`--queue-name "*"`, `--no-reload`, ...). A thread writes
the time to the shared cache every UTSIKT_HEARTBEAT_SECONDS (core/health.py `beat`), so that
/health/ on any machine knows whether a worker process on any machine is alive (that the
process runs; a failing task shows in the task results, not here). A lost database (a
restart) does not end the worker: it waits a second and polls again.

On SQLite the same thread refreshes the query planner's statistics (`ANALYZE`) when the
worker starts and every UTSIKT_SQLITE_ANALYZE_HOURS: the lists' covering indexes are chosen
only once SQLite knows how the tables have grown. PostgreSQL gathers its own (autovacuum).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from utsikt.core import health

logger = logging.getLogger(__name__)


def analyze_sqlite() -> bool:
    """Refresh SQLite's statistics for the query planner; False on another database."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def _beat_forever(stop: threading.Event) -> None:
    analyzed_at: float | None = None
    while not stop.is_set():
        try:
            close_old_connections()
            health.beat()
        except Exception:  # a database or cache restart: beat again next time
            logger.warning("The worker's heartbeat could not be written", exc_info=True)
        every = settings.UTSIKT_SQLITE_ANALYZE_HOURS * 3600
        if analyzed_at is None or time.monotonic() - analyzed_at >= every:
            analyzed_at = time.monotonic()
            try:
                analyze_sqlite()
            except Exception:  # a busy or lost database: next time round
                logger.warning("SQLite's statistics could not be refreshed", exc_info=True)
        connection.close()  # this thread's own connection: never left idle for hours
        stop.wait(settings.UTSIKT_HEARTBEAT_SECONDS)


class Command(db_worker.Command):
    help = "Run the background task worker (django-tasks-db) and write its heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the parent process only restarts the child: the child beats.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            stop = threading.Event()
            threading.Thread(
                target=_beat_forever, args=(stop,), name="heartbeat", daemon=True
            ).start()
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError):
                # The database restarted or is unreachable: django-tasks-db's loop ends on
                # such an error; wait and poll again instead of taking the process down.
                logger.warning("The worker lost the database; trying again", exc_info=True)
                for each in connections.all():
                    with contextlib.suppress(Exception):
                        each.close()
                time.sleep(1)
