"""The API's addresses, each marked with its access decision for the default-deny middleware.

django-ninja decides per operation (utsikt/api/auth.py); the mark says which: a route whose
operations all need a person is "api-signed-in", one that anyone may call "api-public".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.urls import URLPattern, path
from ninja.utils import normalize_path, replace_path_param_notation

from utsikt.api import auth
from utsikt.api.views import api
from utsikt.core import access

app_name = "api"


def _decision(path_view: Any) -> str:
    """Signed in when every operation at the address needs a person; public otherwise."""
    for operation in path_view.operations:
        callbacks = operation.auth_callbacks
        if not callbacks or auth.anyone_may(callbacks):
            return access.API_PUBLIC
    return access.API_SIGNED_IN


def _marked(view: Callable[..., Any], decision: str) -> Callable[..., Any]:
    @wraps(view)
    def marked(request: Any, *args: Any, **kwargs: Any) -> Any:
        return view(request, *args, **kwargs)

    # ninja asks for the CSRF token itself, only of session writes (auth.Session).
    marked.csrf_exempt = True  # type: ignore[attr-defined]
    marked.access = decision  # type: ignore[attr-defined]
    return marked


def _patterns() -> list[URLPattern]:
    ninja_patterns, _app, _namespace = api.urls
    schema = next(p for p in ninja_patterns if getattr(p, "name", "") == "openapi-json")
    assert isinstance(schema, URLPattern)
    patterns = [
        path("api/openapi.json", _marked(schema.callback, access.API_PUBLIC), name="openapi")
    ]
    for bound in api._get_bound_routers():
        for route, path_view in bound.path_operations.items():
            address = normalize_path(replace_path_param_notation(route)).lstrip("/")
            name = path_view.operations[0].url_name
            view = _marked(path_view.get_view(), _decision(path_view))
            patterns.append(path("api/" + address, view, name=name))
    return patterns


urlpatterns = _patterns()
