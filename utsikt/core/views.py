"""Pages that belong to no domain: the start page, the language switch, the health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from utsikt.core import access, health
from utsikt.core.language import LANGUAGE_FROM_LOG_IN, remember_language


@access.public
def start(request: HttpRequest) -> HttpResponse:
    """The start page; the app named by UTSIKT_START_PAGE fills it with what is true today
    (core imports no app, so it asks by name), else the plain page."""
    renderer = getattr(settings, "UTSIKT_START_PAGE", "")
    if renderer:
        return import_string(renderer)(request)  # type: ignore[no-any-return]
    return render(request, "core/start.html")


@access.public
@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the language and stay on the same page; signed-in people keep it in their profile.

    For anonymous visitors the switch only sets the language cookie, which no forged request
    can turn to harm, so their pages carry no CSRF token: they stay the same for everyone and
    can be served from cache. A signed-in person's profile changes too, so for them the token
    is checked as everywhere else.
    """
    if request.user.is_authenticated:
        return csrf_protect(_switch_language)(request)
    return _switch_language(request)


def _switch_language(request: HttpRequest) -> HttpResponseBase:
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        remember_language(response, language)
        # Chosen by the visitor now, not set at log-in: log-out keeps it.
        request.session.pop(LANGUAGE_FROM_LOG_IN, None)
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


@access.public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the operator's monitoring: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@access.public
@never_cache
def health_check(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: database, cache, storage and the task worker's
    heartbeat (core/health.py); 200 when all pass, 503 when one fails. No personal data."""
    result = health.status()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


@access.public
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest page through the full middleware stack: the benchmark's ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")
