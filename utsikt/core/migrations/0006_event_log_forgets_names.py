"""The event log's trigger (0004) also lets anonymisation replace the name an event was
written with: an UPDATE that changes `actor_label` alone, of an event that still names its
person (`actor_user_id`), to the fixed label `core.models.ANONYMISED_LABEL`. Everything else
stays refused: the action, the object, the time and the details never change."""

from __future__ import annotations

from importlib import import_module

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_user_id IS NULL
       AND (to_jsonb(NEW) - 'actor_user_id') = (to_jsonb(OLD) - 'actor_user_id') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.actor_user_id IS NOT NULL
       AND NEW.actor_label = 'anonymised'
       AND (to_jsonb(NEW) - 'actor_label') = (to_jsonb(OLD) - 'actor_label') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Going back puts 0004's function (and trigger, which it drops and makes again) back.
_0004 = import_module("utsikt.core.migrations.0004_event_log_append_only")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_outgoing_email_headers")]

    operations = [
        migrations.RunPython(_0004._on_postgresql(CREATE), _0004._on_postgresql(_0004.CREATE))
    ]
