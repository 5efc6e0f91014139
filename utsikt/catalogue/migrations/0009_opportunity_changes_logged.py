"""Every write to an opportunity logged by the database, for the search's facet bitmaps.

After a catalogue write, the first search read every listed opportunity again to make the facet
bitmaps (search/bitmaps.py): about half a second at 100,000. Now it reads only the
opportunities logged since its process last read them. Triggers write the log, so no write path
can forget it (the write functions, bulk updates, the admin, raw SQL); on PostgreSQL with the
transaction's id, so that a reader can ask again for every transaction its last reading could
not yet see. Rows older than two days are deleted as new ones come (a process reads its bitmaps
anew every day). The SQL is written out here, not imported, so that this migration does the
same whatever the code becomes.
"""

from typing import Any

import django.db.models.functions.datetime
from django.db import migrations, models

LOG = "catalogue_opportunitychange"
OPERATIONS = {"insert": "new", "update": "new", "delete": "old"}

# SQLite has row triggers only; one in a thousand log rows also deletes the old ones.
SQLITE = [
    *(
        f"""CREATE TRIGGER catalogue_opportunity_logged_{operation}
        AFTER {operation.upper()} ON catalogue_opportunity BEGIN
            INSERT INTO {LOG} (opportunity_id) VALUES ({row}.id);
        END"""
        for operation, row in OPERATIONS.items()
    ),
    f"""CREATE TRIGGER {LOG}_pruned AFTER INSERT ON {LOG} WHEN new.id % 1000 = 0 BEGIN
        DELETE FROM {LOG} WHERE at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-2 days');
    END""",
]
SQLITE_UNDO = [
    *(f"DROP TRIGGER IF EXISTS catalogue_opportunity_logged_{operation}" for operation in OPERATIONS),
    f"DROP TRIGGER IF EXISTS {LOG}_pruned",
]

# PostgreSQL: once per statement, from its transition table (a bulk update logs its rows in
# one INSERT, not one per row).
POSTGRESQL = [
    f"""CREATE FUNCTION utsikt_opportunity_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO {LOG} (opportunity_id, transaction)
SELECT id, pg_current_xact_id()::text::bigint FROM written;
DELETE FROM {LOG} WHERE at < now() - interval '2 days';
RETURN NULL;
END $$""",
    *(
        f"""CREATE TRIGGER catalogue_opportunity_logged_{operation}
        AFTER {operation.upper()} ON catalogue_opportunity
        REFERENCING {row.upper()} TABLE AS written
        FOR EACH STATEMENT EXECUTE FUNCTION utsikt_opportunity_logged()"""
        for operation, row in OPERATIONS.items()
    ),
]
POSTGRESQL_UNDO = [
    *(
        f"DROP TRIGGER IF EXISTS catalogue_opportunity_logged_{operation} ON catalogue_opportunity"
        for operation in OPERATIONS
    ),
    "DROP FUNCTION IF EXISTS utsikt_opportunity_logged()",
]


def install(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}
    for statement in statements[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0008_search_vectors_in_a_narrow_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpportunityChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("opportunity_id", models.BigIntegerField()),
                ("transaction", models.BigIntegerField(null=True)),
                (
                    "at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["transaction"], name="opp_change_transaction_idx"),
                    models.Index(fields=["at"], name="opp_change_at_idx"),
                ],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
