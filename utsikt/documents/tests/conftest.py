from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Every documents test writes its PDFs to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path
    settings.UTSIKT_BASE_URL = "http://testserver"
