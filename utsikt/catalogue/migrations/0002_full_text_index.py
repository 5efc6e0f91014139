"""The full-text index: an FTS5 table on SQLite, a GIN index on the stored tsvector on PostgreSQL.

Both are vendor-specific, so they are made here with RunPython rather than declared in
Meta; search/index.py writes to whichever exists.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from utsikt.catalogue.schema import create_full_text_index

    create_full_text_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from utsikt.catalogue.schema import drop_full_text_index

    drop_full_text_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_hosts_agreements_opportunities")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
