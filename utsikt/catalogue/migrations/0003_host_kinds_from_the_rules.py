"""Host kinds are the rules' vocabulary now: "eu_programme_manager" is "eu_programme_body"."""

from typing import Any

from django.db import migrations, models

RENAMED = {"eu_programme_manager": "eu_programme_body"}


def rename(apps: Any, schema_editor: Any) -> None:
    host = apps.get_model("catalogue", "HostOrganisation")
    for old, new in RENAMED.items():
        host.objects.filter(kind=old).update(kind=new)


def rename_back(apps: Any, schema_editor: Any) -> None:
    host = apps.get_model("catalogue", "HostOrganisation")
    for old, new in RENAMED.items():
        host.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_full_text_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hostorganisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("university", "University or higher education institution"),
                    ("company", "Company"),
                    ("public_body", "Public body"),
                    ("ngo", "Non-governmental organisation"),
                    ("library", "Library"),
                    ("publisher", "Publisher"),
                    ("museum", "Museum"),
                    ("eu_institution", "EU institution or body"),
                    ("eu_programme_body", "Organisation managing EU programmes"),
                    ("diplomatic_mission", "Embassy or consulate"),
                    ("other", "Other organisation"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(rename, rename_back),
    ]
