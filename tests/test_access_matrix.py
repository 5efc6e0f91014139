"""Default deny and the role-by-route matrix: every route has a decision, and the decision holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse

from utsikt.accounts.models import User
from utsikt.core.access import decision_of
from utsikt.core.testing import ALL_SIGNED_IN, LOGIN, PERSONAS, SIGNED_IN, RouteTable, row

# route name → (URL arguments, expected status per persona). Arguments name demo objects:
# "@librarian" is that persona's id. The HT libraries belong to faculty "ht".
FOUNDATION_ROUTES: RouteTable = {
    "core:start": ({}, row(200, **ALL_SIGNED_IN)),
    "core:healthz": ({}, row(200, **ALL_SIGNED_IN)),
    "core:ping": ({}, row(200, **ALL_SIGNED_IN)),
    "core:set_language": ({}, row(405, **dict.fromkeys(SIGNED_IN, 405))),  # POST only
    "accounts:login": ({}, row(200, **dict.fromkeys(SIGNED_IN, 302))),  # signed in: sent home
    "accounts:logout": ({}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 405))),  # POST only
    "accounts:password_reset": ({}, row(200, **ALL_SIGNED_IN)),
    "accounts:password_reset_done": ({}, row(200, **ALL_SIGNED_IN)),
    "accounts:password_reset_confirm": (
        {"uidb64": "MQ", "token": "not-a-token"},
        row(200, **ALL_SIGNED_IN),
    ),
    "accounts:password_reset_complete": ({}, row(200, **ALL_SIGNED_IN)),
    "accounts:password_change": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "accounts:home": ({}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 302))),
    "accounts:profile": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "accounts:admin_home": ({}, row(LOGIN, admin=200)),
    "accounts:department_detail": (
        {"code": "ht-libraries"},
        row(
            LOGIN, head_libraries=200, deputy_kultur=404, officer_ht=200, finance_ht=200, admin=200
        ),
    ),
    "accounts:faculty_detail": ({"code": "ht"}, row(LOGIN, officer_ht=200, admin=200)),
    "accounts:person_detail": (
        {"pk": "@librarian"},
        row(
            LOGIN,
            librarian=200,
            head_libraries=200,
            deputy_kultur=404,
            officer_ht=200,
            finance_ht=404,
            admin=200,
        ),
    ),
    "admin:index": ({}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 302) | {"admin": 200})),
}


# Each app lists its own routes in utsikt/<app>/tests/routes.py as ROUTES (same form as
# FOUNDATION_ROUTES below); this module merges them, so a new route without a row fails.
MATRIX: RouteTable = {}


def _collect_matrix() -> None:
    import importlib
    import pkgutil

    import utsikt

    MATRIX.update(FOUNDATION_ROUTES)
    for app in pkgutil.iter_modules(utsikt.__path__):
        try:
            module = importlib.import_module(f"utsikt.{app.name}.tests.routes")
        except ModuleNotFoundError:
            continue
        overlap = set(module.ROUTES) & set(MATRIX)
        assert not overlap, f"routes listed twice: {overlap}"
        MATRIX.update(module.ROUTES)


_collect_matrix()


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the Django admin decides itself (staff only); see the matrix row
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        else:
            yield f"{prefix}{entry.name}", entry


def project_routes() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def test_every_route_declares_who_may_use_it() -> None:
    undecided = [
        name for name, pattern in project_routes() if decision_of(pattern.callback) is None
    ]
    assert undecided == []


def test_every_route_is_in_the_role_matrix() -> None:
    assert {name for name, _ in project_routes()} <= set(MATRIX)


def _url(name: str, kwargs: dict[str, Any], people: dict[str, User]) -> str:
    resolved = {
        key: people[value[1:]].pk if isinstance(value, str) and value.startswith("@") else value
        for key, value in kwargs.items()
    }
    return reverse(name, kwargs=resolved)


def test_every_address_resolves_to_its_own_route() -> None:
    # The order of the includes (config/urls.py) is free only while no route's address is
    # taken by a route listed before it.
    elsewhere = {}
    for name, _ in project_routes():
        kwargs = {
            key: 7 if isinstance(value, str) and value.startswith("@") else value
            for key, value in MATRIX[name][0].items()
        }
        found = resolve(reverse(name, kwargs=kwargs)).view_name
        if found != name:
            elsewhere[name] = found
    assert elsewhere == {}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(
    name: str, personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    kwargs, expected = MATRIX[name]
    url = _url(name, kwargs, personas)
    actual = {}
    for persona in PERSONAS:
        client = client_for(None if persona == "anonymous" else persona)
        actual[persona] = client.get(url).status_code
    assert actual == expected


@pytest.mark.parametrize(
    ("persona", "name", "kwargs"),
    [
        ("officer_s", "accounts:department_detail", {"code": "ht-libraries"}),
        ("officer_s", "accounts:faculty_detail", {"code": "ht"}),
        ("officer_s", "accounts:person_detail", {"pk": "@librarian"}),
        ("head_svet", "accounts:department_detail", {"code": "ht-libraries"}),
        ("head_svet", "accounts:person_detail", {"pk": "@librarian"}),
        ("finance_s", "accounts:department_detail", {"code": "kultur"}),
        ("it_technician", "accounts:person_detail", {"pk": "@librarian"}),
        ("librarian", "accounts:person_detail", {"pk": "@it_technician"}),
        ("officer_ht", "accounts:department_detail", {"code": "no-such-department"}),
    ],
)
def test_people_from_elsewhere_get_404_for_what_is_not_theirs(
    persona: str,
    name: str,
    kwargs: dict[str, Any],
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
) -> None:
    response = client_for(persona).get(_url(name, kwargs, personas))
    assert response.status_code == 404


def test_a_deputy_decides_only_while_the_delegation_is_in_force(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    import datetime

    deputy = personas["deputy_kultur"].roles.get()
    deputy.valid_until = datetime.date(2000, 1, 1)
    deputy.save()
    assert client_for("deputy_kultur").get(reverse("mobility:manager_home")).status_code == 403


def _undecided_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("should never be served")


urlpatterns = [path("undecided/", _undecided_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_an_access_decision_is_refused(client: Client) -> None:
    assert client.get("/undecided/").status_code == 404


# --- lists as well as pages -------------------------------------------------------------------


def test_a_department_page_lists_exactly_the_people_whose_own_pages_open(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    """One rule decides who sees whom: a department's staff list shows no one whose page
    answers 404 to the same person, and leaves out no one whose page opens."""
    import re

    from django.utils import translation
    from django.utils.translation import gettext

    from utsikt.accounts.models import OrgUnit

    columns = {}
    for language in ("sv", "en"):
        with translation.override(language):
            columns[language] = gettext("Had a grant before")
    departments = list(OrgUnit.objects.departments())
    office = {"officer_ht": "ht", "officer_s": "s"}
    checked = 0
    for key in personas:
        client = client_for(key)
        for department in departments:
            page = client.get(reverse("accounts:department_detail", args=[department.code]))
            if page.status_code != 200:
                continue
            listed = {int(pk) for pk in re.findall(r"/people/(\d+)/", page.content.decode())}
            opens = {
                member.pk
                for member in department.members.filter(is_active=True)
                if client.get(reverse("accounts:person_detail", args=[member.pk])).status_code
                == 200
            }
            assert listed == opens, (key, department.code)
            # The earlier-grant flag is for the office's grant decisions only.
            sees_flag = bool(listed) and (
                key == "admin" or office.get(key) == department.parent.code
            )
            grant_column = columns[page["Content-Language"]]
            assert (grant_column in page.content.decode()) == sees_flag, (key, department.code)
            checked += 1
    assert checked > 10


def test_finance_sees_no_staff_of_the_departments_whose_money_it_follows(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    import re

    finance = personas["finance_ht"]
    for code in ("kultur", "ht-libraries", "sol"):
        page = client_for("finance_ht").get(reverse("accounts:department_detail", args=[code]))
        assert page.status_code == 200
        listed = {int(pk) for pk in re.findall(r"/people/(\d+)/", page.content.decode())}
        # Only themselves, in their own department.
        assert listed == ({finance.pk} if code == "kultur" else set()), code
