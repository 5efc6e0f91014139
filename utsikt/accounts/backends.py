"""Log in with an e-mail address, whatever its case, through the log-in limiter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest

from utsikt.accounts import ratelimit
from utsikt.accounts.models import User
from utsikt.core import revision
from utsikt.core.cache import RevisionCache, cache_key

# Set on the request when the limiter refused an attempt, so that the form can say why.
REFUSED = "utsikt_login_refused"


class EmailBackend(ModelBackend):
    """Every password log-in passes here (the site's, the admin's, any later one), so the
    limiter counts each attempt before the password is checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        email = username or kwargs.get("email")
        if email is None:
            return None
        email = email.strip().lower()
        if request is None:  # code, not a visitor: nothing to limit
            return super().authenticate(request, username=email, password=password)
        attempt = ratelimit.begin_login(request, email)
        if attempt is None:
            setattr(request, REFUSED, True)
            return None
        user = super().authenticate(request, username=email, password=password)
        if user is not None:
            ratelimit.login_succeeded(attempt)
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


# What the people signed in at this process were when last read, with their roles of the day,
# filed under the workflow revision, which changes with every write to the users and their
# role assignments.
people = RevisionCache(size=1024)
_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)


def signed_in(user_id: Any) -> User | None:
    """The person a session is signed in as (every signed-in page asks), as a fresh object.

    The revision is read first (one plain query; or it was, in the statement that loaded the
    session: accounts/middleware.py), then the person's row and roles come from this
    process's memory while it holds, or are read with two plain queries: the ORM's query
    cost several times what the database does. Each request gets its own object
    built from the kept values, so that nothing one request changes on it reaches another.
    The object remembers the revision it was read under (`read_under`): what it shows is no
    older than that key, which a page cached under the key may rely on (cache.private_page).
    """
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    key = revision.latest(revision.WORKFLOW)
    filed = cache_key(key, "person", pk)
    kept = people.get(filed)
    if kept is None:
        found = list(User.objects.raw("SELECT * FROM accounts_user WHERE id = %s", [pk]))
        if not found:
            return None
        user = found[0]
        kept = (tuple(getattr(user, name) for name in _FIELDS), user.current_roles())
        people.put(filed, kept)
    values, roles = kept
    user = User.from_db(DEFAULT_DB_ALIAS, _FIELDS, values)
    user._current_roles = roles
    user.read_under = key
    return user
