"""The API's routes in the role-by-route matrix (see tests/test_access_matrix.py)."""

from __future__ import annotations

from utsikt.core.testing import RouteTable, everyone

ROUTES: RouteTable = {
    # A JSON calculation for anyone; POST only.
    "api:estimate": ({}, everyone(405)),
}
