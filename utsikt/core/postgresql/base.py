"""Django's PostgreSQL back end, with a health check that needs no round trip when it can.

With DATABASE_CONN_HEALTH_CHECKS (on by default: docs/deploy.md), Django checks a kept
connection before a request uses it by sending `SELECT 1`: a round trip on every request
(160-195 µs here), as much as a repeated work list's own query. A kept connection lost to a
server that stops, restarts or ends the session has something to read: PostgreSQL tells
each session before it ends it, and the socket's end is itself something to read. A healthy
idle connection has nothing (psycopg reads each answer whole). So the kernel is asked
first, without waiting; only when something is waiting, or the connection is not idle, does
Django's own check run.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's own attributes, which its type stubs do not name.
    health_check_enabled: bool
    health_check_done: bool

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
