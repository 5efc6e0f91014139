"""Sessions in the session table, loaded with one plain query (SESSION_ENGINE without Redis).

With the database cache as the shared cache, `cached_db` read a signed-in person's session
from the cache table through the cache's query builder, and wrote every change to both
tables. This store reads the session table itself with a plain cursor, and in the same
statement the workflow revision, under which the signed-in person is then read
(accounts/middleware.py): every signed-in request loads its session, and this is one round
trip where there were three. Saving, log-out and expiry are the `db` store's own. With
Redis, `cached_db` stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from utsikt.core import revision
from utsikt.core.cache import RevisionCache

# Sessions' stored text, decoded (the signature checked, the JSON read: a tenth of a repeated
# work list's time), per text: the same text always decodes to the same values. Only sessions
# of plain values are kept (the signed-in person's id, back end and hash, the language), and
# each request gets its own copy, so that nothing one request changes reaches another.
decoded = RevisionCache(size=4096)
_PLAIN = (str, int, float, bool, type(None))


class SessionStore(db.SessionStore):
    # The workflow revision as the statement that loaded the session read it (None: not
    # loaded, or no revision yet).
    read_under: str | None = None

    def load(self) -> dict[str, Any]:
        """As db.SessionStore.load: the session unless it is unknown or expired."""
        if self.session_key is None:  # no cookie, or one that is not a session key
            return {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.read_under, data = revision.latest_and(
            revision.WORKFLOW,
            "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
            [self.session_key, now],
        )
        if data is None:
            self._session_key = None  # as db's: saving then makes a new key
            return {}
        kept = decoded.get(data)
        if kept is not None:
            return dict(kept)
        session = self.decode(data)  # {} when the text is not ours: checked (and logged) again
        if session and all(isinstance(value, _PLAIN) for value in session.values()):
            decoded.put(data, dict(session))
        return session
