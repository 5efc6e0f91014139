"""The JSON API: programs ask what the pages show. Every route declares an API access
decision (core/access.py), so that refusals are JSON too, never a login page."""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from utsikt.core import access
from utsikt.grants import estimates, trips
from utsikt.grants.eligibility import bilingual


def _invalid(problems: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"error": "invalid_trip", "problems": problems}, status=400)


@access.api_public
@csrf_exempt  # changes nothing: a JSON calculation, safe to call from anywhere
def estimate(request: HttpRequest) -> JsonResponse:
    """POST one trip as JSON; get the verdict and the money as JSON (400 for bad input)."""
    if request.method != "POST":
        response = access.api_refusal(
            405, "method_not_allowed", lambda: gettext("Send the trip with POST.")
        )
        response["Allow"] = "POST"
        return response
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:
        return access.api_refusal(
            413, "too_large", lambda: gettext("The request is too large to be read.")
        )
    # RecursionError: JSON nested thousands deep, which Python's parser cannot follow.
    except (ValueError, UnicodeDecodeError, RecursionError):
        sv, en = bilingual(lambda: gettext("Send one trip as a JSON object."))
        return _invalid([{"field": "", "message_sv": sv, "message_en": en}])
    try:
        return JsonResponse(estimates.run(data))
    except trips.InvalidTrip as invalid:
        return _invalid([problem.as_dict() for problem in invalid.problems])
