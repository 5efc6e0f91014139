"""The "what can I get?" page, its city suggestions, and the JSON estimate API."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from utsikt.core import access
from utsikt.grants import estimates, presentation, rates, trips
from utsikt.grants.eligibility import bilingual
from utsikt.grants.forms import EstimateForm, default_call_year
from utsikt.grants.gazetteer import suggest_places
from utsikt.grants.models import Place
from utsikt.grants.values import Rates

SUGGESTIONS = 12


def _suggestions(city: str, country: str) -> list[Place]:
    return list(suggest_places(city[:100], country[:2] or None, limit=SUGGESTIONS))


def _rates(year: int | None) -> Rates | None:
    """The rates of a call year, or None when they are missing or incomplete."""
    try:
        return rates.for_call_year(year) if year is not None else None
    except rates.RatesMissing:
        return None


@access.public
@require_GET
def estimate_page(request: HttpRequest) -> HttpResponse:
    """Pick a destination, dates and activity; see the verdict, the grant and the net cost.

    A plain GET form works without JavaScript; with htmx the result part alone is
    re-rendered as the visitor types.
    """
    today = timezone.localdate()
    years = rates.call_years()
    default = default_call_year(years, today)
    home = _rates(default)
    form = EstimateForm(
        request.GET or None,
        years=years,
        today=today,
        home_country=home.institution.home_country if home else "",
    )
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = estimates.run(form.trip_json(), today=today)
        except trips.InvalidTrip as invalid:
            form.add_problems(invalid.problems, get_language())
    chosen = getattr(form, "cleaned_data", {}).get("call_year")
    shown = _rates(result["call_year"] if result else chosen or default)
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "explained": presentation.explain(result, shown) if result and shown else None,
    }
    if getattr(request, "htmx", False):
        return render(request, "grants/estimate.html#result", context)
    context |= {
        "rates": shown,
        "rule_rows": presentation.rule_rows(shown) if shown else [],
        "group_rows": presentation.group_rows(shown) if shown else [],
        "suggestions": _suggestions(
            str(form.data.get("city", "")), str(form.data.get("country", ""))
        ),
    }
    return render(request, "grants/estimate.html", context)


@access.public
@require_GET
def place_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the destination city's datalist, for what has been typed so far."""
    suggestions = _suggestions(request.GET.get("city", ""), request.GET.get("country", ""))
    return render(request, "grants/estimate.html#city_options", {"suggestions": suggestions})


def _error(status: int, problems: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"error": "invalid_trip", "problems": problems}, status=status)


@access.public
@csrf_exempt  # changes nothing: a JSON calculation, safe to call from anywhere
@require_POST
def api_estimate(request: HttpRequest) -> JsonResponse:
    """POST one trip as JSON; get the verdict and the money as JSON (400 for bad input)."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        sv, en = bilingual(lambda: gettext("Send one trip as a JSON object."))
        return _error(400, [{"field": "", "message_sv": sv, "message_en": en}])
    try:
        return JsonResponse(estimates.run(data))
    except trips.InvalidTrip as invalid:
        return _error(400, [problem.as_dict() for problem in invalid.problems])
