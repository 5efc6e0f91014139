"""Helpers for the role-by-route matrix that every app's tests/routes.py fills in.

A route table maps a URL name to (URL arguments, expected status per persona). Arguments
may name demo objects: "@librarian" becomes that persona's id. The personas are the demo
personas of utsikt/accounts/demo.py: librarian (staff, HT Libraries), head_libraries (its
manager), deputy_kultur (deputy of Cultural Sciences), officer_ht (office of faculty "ht"),
finance_ht (finance of HT departments) and admin.
"""

from __future__ import annotations

from typing import Any

PERSONAS = [
    "anonymous",
    "librarian",
    "head_libraries",
    "deputy_kultur",
    "officer_ht",
    "finance_ht",
    "admin",
]
SIGNED_IN = PERSONAS[1:]
LOGIN = 302  # redirected to the login page
ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, 200)

RouteTable = dict[str, tuple[dict[str, Any], dict[str, int]]]


def row(anonymous: int, **statuses: int) -> dict[str, int]:
    """Expected status per persona; signed-in personas not named get 403."""
    return {"anonymous": anonymous, **{p: statuses.get(p, 403) for p in SIGNED_IN}}


def everyone(status: int = 200) -> dict[str, int]:
    """The same status for every persona, anonymous included."""
    return dict.fromkeys(PERSONAS, status)


def transactional() -> Any:
    """A django_db mark for tests that need real commits (other processes, on_commit, locks).

    The flush after such a test empties every table but the reference data's (countries,
    places, rates); when the test wrote to those, conftest.py empties them too and puts them
    back, so the tests that follow still find them as loaded.
    """
    import pytest

    return pytest.mark.django_db(transaction=True)
