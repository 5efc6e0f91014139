"""The "workflow" revision, changed by the database on every write to the work lists' tables.

The four work lists (staff home, manager inbox, office pipeline, finance list) cache their
pages under this key (core/cache.py private_page). Triggers, not the write functions, change
it, so that no write path can forget it: the workflow's moves, the planner's saves that log
no event, bulk updates, the admin, a shell, raw SQL. The SQL is written out here, not
imported, so that this migration does the same whatever the code becomes; a test
(mobility/tests/test_list_cache.py) derives the tables from the pages' SQL and fails when a
page reads one that no trigger watches (add it in a new migration).

The key is one row. SQLite has only row triggers, which write it in place (SQLite runs
writers one at a time anyway). On PostgreSQL a deferred constraint trigger writes it once per
transaction, at its commit (see POSTGRESQL_FUNCTIONS): a transaction holds the row's lock
only while it commits, not while it waits for other writers' rows (only the checks deferred
to the commit, such as foreign keys, can still wait behind it).
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

# Once per transaction the row, at its commit: updating one row again and again in one
# transaction makes PostgreSQL walk a longer chain of its versions each time (a bulk update,
# whose tally trigger writes per row, would take minutes), and a lock taken at the first
# write and held to the commit would make two writers that then wait for each other's rows
# deadlock. Until the commit, every statement counts its transaction's writes in a setting
# local to the transaction (rolled back with a savepoint), and revision.latest adds that count
# to the key: a page read inside the writing transaction is never filed under a key that its
# later writes, or its commit, leave.
POSTGRESQL_FUNCTIONS = [
    """CREATE FUNCTION utsikt_workflow_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
PERFORM set_config('utsikt.workflow_writes',
  (coalesce(nullif(current_setting('utsikt.workflow_writes', true), ''), '0')::bigint + 1)::text,
  true);
RETURN NULL;
END $$""",
    """CREATE FUNCTION utsikt_workflow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF coalesce(current_setting('utsikt.workflow_changed', true), '') = '' THEN
  INSERT INTO core_revision (name, key)
  VALUES ('workflow', substr(md5(random()::text || clock_timestamp()::text), 1, 16))
  ON CONFLICT (name) DO UPDATE SET key = EXCLUDED.key;
  PERFORM set_config('utsikt.workflow_changed', 'yes', true);
END IF;
RETURN NULL;
END $$""",
]

OPERATIONS = ("insert", "update", "delete")


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_workflow_{operation} AFTER {operation.upper()} ON {table}"
        f" BEGIN {SQLITE_BUMP} END"
        for operation in OPERATIONS
    ]


def postgresql_triggers(table: str) -> list[str]:
    """Count each statement's write now; change the key once, when the transaction commits."""
    return [
        f"CREATE TRIGGER {table}_workflow AFTER INSERT OR UPDATE OR DELETE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION utsikt_workflow_counted()",
        f"CREATE CONSTRAINT TRIGGER {table}_workflow_commit AFTER INSERT OR UPDATE OR DELETE"
        f" ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        " EXECUTE FUNCTION utsikt_workflow_changed()",
    ]


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in TABLES for s in sqlite_triggers(table)]
    elif vendor == "postgresql":
        statements = [
            *POSTGRESQL_FUNCTIONS,
            *(t for table in TABLES for t in postgresql_triggers(table)),
        ]
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
        statements = [
            f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
            for table in TABLES
            for name in ("workflow", "workflow_commit")
        ]
        statements += [
            "DROP FUNCTION IF EXISTS utsikt_workflow_counted()",
            "DROP FUNCTION IF EXISTS utsikt_workflow_changed()",
        ]
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
