"""Shared test fixtures: the demo personas, one for every role, and clients logged in as them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from utsikt.accounts import demo
from utsikt.accounts.models import OrgUnit, User
from utsikt.grants import reference


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the reference data (countries, places, rates) once per test database.

    Tests read it and never change it; after a transactional test has flushed the database
    it is loaded again (see pytest_runtest_teardown below).
    """
    with django_db_blocker.unblock():
        reference.load()


@pytest.fixture(scope="session")
def live_server(live_server: Any, django_db_setup: None, django_db_blocker: Any) -> Any:
    """pytest-django's live server; at the end it also ends the test database's other
    PostgreSQL sessions, so that the database can be dropped.

    Django keeps a connection per thread and per context, and Playwright's sync API runs the
    browser tests on greenlets: connections opened there are not the one pytest-django
    closes, and would stay idle until the process ends.
    """
    yield live_server
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()  # this one too may belong to a context pytest-django never sees


@pytest.fixture
def org(db: None) -> dict[str, OrgUnit]:
    """The demo university, faculties `ht` and `s`, and their departments, by code."""
    return demo.load_organisation()


@pytest.fixture
def personas(org: dict[str, OrgUnit]) -> dict[str, User]:
    """Every demo persona by key (see utsikt/accounts/demo.py)."""
    return demo.load_personas(org)


@pytest.fixture
def client_for(personas: dict[str, User]) -> Callable[[str | None], Client]:
    """A test client logged in as the persona with this key (None: anonymous)."""

    def make(key: str | None) -> Client:
        client = Client()
        if key is not None:
            client.force_login(personas[key])
        return client

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give database access to tests that read the reference data through session fixtures.

    pytest-django creates the test database only when a selected test is marked `django_db`
    (or asks for `db`); a file of pure rule tests whose fixtures read the rates would
    otherwise find no tables when it runs alone.
    """
    for item in items:
        needs_database = "django_db_setup" in getattr(item, "fixturenames", ())
        if needs_database and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Reload the reference data that a transactional test's flush removed."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reference.load()
    return result
