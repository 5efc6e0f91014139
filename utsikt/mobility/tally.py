"""The applications counted per department, applicant and status (models.ApplicationTally).

The database keeps the counts itself: triggers on the application table add one to the
row of an application's new (department, applicant, status) and take one from its old one,
in the statement's own transaction, so a change that rolls back leaves the counts as they
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

# Take one from the row of OLD: delete it when this was its last, else count one fewer.
_TAKE_OLD = """
DELETE FROM mobility_applicationtally
 WHERE department_id = OLD.department_id AND status = OLD.status
   AND applicant_id = OLD.applicant_id AND applications <= 1;
UPDATE mobility_applicationtally SET applications = applications - 1
 WHERE department_id = OLD.department_id AND status = OLD.status
   AND applicant_id = OLD.applicant_id;
"""
# Add one to the row of NEW, making it when it is the first.
_ADD_NEW = """
INSERT INTO mobility_applicationtally (department_id, status, applicant_id, applications)
VALUES (NEW.department_id, NEW.status, NEW.applicant_id, 1)
ON CONFLICT (department_id, status, applicant_id)
DO UPDATE SET applications = mobility_applicationtally.applications + 1;
"""

SQLITE = [
    f"""CREATE TRIGGER mobility_tally_insert AFTER INSERT ON mobility_application
BEGIN {_ADD_NEW} END""",
    f"""CREATE TRIGGER mobility_tally_delete AFTER DELETE ON mobility_application
BEGIN {_TAKE_OLD} END""",
    f"""CREATE TRIGGER mobility_tally_update
AFTER UPDATE OF department_id, status, applicant_id ON mobility_application
WHEN OLD.department_id IS NOT NEW.department_id OR OLD.status IS NOT NEW.status
  OR OLD.applicant_id IS NOT NEW.applicant_id
BEGIN {_TAKE_OLD} {_ADD_NEW} END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION mobility_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
IF TG_OP <> 'INSERT' THEN {_TAKE_OLD} END IF;
IF TG_OP <> 'DELETE' THEN {_ADD_NEW} END IF;
RETURN NULL;
END $$""",
    """CREATE TRIGGER mobility_tally_insert_delete
AFTER INSERT OR DELETE ON mobility_application
FOR EACH ROW EXECUTE FUNCTION mobility_tally()""",
    """CREATE TRIGGER mobility_tally_update
AFTER UPDATE OF department_id, status, applicant_id ON mobility_application
FOR EACH ROW WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id
  OR OLD.status IS DISTINCT FROM NEW.status OR OLD.applicant_id IS DISTINCT FROM NEW.applicant_id)
EXECUTE FUNCTION mobility_tally()""",
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS mobility_tally_insert",
        "DROP TRIGGER IF EXISTS mobility_tally_delete",
        "DROP TRIGGER IF EXISTS mobility_tally_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS mobility_tally_insert_delete ON mobility_application",
        "DROP TRIGGER IF EXISTS mobility_tally_update ON mobility_application",
        "DROP FUNCTION IF EXISTS mobility_tally()",
    ],
}

RECOUNT = [
    "DELETE FROM mobility_applicationtally",
    """INSERT INTO mobility_applicationtally (department_id, status, applicant_id, applications)
SELECT department_id, status, applicant_id, COUNT(*) FROM mobility_application
GROUP BY department_id, status, applicant_id""",
]


def triggers(vendor: str) -> list[str]:
    """The statements that make the database keep the counts (SQLite and PostgreSQL)."""
    if vendor == "sqlite":
        return SQLITE
    if vendor == "postgresql":
        return POSTGRESQL
    raise NotImplementedError(f"No tally triggers for {vendor}")


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
