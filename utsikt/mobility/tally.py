"""The applications counted per department, applicant and status (models.ApplicationTally).

The database keeps the counts itself: triggers on the application table (made by mobility
migration 0009, which holds their SQL) add one to the row of an application's new
(department, applicant, status) and take one from its old one, in the statement's own
transaction, so a change that rolls back leaves the counts as they
were and no code path (the workflow's moves, the planner, bulk_create, the admin, a shell)
can forget them. A count that reaches 0 is removed, never left negative: taking one from a
row of 1 deletes it, and a row that is missing (a table emptied by hand) is left missing.

`rebuild()` (`manage.py recount_applications`) counts afresh; `fresh()` is that count, for
tests and checks.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count

from utsikt.mobility.models import Application, ApplicationTally

KEY = ("department_id", "status", "applicant_id")

RECOUNT = [
    "DELETE FROM mobility_applicationtally",
    """INSERT INTO mobility_applicationtally (department_id, status, applicant_id, applications)
SELECT department_id, status, applicant_id, COUNT(*) FROM mobility_application
GROUP BY department_id, status, applicant_id""",
]


def rebuild() -> int:
    """Count every application afresh; returns how many rows the tally has now."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in RECOUNT:
            cursor.execute(statement)
    return ApplicationTally.objects.count()


def fresh() -> dict[tuple[int, str, int], int]:
    """The counts as a fresh aggregate over the applications: what the tally must equal."""
    rows = Application.objects.order_by().values_list(*KEY).annotate(n=Count("pk"))
    return {(department, status, applicant): n for department, status, applicant, n in rows}


def kept() -> dict[tuple[int, str, int], int]:
    """The counts the tally holds, in the same shape as `fresh()`."""
    return {
        (department, status, applicant): n
        for department, status, applicant, n in ApplicationTally.objects.values_list(
            *KEY, "applications"
        )
    }
