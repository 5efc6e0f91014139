"""Estimate one trip: JSON in on stdin, JSON out on stdout (exit code 2 for bad input)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from utsikt.grants import estimates, trips

EXAMPLE = (
    '{"call_year": 2025, "hosts": [{"city": "Porto", "country": "PT", "kind": "university"}], '
    '"activity": "job_shadowing", "start": "2026-05-04", "end": "2026-05-08"}'
)


class Command(BaseCommand):
    help = (
        "Read one trip as JSON on stdin and print the verdict, the Erasmus+ grant and the "
        f"department's cost as JSON. Example input: {EXAMPLE}"
    )
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin
        try:
            data = json.loads(stream.read())
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise CommandError(f"The input is not JSON: {error}", returncode=2) from None
        try:
            result = estimates.run(data)
        except trips.InvalidTrip as invalid:
            lines = [f"{p.field or 'input'}: {p.message_en}" for p in invalid.problems]
            raise CommandError(
                "The trip cannot be estimated:\n  " + "\n  ".join(lines), returncode=2
            ) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
