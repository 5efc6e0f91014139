"""The reporting routes in the role-by-route matrix (see utsikt/core/testing.py)."""

from utsikt.core.testing import LOGIN, RouteTable, row

ROUTES: RouteTable = {
    "reporting:ledger": ({}, row(LOGIN, officer_ht=200, finance_ht=200)),
    "reporting:ledger_export": ({"fmt": "csv"}, row(LOGIN, officer_ht=200, finance_ht=200)),
    "reporting:budget": ({}, row(LOGIN, officer_ht=200, head_libraries=200, deputy_kultur=200)),
    "reporting:dashboard": (
        {},
        row(LOGIN, officer_ht=200, head_libraries=200, deputy_kultur=200, finance_ht=200),
    ),
    "reporting:chart_export": (
        {"slug": "pipeline", "fmt": "csv"},
        row(LOGIN, officer_ht=200, head_libraries=200, deputy_kultur=200, finance_ht=200),
    ),
    "reporting:eu": ({}, row(LOGIN, officer_ht=200)),
    "reporting:eu_file": ({"fmt": "csv"}, row(LOGIN, officer_ht=200)),
    "reporting:late": ({}, row(LOGIN, officer_ht=200)),
}
