"""The documents' routes in the role-by-route matrix (see utsikt/core/testing.py).

Routes about one application use a number no application has: the application's gate
answers 404 to everybody signed in. Host links carry their own permission: a token that is
not one shows the "link does not work" page (404) to everybody. What each party may do with
a real agreement is tested in test_agreement.py and test_attendance.py.
"""

from utsikt.core.testing import LOGIN, SIGNED_IN, RouteTable, everyone, row

MISSING = {"pk": 999999}
NOT_FOUND = dict.fromkeys(SIGNED_IN, 404)
POST_ONLY = dict.fromkeys(SIGNED_IN, 405)
NOT_A_TOKEN = {"token": "not-a-token"}

ROUTES: RouteTable = {
    "documents:agreement": (MISSING, row(LOGIN, **NOT_FOUND)),
    "documents:prepare": (MISSING, row(LOGIN, **POST_ONLY)),
    "documents:sign": (MISSING, row(LOGIN, **POST_ONLY)),
    "documents:invite_host": (MISSING, row(LOGIN, **POST_ONLY)),
    "documents:upload_scan": (MISSING, row(LOGIN, **POST_ONLY)),
    "documents:version_pdf": ({"pk": 999999, "number": 1}, row(LOGIN, **NOT_FOUND)),
    "documents:sealed_pdf": ({"pk": 999999, "document": 1}, row(LOGIN, **NOT_FOUND)),
    "documents:letters": (MISSING, row(LOGIN, **NOT_FOUND)),
    "documents:letter_send": ({"pk": 999999, "letter": 1}, row(LOGIN, **POST_ONLY)),
    "documents:letter_step": ({"pk": 999999, "letter": 1}, row(LOGIN, **POST_ONLY)),
    "documents:host_sign": (NOT_A_TOKEN, everyone(404)),
    "documents:host_pdf": (NOT_A_TOKEN, everyone(404)),
    "documents:host_attendance": (NOT_A_TOKEN, everyone(404)),
    "documents:verify": ({}, everyone(200)),
}
