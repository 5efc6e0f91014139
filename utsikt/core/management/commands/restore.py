"""`manage.py restore FOLDER`: verify a backup's checksums, then replace the database and
the stored documents with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from utsikt.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: checks every checksum first, then "
        "replaces the database and the stored documents. Stop the web and worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="the backup's folder (it holds manifest.json)")
        parser.add_argument(
            "--verify-only", action="store_true", help="check the checksums and change nothing"
        )

    def handle(self, *args: Any, folder: str, verify_only: bool = False, **options: Any) -> None:
        try:
            if verify_only:
                manifest = backup.verify(Path(folder))
                self.stdout.write(f"{folder}: {len(manifest['files'])} files, checksums agree")
                return
            summary = backup.restore(Path(folder))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {summary.engine} database and {summary.documents} documents "
            f"({summary.bytes} bytes) from {summary.folder}"
        )
