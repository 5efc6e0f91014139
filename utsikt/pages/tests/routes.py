"""The pages app's routes in the role-by-route matrix (see utsikt/core/testing.py).

The matrix runs without pages content, so routes naming an object use names that do not
exist: they show 404 wherever the decorator lets the person through. What each role sees of
real content is tested in this app's other test files.
"""

from utsikt.core.testing import ALL_SIGNED_IN, LOGIN, SIGNED_IN, RouteTable, everyone, row

MISSING = {"slug": "no-such-thing"}
NOBODY = {"pk": 999999}
EDITORS = {"officer_ht": 200, "admin": 200}
EDITORS_404 = {"officer_ht": 404, "admin": 404}
EDITORS_405 = {"officer_ht": 405, "admin": 405}

ROUTES: RouteTable = {
    "pages:index": ({}, everyone(200)),
    "pages:page": (MISSING, everyone(404)),
    "pages:stories": ({}, everyone(200)),
    "pages:story": (MISSING, everyone(404)),
    "pages:story_photo": (MISSING, everyone(404)),
    "pages:offer_story": (NOBODY, row(LOGIN, **dict.fromkeys(SIGNED_IN, 404))),
    "pages:ambassadors": ({}, everyone(200)),
    "pages:ambassador_contact": (NOBODY, row(LOGIN, **dict.fromkeys(SIGNED_IN, 404))),
    "pages:ambassador_answer": (NOBODY, row(LOGIN, **dict.fromkeys(SIGNED_IN, 404))),
    "pages:returnee": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "pages:ambassador_leave": ({}, row(LOGIN, **dict.fromkeys(SIGNED_IN, 405))),
    "pages:contacts": ({}, everyone(200)),
    "pages:office": ({"code": "no-such-faculty"}, everyone(404)),
    "pages:newsletter": ({}, everyone(200)),
    "pages:newsletter_sent": ({}, everyone(200)),
    "pages:newsletter_confirm": ({"token": "not-a-token"}, everyone(404)),
    "pages:newsletter_unsubscribe": ({"token": "not-a-token"}, everyone(404)),
    "pages:newsletter_issue": ({"week": "2026-W48"}, everyone(200)),
    "pages:office_home": ({}, row(LOGIN, **EDITORS)),
    "pages:subscribers_export": ({}, row(LOGIN, **EDITORS)),
    "pages:page_create": ({}, row(LOGIN, **EDITORS)),
    "pages:page_edit": (MISSING, row(LOGIN, **EDITORS_404)),
    "pages:page_history": (MISSING, row(LOGIN, **EDITORS_404)),
    "pages:page_restore": ({**MISSING, "number": 1}, row(LOGIN, **EDITORS_405)),
    "pages:story_create": ({}, row(LOGIN, **EDITORS)),
    "pages:story_edit": (MISSING, row(LOGIN, **EDITORS_404)),
    "pages:story_publish": (MISSING, row(LOGIN, **EDITORS_405)),
    "pages:story_unpublish": (MISSING, row(LOGIN, **EDITORS_405)),
    "pages:office_edit": ({"code": "no-such-faculty"}, row(LOGIN, **EDITORS_404)),
}
