"""The mobility routes in the role-by-route matrix (see utsikt/core/testing.py).

Routes about one application use a number no application has: the gate answers 404 to
everybody signed in. What each persona may do with a real application is tested in
test_access.py and test_workflow.py.
"""

from utsikt.core.testing import ALL_SIGNED_IN, LOGIN, SIGNED_IN, RouteTable, row

MISSING = {"pk": 999999}
NOT_FOUND = dict.fromkeys(SIGNED_IN, 404)
POST_ONLY = dict.fromkeys(SIGNED_IN, 405)

ROUTES: RouteTable = {
    "mobility:staff_home": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "mobility:manager_home": ({}, row(LOGIN, head_libraries=200, deputy_kultur=200)),
    "mobility:office_home": ({}, row(LOGIN, officer_ht=200)),
    "mobility:finance_home": ({}, row(LOGIN, finance_ht=200)),
    "mobility:application_start": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "mobility:travelling_together": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "mobility:host_options": ({}, row(LOGIN, **ALL_SIGNED_IN)),
    "mobility:application_detail": (MISSING, row(LOGIN, **NOT_FOUND)),
    "mobility:application_plan": (MISSING, row(LOGIN, **NOT_FOUND)),
    "mobility:application_autosave": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:application_agreement": (MISSING, row(LOGIN, **NOT_FOUND)),
    "mobility:application_invite": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:application_dates": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:application_act": ({"pk": 999999, "action": "approve"}, row(LOGIN, **POST_ONLY)),
    "mobility:homecoming_dates": (MISSING, row(LOGIN, **NOT_FOUND)),
    "mobility:homecoming_attendance": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:homecoming_costs": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:homecoming_participant_report": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:homecoming_learning": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:money_cost": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:money_reimbursement": (MISSING, row(LOGIN, **POST_ONLY)),
    "mobility:invitation_answer": (MISSING, row(LOGIN, **NOT_FOUND)),
    "mobility:shared_plan": (MISSING, row(LOGIN, **NOT_FOUND)),
}
