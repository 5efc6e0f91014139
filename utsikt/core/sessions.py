"""Sessions in the session table, loaded with one plain query (SESSION_ENGINE without Redis).

With the database cache as the shared cache, `cached_db` read a signed-in person's session
from the cache table through the cache's query builder, and wrote every change to both
tables. This store reads the session table itself with a plain cursor: every signed-in
request loads its session, and building the query cost several times what the database
does. Saving, log-out and expiry are the `db` store's own. With Redis, `cached_db` stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """As db.SessionStore.load: the session unless it is unknown or expired."""
        if self.session_key is None:  # no cookie, or one that is not a session key
            return {}
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT session_data FROM django_session"
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as db's: saving then makes a new key
            return {}
        return self.decode(row[0])
