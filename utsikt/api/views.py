"""The JSON API: programs ask what the pages show. Every route declares an API access
decision (core/access.py), so that refusals are JSON too, never a login page."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from utsikt.core import access
from utsikt.grants import estimates, trips
from utsikt.grants.eligibility import bilingual


def _invalid(problems: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"error": "invalid_trip", "problems": problems}, status=400)


@access.api_public
@csrf_exempt  # changes nothing: a JSON calculation, safe to call from anywhere
@require_POST
def estimate(request: HttpRequest) -> JsonResponse:
    """POST one trip as JSON; get the verdict and the money as JSON (400 for bad input)."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        sv, en = bilingual(lambda: gettext("Send one trip as a JSON object."))
        return _invalid([{"field": "", "message_sv": sv, "message_en": en}])
    try:
        return JsonResponse(estimates.run(data))
    except trips.InvalidTrip as invalid:
        return _invalid([problem.as_dict() for problem in invalid.problems])
