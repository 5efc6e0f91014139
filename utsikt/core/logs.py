"""Logging filters, configured in settings.LOGGING (imported before the apps are ready)."""

from __future__ import annotations

import logging


class RefusalsOnOneLine(logging.Filter):
    """Django logs a refused request (403, 404) with the exception's traceback; for a refusal
    the line "Forbidden: /path" says all, and tracebacks would bury the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
