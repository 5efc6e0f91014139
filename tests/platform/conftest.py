"""Platform tests: more than one process, backups. `-m platform` selects them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "platform: production set-ups (two web processes behind nginx, backups); "
        "select with -m platform",
    )
