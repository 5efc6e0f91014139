"""The event log is append-only in the database too (PostgreSQL): a trigger refuses every
UPDATE and DELETE of core_event. The one change it lets through is clearing `actor_user_id`
alone, which deleting a person does (ON DELETE SET NULL, done by Django); the label keeps
who it was. TRUNCATE (a test's flush) fires no row trigger. SQLite has no trigger here: the
model and its queryset refuse there (core/models.py)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_user_id IS NULL
       AND (to_jsonb(NEW) - 'actor_user_id') = (to_jsonb(OLD) - 'actor_user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_event_append_only ON core_event;
CREATE TRIGGER core_event_append_only
    BEFORE UPDATE OR DELETE ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_event_append_only ON core_event;
DROP FUNCTION IF EXISTS core_event_append_only();
"""


def _on_postgresql(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses %

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_revision")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
