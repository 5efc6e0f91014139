"""Background work of the catalogue: tasks take ids and call a domain function."""

from __future__ import annotations

from django.tasks import task

from utsikt.catalogue import imports


@task
def run_import(run_id: int) -> None:
    """Run one large import (catalogue.ImportRun) that its upload page queued."""
    imports.run_import(run_id)
