"""No input makes the API answer 5xx: every refusal is JSON, in both languages.

The fixed cases are the ones an attack run found (a date near year 9999, JSON nested
100,000 deep, a lone surrogate or a NUL in a city, a body over the size limit); the fuzz test
sends a few hundred generated bodies around a real trip.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utsikt.grants.tests.test_interfaces import SAME_TRIPS, TODAY

URL = "/api/estimate"
TRIP: dict[str, Any] = {**SAME_TRIPS[0], "today": TODAY.isoformat()}


def _post(client: Client, body: str | bytes) -> Any:
    return client.post(URL, data=body, content_type="application/json")


def _assert_json_refusal(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body: dict[str, Any] = response.json()
    messages = body.get("problems") or [body]
    assert all(m["message_sv"] and m["message_en"] for m in messages), body
    return body


HOSTILE = {
    "a date near the end of time": json.dumps({**TRIP, "today": "9999-12-31"}),
    "a trip at the end of time": json.dumps({**TRIP, "start": "9999-12-30", "end": "9999-12-31"}),
    "a trip at the start of time": json.dumps({**TRIP, "start": "0001-01-01", "end": "0001-01-02"}),
    "JSON nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "objects nested 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "a lone surrogate in a city": json.dumps(
        {**TRIP, "hosts": [{"city": "\ud800", "country": "PT"}]}
    ),
    "a lone surrogate in the origin": json.dumps(
        {**TRIP, "origin": {"city": "Lund\udfff", "country": "\ud800E"}}
    ),
    "a lone surrogate in a host's name": json.dumps(
        {**TRIP, "hosts": [{**TRIP["hosts"][0], "name": "\udc00"}]}
    ),
    "a lone surrogate as a field name": json.dumps({**TRIP, "\ud800": 1}),
    # PostgreSQL's text holds no NUL: the fuzz test found it in a city on PostgreSQL.
    "a NUL in a city": json.dumps({**TRIP, "hosts": [{"city": "Por\u0000to", "country": "PT"}]}),
    "a NUL in the origin": json.dumps({**TRIP, "origin": {"city": "Lund", "country": "S\u0000"}}),
    "a NUL in a host's name": json.dumps(
        {**TRIP, "hosts": [{**TRIP["hosts"][0], "name": "Porto\u0000"}]}
    ),
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_a_json_400_in_both_languages(db: None, body: str) -> None:
    client = Client(raise_request_exception=True)
    _assert_json_refusal(_post(client, body), 400)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_size_limit_is_refused_in_json(db: None) -> None:
    body = json.dumps({**TRIP, "padding": "x" * 2048})
    assert _assert_json_refusal(_post(Client(), body), 413)["error"] == "too_large"


def test_errors_at_api_addresses_are_json(db: None) -> None:
    client = Client()
    assert _assert_json_refusal(client.get(reverse("api:estimate")), 405)["error"] == (
        "method_not_allowed"
    )
    assert _assert_json_refusal(client.get("/api/no-such-route"), 404)["error"] == "not_found"


def test_the_command_refuses_a_date_near_the_end_of_time_as_bad_input(db: None) -> None:
    for body in (json.dumps({**TRIP, "today": "9999-12-31"}), "[" * 100_000):
        with pytest.raises(CommandError) as refused:
            call_command("estimate", stdin=io.StringIO(body), stdout=io.StringIO())
        assert refused.value.returncode == 2


# --- fuzzing ------------------------------------------------------------------------------------

_odd_text = st.sampled_from(
    ["", " ", "\ud800", "\udfff", "\x00", "9999-12-31", "0001-01-01", "2026-02-30", "NaN",
     "-1", "1e308", "Porto", "PT", "𝔘𝔱𝔰𝔦𝔨𝔱", "a" * 10_000]
)  # fmt: skip
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    _odd_text,
)
_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_field = st.sampled_from([*TRIP, "origin", "travel_sek", "meals_provided", "virtual_part"])
_trip_with_changes = st.builds(
    lambda changes: {**TRIP, **changes}, st.dictionaries(_field, _json, max_size=4)
)
_host_with_changes = st.builds(
    lambda city, country, kind: {
        **TRIP,
        "hosts": [{"city": city, "country": country, "kind": kind}],
    },
    st.one_of(_odd_text, _scalars),
    st.one_of(_odd_text, _scalars),
    st.one_of(_odd_text, _scalars),
)
_bodies = st.one_of(
    _trip_with_changes.map(json.dumps),
    _host_with_changes.map(json.dumps),
    _json.map(json.dumps),
    st.binary(max_size=200),
    st.sampled_from(list(HOSTILE.values())),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_bodies)
def test_no_generated_body_makes_the_api_answer_5xx(db: None, body: str | bytes) -> None:
    response = _post(Client(), body)
    assert response.status_code < 500, (body[:200], response.content[:300])
    assert response["Content-Type"] == "application/json"
