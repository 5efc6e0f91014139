"""The grants app's routes in the role-by-route matrix (see tests/test_access_matrix.py)."""

from __future__ import annotations

from utsikt.core.testing import RouteTable, everyone

ROUTES: RouteTable = {
    # The "what can I get?" page and its city suggestions are for everyone.
    "grants:estimate": ({}, everyone(200)),
    "grants:place_options": ({}, everyone(200)),
}
