"""Every view declares who may use it; the middleware refuses views that declare nothing.

Decorators mark a view with its decision; object-level gates (`x_for(user, pk)`) live in each
app's own access.py and raise 404 for objects the user may not see. Core imports no app: the
role check asks the signed-in user itself (the RoleHolder protocol, which accounts.User keeps).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed-in"
ADMINISTRATOR = "administrator"


class RoleHolder(Protocol):
    """What core asks of the user model to decide by role; accounts.User keeps it."""

    def current_roles(self) -> frozenset[str]: ...


def _mark[View: Callable[..., Any]](view: View, decision: str) -> View:
    view.access = decision  # type: ignore[attr-defined]
    return view


def public[View: Callable[..., Any]](view: View) -> View:
    """Anyone, signed in or not, may use this view."""
    return _mark(view, PUBLIC)


def signed_in[View: Callable[..., Any]](view: View) -> View:
    """Any signed-in person may use this view; others are sent to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return _mark(cast(View, wrapper), SIGNED_IN)


def holds_role(*roles: str) -> Callable[[View], View]:
    """Signed-in people who currently hold one of the roles; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            holder: RoleHolder = request.user
            if not holder.current_roles() & set(roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        return _mark(cast(View, wrapper), "role:" + "|".join(sorted(roles)))

    return decorator


def administrator[View: Callable[..., Any]](view: View) -> View:
    """Only administrators (superusers) may use this view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return _mark(cast(View, wrapper), ADMINISTRATOR)


def decision_of(view: Callable[..., Any]) -> str | None:
    return getattr(view, "access", None)
