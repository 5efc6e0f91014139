"""A plan as the rules engine reads it, and the engine's verdict on it."""

from __future__ import annotations

import contextlib
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from utsikt.grants import estimates, presentation, rates
from utsikt.grants.rates import RatesMissing
from utsikt.grants.trips import InvalidTrip
from utsikt.mobility.models import Application

# Catalogue kinds the rules engine knows under another name; what matters there is whether
# the programme excludes the kind, and museums and "other" organisations are not excluded.
_KIND = {"eu_programme_manager": "eu_programme_body", "museum": "public_body", "other": "company"}


def trip_data(application: Application) -> dict[str, Any]:
    """The plan in the JSON form of `manage.py estimate` and `POST /api/estimate`."""
    hosts = [
        {
            "name": host.name,
            "city": host.place.name if host.place else "",
            "country": host.country_id,
            "kind": _KIND.get(host.kind, host.kind),
        }
        for host in application.hosts.all()
    ]
    # No origin: the rules take the sending university's city of the call year.
    origin = (
        {"city": application.origin.name, "country": application.origin.country_id}
        if application.origin
        else None
    )
    return {
        "call_year": application.call_year,
        "origin": origin,
        "hosts": hosts,
        "activity": str(application.activity),
        "start": application.start.isoformat() if application.start else None,
        "end": application.end.isoformat() if application.end else None,
        "green_travel": application.green_travel,
        "travel_days": application.declared_travel_days,
        "virtual_part": bool(application.virtual_start or application.virtual_description),
        "first_time": not application.applicant.had_grant_before,
        "travel_sek": str(application.travel_cost_sek) if application.travel_cost_sek else None,
        "accommodation_sek": str(application.accommodation_cost_sek)
        if application.accommodation_cost_sek
        else None,
    }


def estimate(application: Application) -> dict[str, Any]:
    """The rules engine's verdict: the estimate, or the problems that keep it from one."""
    data = trip_data(application)
    if not data["hosts"] or not data["start"] or not data["end"]:
        return {"incomplete": True}
    try:
        return estimates.run(data)
    except InvalidTrip as invalid:
        return {"problems": [problem.as_dict() for problem in invalid.problems]}
    except RatesMissing:
        return {"problems": [], "rates_missing": application.call_year}


def shown(result: dict[str, Any] | None) -> dict[str, Any]:
    """What a page needs to show a verdict (fresh or saved at submission) with
    grants/_result.html, in the page's language."""
    context: dict[str, Any] = {"result": result, "explained": None}
    if not result:
        return context
    english = get_language() == "en"
    context["problems"] = [
        problem["message_en" if english else "message_sv"] for problem in result.get("problems", [])
    ]
    if "call_year" in result:
        with contextlib.suppress(RatesMissing):  # then the total alone is shown
            context["explained"] = presentation.explain(
                result, rates.for_call_year(result["call_year"])
            )
        context["rates_link"] = reverse("grant_estimate") + "#rates-heading"
    return context
