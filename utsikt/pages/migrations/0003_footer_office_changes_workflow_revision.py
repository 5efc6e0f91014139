"""The footer's International Office is on every work list: a write to it changes the
"workflow" revision too (see mobility migration 0010, whose SQL functions it uses)."""

from typing import Any

from django.db import migrations

TABLE = "pages_office"
SQLITE_BUMP = """INSERT INTO core_revision (name, key)
VALUES ('workflow', lower(hex(randomblob(8))))
ON CONFLICT (name) DO UPDATE SET key = excluded.key;"""
OPERATIONS = ("insert", "update", "delete")


def install(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = [
            f"CREATE TRIGGER {TABLE}_workflow_{operation} AFTER {operation.upper()} ON {TABLE}"
            f" BEGIN {SQLITE_BUMP} END"
            for operation in OPERATIONS
        ]
    else:
        statements = [
            f"CREATE TRIGGER {TABLE}_workflow AFTER INSERT OR UPDATE OR DELETE ON {TABLE}"
            " FOR EACH STATEMENT EXECUTE FUNCTION utsikt_workflow_counted()",
            f"CREATE CONSTRAINT TRIGGER {TABLE}_workflow_commit AFTER INSERT OR UPDATE OR DELETE"
            f" ON {TABLE} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
            " EXECUTE FUNCTION utsikt_workflow_changed()",
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {TABLE}_workflow_{op}" for op in OPERATIONS]
    else:
        statements = [
            f"DROP TRIGGER IF EXISTS {TABLE}_{name} ON {TABLE}"
            for name in ("workflow", "workflow_commit")
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_digest_sent_by_core_email"),
        ("mobility", "0010_workflow_revision"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
