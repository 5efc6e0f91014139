"""Reference data every installation needs: countries, places, rates and rules per call year."""

from __future__ import annotations

from utsikt.grants import gazetteer


def load() -> None:
    """Load all reference data (idempotent). Administrators' later edits to rates are kept."""
    gazetteer.load()
