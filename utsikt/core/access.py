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
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.translation import gettext

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


# --- API routes -------------------------------------------------------------------------------
# The same decisions for JSON routes, refused in JSON: a program that calls the API cannot
# follow a redirect to the login page, so it gets 401 (not signed in) or 403 (not allowed),
# with a code to act on and a message in both languages to show.

API_PUBLIC = "api-public"
API_SIGNED_IN = "api-signed-in"


def api_refusal(status: int, error: str, say: Callable[[], str]) -> JsonResponse:
    """A JSON refusal: `error` is a code for programs, the messages are for people."""
    with translation.override("sv"):
        message_sv = say()
    with translation.override("en"):
        message_en = say()
    return JsonResponse(
        {"error": error, "message_sv": message_sv, "message_en": message_en}, status=status
    )


def _not_signed_in() -> JsonResponse:
    return api_refusal(401, "not_signed_in", lambda: gettext("Log in to use this."))


def api_public[View: Callable[..., Any]](view: View) -> View:
    """Anyone, signed in or not, may call this API route."""
    return _mark(view, API_PUBLIC)


def api_signed_in[View: Callable[..., Any]](view: View) -> View:
    """Any signed-in person may call this API route; others get 401 in JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return _not_signed_in()
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return _mark(cast(View, wrapper), API_SIGNED_IN)


def api_holds_role(*roles: str) -> Callable[[View], View]:
    """People who currently hold one of the roles (as `holds_role` decides); 401 or 403 in JSON."""

    def decorator(view: View) -> View:
        decided = holds_role(*roles)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return _not_signed_in()
            try:
                return decided(request, *args, **kwargs)  # type: ignore[no-any-return]
            except PermissionDenied:
                return api_refusal(403, "forbidden", lambda: gettext("You may not use this."))

        return _mark(cast(View, wrapper), "api-role:" + "|".join(sorted(roles)))

    return decorator
