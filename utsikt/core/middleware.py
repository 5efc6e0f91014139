"""Request-wide rules: the request id, body size, the language in use, private pages and
default-deny for views without an access decision."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext

from utsikt.core import limits, logs
from utsikt.core.access import api_refusal, decision_of

logger = logging.getLogger(__name__)
requests_log = logging.getLogger("utsikt.requests")
SUPPORTED = {code for code, _name in settings.LANGUAGES}


class RequestIdMiddleware:
    """Every request has an id: the one the proxy in front sent (X-Request-ID, when it looks
    like an id) or a new one. Log lines written while serving it carry it (core/logs.py), the
    response returns it, and at INFO one line per request says method, path, status and time.
    First in the chain, so that even a refused body has its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = logs.accept_or_make_id(request.META.get("HTTP_X_REQUEST_ID"))
        # Kept until the response is closed (request_finished below): Django logs a refusal
        # ("Not Found: /x") after the middleware has returned.
        logs.request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if requests_log.isEnabledFor(logging.INFO):
            # The path without its query: a query may carry a token or a search.
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response


def _forget_request_id(**kwargs: Any) -> None:
    logs.request_id.set(None)


request_finished.connect(_forget_request_id, dispatch_uid="utsikt.core.request_id")


class LanguageMiddleware:
    """Swedish unless the visitor chose otherwise (cookie) or their profile says so.

    Unlike Django's LocaleMiddleware this ignores Accept-Language: the university's
    pages are Swedish first, and English is one click away and remembered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            user = getattr(request, "user", None)
            language = user.language if user is not None and user.is_authenticated else None
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class AccessDecisionMiddleware:
    """Default deny: a view that declares no access decision is never served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        match = request.resolver_match
        # The Django admin makes its own decision (staff only) on every view.
        if match is not None and match.app_name == "admin":
            return
        if decision_of(view_func) is None:
            logger.error("Refused %s: its view declares no access decision", request.path)
            raise Http404


# What Django's add_never_cache_headers writes on a response without Cache-Control, written
# as it is: parsing and joining the header anew cost a tenth of a repeated work list's time.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


class PrivatePagesMiddleware:
    """A signed-in person's pages and documents are theirs: no cache, shared or the browser's
    own, may keep them (a shared computer's back button, a proxy). A view that chose its own
    Cache-Control keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A response that never read the session shows nothing of the person (the empty view,
        # static pages): asking who it is would load the session and the user for nothing.
        session = getattr(request, "session", None)
        if session is None or not session.accessed or "Cache-Control" in response:
            return response
        if request.user.is_authenticated:
            response.headers.setdefault("Expires", http_date())
            response.headers["Cache-Control"] = NEVER_CACHE
        return response


class RequestSizeMiddleware:
    """Refuse a body larger than its route takes (core/limits.py) with 413, before anything
    reads it: first in the chain, ahead of the CSRF check that would read a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # as Django reads it: no body at all
        if declared > settings.UTSIKT_MAX_REQUEST_BYTES:
            limit = self._limit(request)  # only now: most requests are far below any limit
            if declared > limit:
                return self._refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def _limit(request: HttpRequest) -> int:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return int(settings.UTSIKT_MAX_REQUEST_BYTES)
        return limits.limit_for(match.func)

    @staticmethod
    def _refuse(request: HttpRequest, limit: int) -> HttpResponse:
        megabytes = max(1, round(limit / 1024 / 1024))

        def say() -> str:
            return gettext(
                "What you sent is larger than %(megabytes)s MB, more than this page takes. "
                "Send a smaller file, or split it into parts."
            ) % {"megabytes": megabytes}

        if request.path.startswith("/api/"):
            response: HttpResponse = api_refusal(413, "too_large", say)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            with translation.override(
                language if language in SUPPORTED else settings.LANGUAGE_CODE
            ):
                html = render_to_string("errors/413.html", {"message": say()})
            response = HttpResponse(html, status=413)
        return response


class HeadWithoutBodyMiddleware:
    """HEAD answers as GET would, headers and all, without the body: the views serve GET and
    HEAD alike (require_safe), and not every server drops the body itself. Outside
    CommonMiddleware, so that Content-Length stays the GET's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method == "HEAD":
            if isinstance(response, StreamingHttpResponse):
                # A file's handle stays among the closers the server calls at the end.
                response.streaming_content = iter(())
            elif isinstance(response, HttpResponse):
                response.content = b""
        return response
