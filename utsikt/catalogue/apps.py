from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_full_text_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from utsikt.catalogue.schema import create_full_text_index

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    # Only once migration 0002 made it; a migration back before it must not bring it back.
    if ("catalogue", "0002_full_text_index") in applied:
        create_full_text_index(connection)


class CatalogueConfig(AppConfig):
    name = "utsikt.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        post_migrate.connect(_ensure_full_text_index, sender=self)
