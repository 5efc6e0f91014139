from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from utsikt.mobility import homecoming
from utsikt.mobility.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail managers and officers about decisions waiting longer than "
        "UTSIKT_REMINDER_DAYS, and travellers about after-trip steps falling due."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"Reminders sent: {sent}")
        # The after-trip steps: a week before the month is up, and once it has passed.
        after = homecoming.send_reminders()
        self.stdout.write(f"After-trip reminders sent: {after}")
