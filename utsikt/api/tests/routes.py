"""The API's routes in the role-by-route matrix (see tests/test_access_matrix.py)."""

from __future__ import annotations

from utsikt.core.testing import ALL_SIGNED_IN, SIGNED_IN, RouteTable, everyone, row

ROUTES: RouteTable = {
    # A JSON calculation for anyone; POST only.
    "api:estimate": ({}, everyone(405)),
    "api:openapi": ({}, everyone(200)),
    # The catalogue: anyone reads what the catalogue pages show.
    "api:opportunities": ({}, everyone(200)),
    "api:opportunity": ({"slug": "no-such-opportunity"}, everyone(404)),
    "api:hosts": ({}, everyone(200)),
    "api:host": ({"slug": "no-such-host"}, everyone(404)),
    # One's own applications: 401 in JSON without a session or a token.
    "api:applications": ({}, row(401, **ALL_SIGNED_IN)),
    "api:application": ({"pk": 999999}, row(401, **dict.fromkeys(SIGNED_IN, 404))),
    # Actions are POST only (the method is refused before anyone is asked who they are).
    "api:application_act": ({"pk": 1, "action": "submit"}, everyone(405)),
}
