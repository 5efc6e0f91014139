"""How large a request body may be: one limit for every route, larger ones for the few
routes that take a file (`@body_limit`). RequestSizeMiddleware refuses a larger body by its
Content-Length before anything reads it.

Django never reads past the Content-Length it was given (its LimitedStream), and a body
without one (chunked) reads as empty, so checking the declared length bounds what is read
while the body streams in: a 300 MB upload is refused after its headers, not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

# A form's other fields around the file: names, the CSRF token, multipart boundaries.
FORM_OVERHEAD_BYTES = 64 * 1024


def body_limit[View: Callable[..., Any]](max_bytes: int) -> Callable[[View], View]:
    """Let this view take bodies of up to `max_bytes` (a file upload) instead of the
    project's limit (UTSIKT_MAX_REQUEST_BYTES)."""

    def decorator(view: View) -> View:
        view.max_body_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return decorator


def limit_for(view: Callable[..., Any] | None) -> int:
    """The largest body this view accepts."""
    own = getattr(view, "max_body_bytes", None)
    return own if isinstance(own, int) else settings.UTSIKT_MAX_REQUEST_BYTES
