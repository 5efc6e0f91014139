"""Database objects Django's models cannot declare: the vendor-specific full-text index.

`create_full_text_index` runs in migration 0002 and again after every `migrate` (apps.py):
SQLite drops a table's triggers when a later migration rebuilds the table, so the trigger
that keeps the FTS5 table clean of deleted opportunities is re-created if it went missing.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

FTS_TABLE = "catalogue_opportunity_fts"

SQLITE = [
    # No stemmer: FTS5 has none for Swedish, and Porter's English one makes "portugal" match
    # "portuguese". search/words.py strips common endings of both languages and searches prefixes.
    # The text arrives folded, so diacritics are gone already.
    """CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_opportunity_fts USING fts5(
        title, facts, body, tokenize = 'unicode61 remove_diacritics 2')""",
    # A match in the title weighs ten times one in the description, one in the facts four.
    """INSERT INTO catalogue_opportunity_fts (catalogue_opportunity_fts, rank)
        VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')""",
    """CREATE TRIGGER IF NOT EXISTS catalogue_opportunity_fts_delete
        AFTER DELETE ON catalogue_opportunity BEGIN
            DELETE FROM catalogue_opportunity_fts WHERE rowid = old.id;
        END""",
]
POSTGRESQL = [
    """CREATE INDEX IF NOT EXISTS opp_search_vector_gin
        ON catalogue_opportunity USING gin (search_vector)""",
]


def create_full_text_index(connection: BaseDatabaseWrapper) -> None:
    """Create the index for this database if it is missing (idempotent)."""
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_full_text_index(connection: BaseDatabaseWrapper) -> None:
    statements = {
        "sqlite": [
            "DROP TRIGGER IF EXISTS catalogue_opportunity_fts_delete",
            "DROP TABLE IF EXISTS catalogue_opportunity_fts",
        ],
        "postgresql": ["DROP INDEX IF EXISTS opp_search_vector_gin"],
    }.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def full_text_index_exists(connection: BaseDatabaseWrapper) -> bool:
    """Whether the index and (on SQLite) its delete trigger are in place."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s)",
                [FTS_TABLE, "catalogue_opportunity_fts_delete"],
            )
            return bool(cursor.fetchone()[0] == 2)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname = %s", ["opp_search_vector_gin"]
            )
            return bool(cursor.fetchone()[0] == 1)
    return False
