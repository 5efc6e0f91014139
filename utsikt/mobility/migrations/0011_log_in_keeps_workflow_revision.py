"""A log-in (which writes only the person's last_login) no longer changes the "workflow"
revision: every log-in threw away every work list cached in every server process, although
no list shows when anyone last logged in. Any other change to a person still changes it.

The columns are written out, as in migration 0010, so that this migration does the same
whatever the model becomes; a test (mobility/tests/test_list_cache.py) changes each column of
the person in turn and fails when one leaves the revision as it was (add it in a new
migration). On PostgreSQL the statement trigger that counts a transaction's writes to the
table (migration 0010) counts an update only when it sets one of these columns: Django's
log-in sets last_login alone.
"""

from typing import Any

from django.db import migrations

TABLE = "accounts_user"
# Every column of accounts_user but last_login.
COLUMNS = (
    "id",
    "password",
    "is_superuser",
    "first_name",
    "last_name",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "eppn",
    "staff_category",
    "job_title",
    "languages",
    "had_grant_before",
    "language",
    "manager_id",
    "department_id",
)
SQLITE_BUMP = """INSERT INTO core_revision (name, key)
VALUES ('workflow', lower(hex(randomblob(8))))
ON CONFLICT (name) DO UPDATE SET key = excluded.key;"""


def _sqlite_update(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)
    return (
        f"CREATE TRIGGER {TABLE}_workflow_update AFTER UPDATE ON {TABLE}"
        f" WHEN {changed} BEGIN {SQLITE_BUMP} END"
    )


def _postgresql_counted(events: str, suffix: str = "") -> str:
    return (
        f"CREATE TRIGGER {TABLE}_workflow{suffix} AFTER {events} ON {TABLE}"
        " FOR EACH STATEMENT EXECUTE FUNCTION utsikt_workflow_counted()"
    )


def _postgresql_commit(events: str, when: str = "") -> str:
    name = f"{TABLE}_workflow_commit" + ("_update" if when else "")
    return (
        f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {TABLE}"
        f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {when}"
        " EXECUTE FUNCTION utsikt_workflow_changed()"
    )


def install(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER {TABLE}_workflow_update", _sqlite_update(COLUMNS)]
    else:
        old = ", ".join(f"OLD.{column}" for column in COLUMNS)
        new = ", ".join(f"NEW.{column}" for column in COLUMNS)
        statements = [
            f"DROP TRIGGER {TABLE}_workflow ON {TABLE}",
            _postgresql_counted("INSERT OR DELETE"),
            _postgresql_counted(f"UPDATE OF {', '.join(COLUMNS)}", "_update"),
            f"DROP TRIGGER {TABLE}_workflow_commit ON {TABLE}",
            _postgresql_commit("INSERT OR DELETE"),
            _postgresql_commit("UPDATE", f"WHEN (({old}) IS DISTINCT FROM ({new}))"),
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    """Back to migration 0010's triggers: every write changes the revision."""
    if schema_editor.connection.vendor == "sqlite":
        statements = [
            f"DROP TRIGGER {TABLE}_workflow_update",
            f"CREATE TRIGGER {TABLE}_workflow_update AFTER UPDATE ON {TABLE}"
            f" BEGIN {SQLITE_BUMP} END",
        ]
    else:
        statements = [
            f"DROP TRIGGER {TABLE}_workflow_update ON {TABLE}",
            f"DROP TRIGGER {TABLE}_workflow ON {TABLE}",
            _postgresql_counted("INSERT OR UPDATE OR DELETE"),
            f"DROP TRIGGER {TABLE}_workflow_commit_update ON {TABLE}",
            f"DROP TRIGGER {TABLE}_workflow_commit ON {TABLE}",
            _postgresql_commit("INSERT OR UPDATE OR DELETE"),
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("mobility", "0010_workflow_revision")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
