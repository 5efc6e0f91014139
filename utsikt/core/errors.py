"""Error pages in the visitor's language, inside the normal layout."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext

from utsikt.core.access import api_refusal

# Programs call these addresses: every error they get is JSON, never an HTML page.
API_PREFIX = "/api/"


def _for_a_program(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(status: int, error: str, say: Callable[[], str]) -> HttpResponse:
    return api_refusal(status, error, say)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _for_a_program(request):
        return _api_error(400, "bad_request", lambda: gettext("The request cannot be read."))
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _for_a_program(request):
        return _api_error(403, "forbidden", lambda: gettext("You may not use this."))
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _for_a_program(request):
        return _api_error(404, "not_found", lambda: gettext("There is nothing at this address."))
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_a_program(request):
        return _api_error(500, "server_error", lambda: gettext("Something went wrong on our side."))
    # No context processors: the failure may come from the database they query.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid token: usually a page left open too long."""
    return render(request, "errors/csrf.html", status=403)
