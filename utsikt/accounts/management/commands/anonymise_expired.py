"""Anonymise everyone past the retention period (UTSIKT_RETENTION_DAYS); run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from utsikt.accounts import privacy
from utsikt.core.actors import Actor


class Command(BaseCommand):
    help = "Anonymise people whose data is past the retention period; statistics stay."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list who would be anonymised."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        due = list(privacy.due_for_anonymisation())
        for user in due:
            if dry_run:
                self.stdout.write(f"would anonymise {user.pk} {user.email}")
            else:
                privacy.anonymise(user=user, actor=Actor.system("anonymise_expired"))
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(f"{verb} {len(due)} people (retention {privacy.retention().days} days)")
