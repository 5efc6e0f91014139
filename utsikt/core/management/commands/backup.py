"""`manage.py backup [FOLDER]`: the database and every stored document, with checksums."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from utsikt.core import backup


class Command(BaseCommand):
    help = "Back up the database and the stored documents into a new folder (see docs/deploy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder",
            nargs="?",
            help="a new or empty folder (default: UTSIKT_BACKUP_DIR/<date and time>)",
        )

    def handle(self, *args: Any, folder: str | None = None, **options: Any) -> None:
        if folder is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M%SZ")
            target = Path(settings.UTSIKT_BACKUP_DIR) / stamp
        else:
            target = Path(folder)
        try:
            summary = backup.backup(target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {summary.engine} database and {summary.documents} documents "
            f"({summary.bytes} bytes) to {summary.folder}"
        )
