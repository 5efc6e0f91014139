"""Logging filters and the JSON format, configured in settings.LOGGING (imported before the
apps are ready, so nothing here imports Django's models)."""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any


class RefusalsOnOneLine(logging.Filter):
    """Django logs a refused request (403, 404) with the exception's traceback; for a refusal
    the line "Forbidden: /path" says all, and tracebacks would bury the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# --- Request ids and JSON lines ------------------------------------------------------------

# The id of the request this thread (or task) is serving, set by RequestIdMiddleware; log
# records carry it, so that every line a request wrote can be found by the id the proxy, the
# browser's developer tools or a bug report shows (the X-Request-ID header).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# An id taken from the proxy is kept only if it looks like one: it goes into every log line.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def accept_or_make_id(offered: str | None) -> str:
    """The id the proxy in front offered (X-Request-ID), or a new one."""
    if offered and _VALID_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`request_id`, "-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True


# Attributes every LogRecord has; anything else was passed in `extra=` and is written out.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    the fields passed in `extra=`, and the traceback of an exception as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)
