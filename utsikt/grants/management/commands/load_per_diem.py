"""Load Skatteverket's normalbelopp from its open-data export (CSV or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from utsikt.core.actors import Actor
from utsikt.grants import per_diem


class Command(BaseCommand):
    help = (
        "Load Skatteverket's per diem abroad (normalbelopp) from the tax agency's open-data "
        "export, CSV or JSON, with the fields 'land eller område', 'normalbelopp', 'år' and "
        "'landskod'. Each value keeps its year and the source given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            default=per_diem.OPEN_DATA_SOURCE,
            help="Where the file comes from (kept with every value).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            loaded = per_diem.load(
                content=content, source=options["source"], actor=Actor.system("load_per_diem")
            )
        except per_diem.InvalidExport as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{loaded.created} created, {loaded.updated} updated.")
        if loaded.unknown:
            self.stdout.write("Not a country of the rules: " + ", ".join(loaded.unknown))
