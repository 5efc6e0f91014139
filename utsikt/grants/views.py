"""The "what can I get?" page and its city suggestions (the JSON estimate is in the api app)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from utsikt.core import access
from utsikt.grants import estimates, presentation, rates, trips
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
@require_safe
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
@require_safe
def place_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the destination city's datalist, for what has been typed so far."""
    suggestions = _suggestions(request.GET.get("city", ""), request.GET.get("country", ""))
    return render(request, "grants/estimate.html#city_options", {"suggestions": suggestions})
