"""The "workflow" revision, changed by the database on every write to the work lists' tables.

The four work lists (staff home, manager inbox, office pipeline, finance list) cache their
pages under this key (core/cache.py private_page). Triggers, not the write functions, change
it, so that no write path can forget it: the workflow's moves, the planner's saves that log
no event, bulk updates, the admin, a shell, raw SQL. The SQL is written out here, not
imported, so that this migration does the same whatever the code becomes; a test
(mobility/tests/test_list_cache.py) derives the tables from the pages' SQL and fails when a
page reads one that no trigger watches (add it in a new migration).

The key is one row: every transaction that writes these tables updates it, so on PostgreSQL
such transactions hold its lock from their first write to their commit and run one after
the other (SQLite runs writers one at a time anyway). On PostgreSQL a statement trigger
writes it once per transaction (see POSTGRESQL_FUNCTION); SQLite has only row triggers,
which write it in place.
"""

import secrets
from typing import Any

from django.db import migrations

# Every table the four lists read (mobility/tests/test_list_cache.py checks that it is so).
# pages_office (the footer) is watched by pages migration 0003: pages sits above mobility.
TABLES = (
    "accounts_orgunit",
    "accounts_roleassignment",
    "accounts_user",
    "catalogue_hostorganisation",
    "catalogue_opportunity",
    "grants_callyear",
    "grants_country",
    "grants_place",
    "mobility_allocation",
    "mobility_application",
    "mobility_application_hosts",
    "mobility_applicationtally",
    "mobility_companion",
)

SQLITE_BUMP = """INSERT INTO core_revision (name, key)
VALUES ('workflow', lower(hex(randomblob(8))))
ON CONFLICT (name) DO UPDATE SET key = excluded.key;"""

# Once per transaction the row: updating one row again and again in one transaction makes
# PostgreSQL walk a longer chain of its versions each time (a bulk update, whose tally
# trigger writes per row, would take minutes). Every statement counts its transaction's
# writes in a setting local to the transaction (rolled back with a savepoint, like the row),
# and revision.latest adds that count to the key: a page read inside the writing
# transaction is never filed under a key that its later writes, or its commit, leave.
POSTGRESQL_FUNCTION = """CREATE FUNCTION utsikt_workflow_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  writes bigint := coalesce(nullif(current_setting('utsikt.workflow_writes', true), ''), '0');
BEGIN
IF writes = 0 THEN
  INSERT INTO core_revision (name, key)
  VALUES ('workflow', substr(md5(random()::text || clock_timestamp()::text), 1, 16))
  ON CONFLICT (name) DO UPDATE SET key = EXCLUDED.key;
END IF;
PERFORM set_config('utsikt.workflow_writes', (writes + 1)::text, true);
RETURN NULL;
END $$"""

OPERATIONS = ("insert", "update", "delete")


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_workflow_{operation} AFTER {operation.upper()} ON {table}"
        f" BEGIN {SQLITE_BUMP} END"
        for operation in OPERATIONS
    ]


def postgresql_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_workflow AFTER INSERT OR UPDATE OR DELETE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION utsikt_workflow_changed()"
    )


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in TABLES for s in sqlite_triggers(table)]
    elif vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION, *(postgresql_trigger(table) for table in TABLES)]
    else:
        raise NotImplementedError(f"No workflow revision triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)
    schema_editor.execute(
        "INSERT INTO core_revision (name, key) VALUES ('workflow', %s)"
        " ON CONFLICT (name) DO NOTHING",
        params=[secrets.token_hex(8)],
    )


def uninstall(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            f"DROP TRIGGER IF EXISTS {table}_workflow_{operation}"
            for table in TABLES
            for operation in OPERATIONS
        ]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {table}_workflow ON {table}" for table in TABLES]
        statements.append("DROP FUNCTION IF EXISTS utsikt_workflow_changed()")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_event_log_forgets_names"),
        ("accounts", "0003_api_tokens"),
        ("catalogue", "0007_drafts_without_dates"),
        ("grants", "0003_call_year_boats_are_green"),
        ("mobility", "0009_application_tally"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
