"""Django's PostgreSQL back end, with a health check that needs no round trip when it can,
and a cursor for the statement every signed-in request sends.

With DATABASE_CONN_HEALTH_CHECKS (on by default: docs/deploy.md), Django checks a kept
connection before a request uses it by sending `SELECT 1`: a round trip on every request
(160-195 µs here), as much as a repeated work list's own query. A kept connection lost to a
server that stops, restarts or ends the session has something to read: PostgreSQL tells
each session before it ends it, and the socket's end is itself something to read. A healthy
idle connection has nothing (psycopg reads each answer whole). So the kernel is asked
first, without waiting; only when something is waiting, or the connection is not idle, does
Django's own check run.

`prepared_cursor()` gives a cursor whose statements the server parses and plans once per
connection (psycopg's prepared statements), for the one statement every signed-in request
sends (the session and the workflow revision, core/revision.latest_and): 110-125 µs a time
instead of 210-320 µs here. Django's own cursors send each statement as text to be planned
anew, as before. Behind a connection pooler in transaction mode, prepared statements need
its support (PgBouncer 1.21+: max_prepared_statements).
"""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any, Self

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class PreparedCursor(psycopg.Cursor[Any]):
    """Values sent apart from the statement, which the server prepares once per connection."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None
    ) -> Self:
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's own attributes, which its type stubs do not name.
    health_check_enabled: bool
    health_check_done: bool
    _prepare_cursor: Callable[[Any], Any]

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if params.get("prepare_threshold") is None:
            # Django turns psycopg's prepared statements off; on, they are used only where
            # asked (Django's own cursors bind values on the client, and never prepare).
            params["prepare_threshold"] = 2**31 - 1
        return params

    def prepared_cursor(self) -> Any:
        """A cursor as `cursor()` gives (checked, counted, errors translated) whose statements
        are prepared."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparedCursor(self.connection))

    def _idle_and_quiet(self) -> bool:
        """The connection is open and idle, and nothing waits on its socket to be read."""
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or (
            pgconn.transaction_status != pq.TransactionStatus.IDLE
        ):
            return False
        poll = select.poll()
        poll.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poll.poll(0)
