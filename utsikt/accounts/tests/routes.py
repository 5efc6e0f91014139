"""The account's self-service routes in the role-by-route matrix (tests/test_access_matrix.py);
the older account routes are listed there as the foundation's."""

from __future__ import annotations

from utsikt.core.testing import ALL_SIGNED_IN, LOGIN, SIGNED_IN, RouteTable, everyone, row

ROUTES: RouteTable = {
    # Everyone's own tokens; revoking is POST only, and only one's own (404 otherwise).
    "accounts:api_tokens": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "accounts:revoke_api_token": ({"pk": 999999}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 405))),
    # One's own data, as a JSON download.
    "accounts:my_data": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    # Single sign-on is off in the tests' settings: its addresses do not exist then.
    "accounts:sso_login": ({}, everyone(404)),
    "accounts:sso_acs": ({}, everyone(404)),
    "accounts:sso_metadata": ({}, everyone(404)),
}
