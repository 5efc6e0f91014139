"""Queue last week's newsletter digests; run weekly (cron) next to `db_worker`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from utsikt.pages.tasks import send_digests


class Command(BaseCommand):
    help = "Queue the weekly newsletter digest for every confirmed subscriber (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help='ISO week, e.g. "2026-W48" (default: last week)')

    def handle(self, *args: Any, **options: Any) -> None:
        send_digests.enqueue(options.get("week"))
        self.stdout.write("Newsletter digests queued.")
