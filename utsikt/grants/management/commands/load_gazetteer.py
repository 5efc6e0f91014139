from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from utsikt.grants import gazetteer


class Command(BaseCommand):
    help = "Load countries and the cities of 15,000 inhabitants or more (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = gazetteer.load()
        self.stdout.write(self.style.SUCCESS(f"Gazetteer ready: {count} places."))
