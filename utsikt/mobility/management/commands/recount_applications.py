"""Count the applications afresh into the work lists' tally: `recount_applications`.

The database keeps the tally in every write (mobility.tally); this rebuilds it after a
restore or a change made with the triggers off, and says whether it had drifted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from utsikt.mobility import tally


class Command(BaseCommand):
    help = "Rebuild the work lists' counts of applications from the applications themselves."

    def handle(self, *args: Any, **options: Any) -> None:
        drifted = tally.kept() != tally.fresh()
        rows = tally.rebuild()
        self.stdout.write(
            f"{rows} tally rows; "
            + ("they had drifted and are rebuilt." if drifted else "they were right.")
        )
