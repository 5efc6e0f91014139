"""Who a request is signed in as, read under the revision its session was read with."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from utsikt.core import revision


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that the signed-in person (backends.signed_in) is read under the
    workflow revision the session store read in the statement that loaded the session
    (core/sessions.py), instead of asking for it again: one round trip fewer on every
    signed-in request. The person is read at once after that statement, so is no older than
    the key, as when the key is asked for first."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]


def _user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        session = request.session
        loaded_here = not session.accessed  # loaded earlier, the key it read may be older
        session.get(SESSION_KEY)  # loads it, and the key with it
        key = getattr(session, "read_under", None) if loaded_here else None
        with revision.read(revision.WORKFLOW, key) if key else contextlib.nullcontext():
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]
