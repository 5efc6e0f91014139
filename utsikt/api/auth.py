"""Who calls the API: a person's token (Authorization: Bearer …) or their browser session.

The decisions are the pages' own: a signed-in route refuses an anonymous caller with 401, a
token without the scope a route needs with 403, and a session without its CSRF token on a
write with 403, each in the project's JSON shape (`error`, `message_sv`, `message_en`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from utsikt.accounts import tokens

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ScopeRefused(Exception):
    """A genuine token whose scope does not cover the route (a read token on a write)."""


class CsrfRefused(Exception):
    """A write through the browser session without the CSRF token the pages send."""


class BearerToken(HttpBearer):
    """A token made on the person's account page, with at least `scope`."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.authenticate(token.strip())
        if found is None:
            return None
        if not found.allows(self.scope):
            raise ScopeRefused
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(APIKeyCookie):
    """The signed-in person's browser session; writes need the CSRF token, as on the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfRefused
        return request.user


def _no_credentials(request: HttpRequest) -> Any:
    """Anyone without credentials; a request that sends a token must send a good one."""
    if "Authorization" in request.headers:
        return None
    return request.user if request.user.is_authenticated else AnonymousUser()


def signed_in(scope: str) -> list[Any]:
    """A person, by token (with `scope`) or by session."""
    return [BearerToken(scope), Session()]


def anyone() -> list[Any]:
    """Public routes: anonymous callers too, and a signed-in one is known by token or session
    (a curator sees their faculty's drafts, as on the pages)."""
    return [BearerToken(tokens.Scope.READ), Session(), _no_credentials]


def anyone_may(callbacks: Any) -> bool:
    """Whether a route with these callbacks lets callers without credentials in."""
    return _no_credentials in callbacks
