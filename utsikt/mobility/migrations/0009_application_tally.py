"""The applications counted per department, status and applicant, kept by triggers.

The work lists read their counts from these few rows (mobility.tally); the triggers keep
them in every write's own transaction, and the table starts from a fresh count. The SQL is
kept here, as it was when this migration was made: a later change to the triggers is a new
migration.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Take one from the row of OLD: delete it when this was its last, else count one fewer.
_TAKE_OLD = """
DELETE FROM mobility_applicationtally
 WHERE department_id = OLD.department_id AND status = OLD.status
   AND applicant_id = OLD.applicant_id AND applications <= 1;
UPDATE mobility_applicationtally SET applications = applications - 1
 WHERE department_id = OLD.department_id AND status = OLD.status
   AND applicant_id = OLD.applicant_id;
"""
# Add one to the row of NEW, making it when it is the first.
_ADD_NEW = """
INSERT INTO mobility_applicationtally (department_id, status, applicant_id, applications)
VALUES (NEW.department_id, NEW.status, NEW.applicant_id, 1)
ON CONFLICT (department_id, status, applicant_id)
DO UPDATE SET applications = mobility_applicationtally.applications + 1;
"""

SQLITE = [
    f"""CREATE TRIGGER mobility_tally_insert AFTER INSERT ON mobility_application
BEGIN {_ADD_NEW} END""",
    f"""CREATE TRIGGER mobility_tally_delete AFTER DELETE ON mobility_application
BEGIN {_TAKE_OLD} END""",
    f"""CREATE TRIGGER mobility_tally_update
AFTER UPDATE OF department_id, status, applicant_id ON mobility_application
WHEN OLD.department_id IS NOT NEW.department_id OR OLD.status IS NOT NEW.status
  OR OLD.applicant_id IS NOT NEW.applicant_id
BEGIN {_TAKE_OLD} {_ADD_NEW} END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION mobility_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
IF TG_OP <> 'INSERT' THEN {_TAKE_OLD} END IF;
IF TG_OP <> 'DELETE' THEN {_ADD_NEW} END IF;
RETURN NULL;
END $$""",
    """CREATE TRIGGER mobility_tally_insert_delete
AFTER INSERT OR DELETE ON mobility_application
FOR EACH ROW EXECUTE FUNCTION mobility_tally()""",
    """CREATE TRIGGER mobility_tally_update
AFTER UPDATE OF department_id, status, applicant_id ON mobility_application
FOR EACH ROW WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id
  OR OLD.status IS DISTINCT FROM NEW.status OR OLD.applicant_id IS DISTINCT FROM NEW.applicant_id)
EXECUTE FUNCTION mobility_tally()""",
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS mobility_tally_insert",
        "DROP TRIGGER IF EXISTS mobility_tally_delete",
        "DROP TRIGGER IF EXISTS mobility_tally_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS mobility_tally_insert_delete ON mobility_application",
        "DROP TRIGGER IF EXISTS mobility_tally_update ON mobility_application",
        "DROP FUNCTION IF EXISTS mobility_tally()",
    ],
}

RECOUNT = [
    "DELETE FROM mobility_applicationtally",
    """INSERT INTO mobility_applicationtally (department_id, status, applicant_id, applications)
SELECT department_id, status, applicant_id, COUNT(*) FROM mobility_application
GROUP BY department_id, status, applicant_id""",
]
TRIGGERS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def install(apps: Any, schema_editor: Any) -> None:
    for statement in [*TRIGGERS[schema_editor.connection.vendor], *RECOUNT]:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens"),
        ("mobility", "0008_status_label_international_office"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Waiting for the manager"),
                            ("returned", "Returned for changes"),
                            ("manager_approved", "Waiting for the International Office"),
                            ("granted", "Grant allocated"),
                            ("agreement_sent", "Mobility Agreement sent for signing"),
                            ("signed", "Mobility Agreement signed"),
                            ("travelling", "Travelling"),
                            ("completed", "Back home"),
                            ("settled", "Settled"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=20,
                    ),
                ),
                ("applications", models.PositiveIntegerField(default=0)),
                (
                    "applicant",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.orgunit",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["applicant", "status"], name="application_tally_mine_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("department", "status", "applicant"),
                        name="application_tally_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
