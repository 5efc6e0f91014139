"""The catalogue's revision moves to core's named revisions, keeping its key."""

from typing import Any

from django.db import migrations


def to_core(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("catalogue", "CatalogueRevision")
    new = apps.get_model("core", "Revision")
    for row in old.objects.filter(pk=1):
        new.objects.update_or_create(name="catalogue", defaults={"key": row.key})


def back_from_core(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("catalogue", "CatalogueRevision")
    new = apps.get_model("core", "Revision")
    for row in new.objects.filter(name="catalogue"):
        old.objects.update_or_create(pk=1, defaults={"key": row.key})


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_host_kinds_from_the_rules"),
        ("core", "0003_revision"),
    ]

    operations = [
        migrations.RunPython(to_core, back_from_core),
        migrations.DeleteModel(name="CatalogueRevision"),
    ]
