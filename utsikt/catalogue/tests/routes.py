"""The catalogue's routes in the role-by-route matrix (see utsikt/core/testing.py).

The central matrix runs without catalogue data, so routes naming an object use slugs that do
not exist: they show 404 wherever the decorator lets the person through, and the decorator's
own answer (login, 403) elsewhere. What each role sees of real objects is tested in
test_access.py with the demo catalogue loaded.
"""

from utsikt.core.testing import ALL_SIGNED_IN, LOGIN, SIGNED_IN, RouteTable, everyone, row

MISSING = {"slug": "no-such-thing"}
CURATORS = {"officer_ht": 404, "admin": 404}

ROUTES: RouteTable = {
    "catalogue:search": ({}, everyone(200)),
    "catalogue:map": ({}, everyone(200)),
    "catalogue:map_background": ({}, everyone(200)),
    "catalogue:calendar": ({}, everyone(200)),
    "catalogue:hosts": ({}, everyone(200)),
    "catalogue:opportunity_detail": (MISSING, everyone(404)),
    "catalogue:opportunity_ics": (MISSING, everyone(404)),
    "catalogue:host_detail": (MISSING, everyone(404)),
    "catalogue:feed": ({"token": "not-a-token"}, everyone(404)),
    "catalogue:host_propose": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "catalogue:saved_searches": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "catalogue:saved_search_delete": ({"pk": 1}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 405))),
    "catalogue:saved_search_renew": ({"pk": 1}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 405))),
    "catalogue:office": ({}, row(LOGIN, officer_ht=200, admin=200)),
    "catalogue:opportunity_create": ({}, row(LOGIN, officer_ht=200, admin=200)),
    "catalogue:import": ({}, row(LOGIN, officer_ht=200, admin=200)),
    "catalogue:import_run": ({"pk": 1}, row(LOGIN, **CURATORS)),
    "catalogue:import_template": ({"kind": "csv"}, row(LOGIN, officer_ht=200, admin=200)),
    "catalogue:host_review": ({}, row(LOGIN, officer_ht=200, admin=200)),
    "catalogue:opportunity_edit": (MISSING, row(LOGIN, **CURATORS)),
    "catalogue:opportunity_publish": (MISSING, row(LOGIN, officer_ht=405, admin=405)),
    "catalogue:opportunity_unpublish": (MISSING, row(LOGIN, officer_ht=405, admin=405)),
    "catalogue:opportunity_cancel": (MISSING, row(LOGIN, officer_ht=405, admin=405)),
    "catalogue:host_edit": (MISSING, row(LOGIN, **CURATORS)),
    "catalogue:host_approve": (MISSING, row(LOGIN, officer_ht=405, admin=405)),
    "catalogue:host_merge": (MISSING, row(LOGIN, **CURATORS)),
    "catalogue:agreement_add": (MISSING, row(LOGIN, **CURATORS)),
}
