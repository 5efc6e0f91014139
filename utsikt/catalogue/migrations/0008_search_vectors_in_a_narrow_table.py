"""Search vectors copied into a narrow table of their own, on PostgreSQL; on SQLite, the
FTS5 index's vocabulary as a table (fts5vocab), to look up the words under a prefix.

A common word's matches were found by the GIN index on catalogue_opportunity and then read
from its wide rows (about 26,000 pages at 100,000 opportunities) for their ids; the narrow
table's rows are a few hundred pages, its vectors stored apart (toast_tuple_target) and, where
the server has it, compressed with lz4, which is also faster to read back to rank. A trigger
copies the vector on every insert and every write of `search_vector`, whatever writes it, and
the foreign key deletes the copy with its opportunity. The title's words (weight A) are also
kept alone, GIN-indexed: the rows with the query's words in their title are found without
reading each candidate's whole vector to test the words' weight. The SQL is written out here, not
imported, so that this migration does the same whatever the code becomes. On SQLite the
table is made (Django's model) and stays empty: FTS5 has its own table.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

import utsikt.catalogue.fields

TABLE = "catalogue_opportunitysearch"

INSTALL = [
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)",
    f"""ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_opportunity_fk
        FOREIGN KEY (opportunity_id) REFERENCES catalogue_opportunity (id) ON DELETE CASCADE""",
    """CREATE FUNCTION utsikt_opportunity_search_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO catalogue_opportunitysearch (opportunity_id, vector, title_vector)
VALUES (NEW.id, NEW.search_vector, ts_filter(NEW.search_vector, '{a}'))
ON CONFLICT (opportunity_id)
DO UPDATE SET vector = EXCLUDED.vector, title_vector = EXCLUDED.title_vector;
RETURN NULL;
END $$""",
    """CREATE TRIGGER catalogue_opportunity_search_copy
        AFTER INSERT OR UPDATE OF search_vector ON catalogue_opportunity
        FOR EACH ROW EXECUTE FUNCTION utsikt_opportunity_search_copy()""",
    f"""INSERT INTO {TABLE} (opportunity_id, vector, title_vector)
        SELECT id, search_vector, ts_filter(search_vector, '{{a}}') FROM catalogue_opportunity""",
    f"CREATE INDEX {TABLE}_vector_gin ON {TABLE} USING gin (vector)",
    f"CREATE INDEX {TABLE}_title_gin ON {TABLE} USING gin (title_vector)",
    f"ANALYZE {TABLE}",
]
# lz4 only where the server was built with it (pglz, the default, otherwise).
HAS_LZ4 = """SELECT 'lz4' = ANY(enumvals) FROM pg_settings
    WHERE name = 'default_toast_compression'"""
LZ4 = f"ALTER TABLE {TABLE} ALTER COLUMN vector SET COMPRESSION lz4"

UNINSTALL = [
    "DROP TRIGGER IF EXISTS catalogue_opportunity_search_copy ON catalogue_opportunity",
    "DROP FUNCTION IF EXISTS utsikt_opportunity_search_copy()",
    f"DROP INDEX IF EXISTS {TABLE}_vector_gin",
    f"DROP INDEX IF EXISTS {TABLE}_title_gin",
    f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {TABLE}_opportunity_fk",
]


# SQLite: the FTS5 index's words in order, one row per occurrence but read lazily, so that
# the words under a prefix are found one step each (search/engines.py, `_exact`).
SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE catalogue_opportunity_fts_terms
        USING fts5vocab(catalogue_opportunity_fts, instance)""",
]
SQLITE_UNINSTALL = ["DROP TABLE IF EXISTS catalogue_opportunity_fts_terms"]


def install(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement, params=None)
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(HAS_LZ4)
        row = cursor.fetchone()
    statements = [LZ4, *INSTALL] if row and row[0] else INSTALL
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UNINSTALL:
            schema_editor.execute(statement, params=None)
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_drafts_without_dates"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpportunitySearch",
            fields=[
                (
                    "opportunity",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_row",
                        serialize=False,
                        to="catalogue.opportunity",
                    ),
                ),
                ("vector", utsikt.catalogue.fields.StoredSearchVectorField(null=True)),
                ("title_vector", utsikt.catalogue.fields.StoredSearchVectorField(null=True)),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
