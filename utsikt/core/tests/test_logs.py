"""Request ids and structured (JSON) log lines."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from utsikt.core import logs


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get("/ping")["X-Request-ID"]
    second = client.get("/ping")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client: Client) -> None:
    offered = "b5e0c1f2-7a3d-4e8b-9c21-0f6a5d4e3c2b"
    assert client.get("/ping", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered
    strange = client.get("/ping", HTTP_X_REQUEST_ID="x\n{forged log line}")["X-Request-ID"]
    assert "\n" not in strange and "forged" not in strange


@pytest.mark.django_db
def test_log_lines_written_while_serving_carry_the_requests_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="utsikt.requests"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 404
    lines = [logs.JsonFormatter().format(r) for r in caplog.records]
    parsed = [json.loads(line) for line in lines]
    request_line = next(p for p in parsed if p["logger"] == "utsikt.requests")
    assert request_line["request_id"] == "req-0123456789"
    assert request_line["status"] == 404
    assert request_line["path"] == "/no-such-page/"
    assert all(p["request_id"] == "req-0123456789" for p in parsed)


def test_a_json_line_holds_the_message_the_fields_and_the_traceback() -> None:
    logger = logging.getLogger("utsikt.test")
    token = logs.request_id.set("abcdef0123")
    try:
        try:
            raise ValueError("broken")
        except ValueError:
            record = logger.makeRecord(
                "utsikt.test",
                logging.ERROR,
                __file__,
                1,
                "import %s failed",
                ("run 7",),
                __import__("sys").exc_info(),
                extra={"rows": 12},
            )
        line = json.loads(logs.JsonFormatter().format(record))
    finally:
        logs.request_id.reset(token)
    assert line["message"] == "import run 7 failed"
    assert line["level"] == "ERROR"
    assert line["request_id"] == "abcdef0123"
    assert line["rows"] == 12
    assert "ValueError: broken" in line["exception"]
    assert line["time"].endswith("+00:00")
