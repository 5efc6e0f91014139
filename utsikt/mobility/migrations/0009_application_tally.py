"""The applications counted per department, status and applicant, kept by triggers.

The work lists read their counts from these few rows (mobility.tally); the triggers keep
them in every write's own transaction, and the table starts from a fresh count.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from utsikt.mobility import tally


def install(apps: Any, schema_editor: Any) -> None:
    for statement in [*tally.triggers(schema_editor.connection.vendor), *tally.RECOUNT]:
        schema_editor.execute(statement, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    for statement in tally.DROP[schema_editor.connection.vendor]:
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
