from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from utsikt.mobility.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail managers and officers about decisions waiting longer than UTSIKT_REMINDER_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"Reminders sent: {sent}")
