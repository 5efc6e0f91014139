"""POST /api/estimate: the same answer as the command and the page, and clear refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.grants.tests.test_interfaces import SAME_TRIPS, TODAY, _command, _page_query


def _api(client: Client, data: Any) -> Any:
    return client.post(
        reverse("api:estimate"),
        data=json.dumps(data) if not isinstance(data, bytes) else data,
        content_type="application/json",
    )


@pytest.mark.parametrize("trip", SAME_TRIPS, ids=["porto", "athens-green", "london-conference"])
def test_the_command_the_api_and_the_page_agree_on_the_same_trip(
    db: None, client: Client, trip: dict[str, Any]
) -> None:
    data = {**trip, "today": TODAY.isoformat()}
    from_command = _command(data)
    response = _api(client, data)
    assert response.status_code == 200
    from_api = response.json()
    page = client.get(reverse("grants:estimate"), _page_query(trip))
    assert page.status_code == 200
    from_page = json.loads(json.dumps(page.context["result"]))

    assert from_command == from_api == from_page
    # What the page shows is that result, in Swedish by default.
    html = page.content.decode()
    total = f"{from_api['total_eur']:,}".replace(",", "\u202f")
    assert total in html
    for finding in from_api["findings"]:
        assert finding["message_sv"] in html


BAD_INPUT = [
    ({"call_year": 2025}, "hosts"),
    ({**SAME_TRIPS[0], "hosts": [{"city": "Nowhereville", "country": "PT"}]}, "hosts[0].city"),
    ({**SAME_TRIPS[0], "hosts": [{"city": "Porto", "country": "XX"}]}, "hosts[0].country"),
    ({**SAME_TRIPS[0], "hosts": [{"city": "Porto", "country": "PT", "kind": "spa"}]}, "kind"),
    ({**SAME_TRIPS[0], "end": "2020-01-01"}, "end"),
    ({**SAME_TRIPS[0], "start": "4 May"}, "start"),
    ({**SAME_TRIPS[0], "start": 20260504}, "start"),
    ({**SAME_TRIPS[0], "activity": "holiday"}, "activity"),
    ({**SAME_TRIPS[0], "call_year": 1999}, "call_year"),
    ({**SAME_TRIPS[0], "call_year": "2025"}, "call_year"),
    ({**SAME_TRIPS[0], "travel_days": -1}, "travel_days"),
    ({**SAME_TRIPS[0], "travel_days": True}, "travel_days"),
    ({**SAME_TRIPS[0], "green_travel": "yes"}, "green_travel"),
    ({**SAME_TRIPS[0], "travel_sek": "-5"}, "travel_sek"),
    ({**SAME_TRIPS[0], "travel_sek": "NaN"}, "travel_sek"),
    ({**SAME_TRIPS[0], "origin": {"city": 7, "country": "SE"}}, "origin.city"),
    ({**SAME_TRIPS[0], "hosts": ["Porto"]}, "hosts[0]"),
    ({**SAME_TRIPS[0], "hosts": []}, "hosts"),
    ({**SAME_TRIPS[0], "colour": "blue"}, "colour"),
    ([1, 2, 3], ""),
    ("a string", ""),
]


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_is_a_clear_400_in_both_languages_never_a_500(
    db: None, client: Client, data: Any, field: str
) -> None:
    response = _api(client, data)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert any(field in p["field"] for p in problems), problems
    assert all(p["message_sv"] and p["message_en"] for p in problems)


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"null", b"[]", b'{"hosts": {}}'])
def test_broken_json_is_a_400(db: None, client: Client, body: bytes) -> None:
    assert _api(client, body).status_code == 400


def test_the_api_is_post_only_and_needs_no_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("api:estimate")).status_code == 405
    response = _api(client, {**SAME_TRIPS[0], "today": TODAY.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_trip_starts_from_the_university_unless_the_traveller_leaves_elsewhere(
    db: None, client: Client
) -> None:
    data = {**SAME_TRIPS[0], "today": TODAY.isoformat()}
    from_lund = _api(client, data).json()
    assert from_lund["origin"] == {"city": "Lund", "city_sv": "Lund", "country": "SE"}
    from_copenhagen = _api(
        client, {**data, "origin": {"city": "Köpenhamn", "country": "DK"}}
    ).json()
    assert from_copenhagen["origin"]["city"] == "Copenhagen"
    assert from_copenhagen["distance_km"] != from_lund["distance_km"]
    page = client.get(
        reverse("grants:estimate"),
        {**_page_query(SAME_TRIPS[0]), "origin_city": "Köpenhamn", "origin_country": "DK"},
    )
    assert page.context["result"]["distance_km"] == from_copenhagen["distance_km"]


def test_a_virtual_part_may_be_given_as_a_number_of_days(db: None, client: Client) -> None:
    data = {**SAME_TRIPS[0], "today": TODAY.isoformat(), "virtual_part": 3}
    codes = [f["code"] for f in _api(client, data).json()["findings"]]
    assert "virtual_part_not_funded" in codes
