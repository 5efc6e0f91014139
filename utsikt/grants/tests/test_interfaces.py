"""The command, the API and the page give the same answer for the same trip."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.core.testing import transactional

TODAY = timezone.localdate()


def _later(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


# Trips the page can describe too (one host, from the university's city).
SAME_TRIPS: list[dict[str, Any]] = [
    {
        "call_year": 2025,
        "hosts": [{"name": "", "city": "Porto", "country": "PT", "kind": "university"}],
        "activity": "job_shadowing",
        "start": _later(60),
        "end": _later(64),
        "green_travel": False,
        "travel_days": None,
        "first_time": True,
        "meals_provided": "none",
    },
    {
        "call_year": 2026,
        "hosts": [{"name": "", "city": "Aten", "country": "GR", "kind": "library"}],
        "activity": "staff_week",
        "start": _later(40),
        "end": _later(53),
        "green_travel": True,
        "travel_days": 5,
        "first_time": False,
        "meals_provided": "breakfast",
        "accommodation_sek": "9500",
    },
    {
        "call_year": 2026,
        "hosts": [{"name": "", "city": "London", "country": "GB", "kind": "company"}],
        "activity": "conference",
        "start": _later(3),
        "end": _later(3),
        "green_travel": False,
        "travel_days": 3,
        "first_time": False,
        "meals_provided": "all_meals",
        "travel_sek": "2400.50",
    },
]


def _api(client: Client, data: Any) -> Any:
    return client.post(
        reverse("api_estimate"),
        data=json.dumps(data) if not isinstance(data, bytes) else data,
        content_type="application/json",
    )


def _command(data: Any) -> dict[str, Any]:
    out = io.StringIO()
    call_command("estimate", stdin=io.StringIO(json.dumps(data)), stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _page_query(trip: dict[str, Any]) -> dict[str, str]:
    host = trip["hosts"][0]
    query = {
        "call_year": str(trip["call_year"]),
        "city": host["city"],
        "country": host["country"],
        "kind": host["kind"],
        "activity": trip["activity"],
        "start": trip["start"],
        "end": trip["end"],
        "travel_days": "" if trip["travel_days"] is None else str(trip["travel_days"]),
        "meals_provided": trip["meals_provided"],
        "travel_sek": trip.get("travel_sek", ""),
        "accommodation_sek": trip.get("accommodation_sek", ""),
    }
    for flag in ("green_travel", "first_time"):
        if trip[flag]:
            query[flag] = "on"
    return query


@pytest.mark.parametrize("trip", SAME_TRIPS, ids=["porto", "athens-green", "london-conference"])
def test_the_command_the_api_and_the_page_agree_on_the_same_trip(
    db: None, client: Client, trip: dict[str, Any]
) -> None:
    data = {**trip, "today": TODAY.isoformat()}
    from_command = _command(data)
    response = _api(client, data)
    assert response.status_code == 200
    from_api = response.json()
    page = client.get(reverse("grant_estimate"), _page_query(trip))
    assert page.status_code == 200
    from_page = json.loads(json.dumps(page.context["result"]))

    assert from_command == from_api == from_page
    # What the page shows is that result, in Swedish by default.
    html = page.content.decode()
    total = f"{from_api['total_eur']:,}".replace(",", "\xa0")
    assert total in html
    for finding in from_api["findings"]:
        assert finding["message_sv"] in html


def test_the_example_from_the_issue_gives_its_figures(db: None) -> None:
    result = _command(
        {
            "call_year": 2025,
            "origin": {"city": "Lund", "country": "SE"},
            "hosts": [{"name": "…", "city": "Porto", "country": "PT", "kind": "university"}],
            "activity": "job_shadowing",
            "start": "2026-05-04",
            "end": "2026-05-08",
            "green_travel": False,
            "travel_days": None,
            "virtual_part": None,
            "first_time": True,
            "today": "2026-03-01",
        }
    )
    assert result["eligible"] is True
    assert (result["distance_km"], result["band"], result["travel_eur"]) == (
        2263.6,
        "2000-2999",
        395,
    )
    assert (result["activity_days"], result["funded_days"]) == (5, 7)
    assert result["individual_support_eur"] == 7 * result["daily_rate_eur"]
    assert result["total_eur"] == 395 + result["individual_support_eur"]
    assert "daily_rate" in result["unverified"]  # UHR's rate was not found
    assert [f["code"] for f in result["findings"]] == ["first_time_priority"]


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
    assert client.get(reverse("api_estimate")).status_code == 405
    response = _api(client, {**SAME_TRIPS[0], "today": TODAY.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_command_refuses_bad_input_with_a_clear_message(db: None) -> None:
    with pytest.raises(CommandError, match=r"hosts\[0\]\.city") as refused:
        _command({**SAME_TRIPS[0], "hosts": [{"city": "Nowhereville", "country": "PT"}]})
    assert refused.value.returncode == 2


def _run_command(stdin: str) -> subprocess.CompletedProcess[str]:
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.run(
        [sys.executable, "manage.py", "estimate"],
        input=stdin,
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@transactional()  # the command runs in another process: nothing may hold the database
def test_manage_py_estimate_reads_stdin_and_exits_2_without_a_traceback() -> None:
    good = _run_command(json.dumps({**SAME_TRIPS[0], "today": TODAY.isoformat()}))
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["band"] == "2000-2999"
    for bad in ("not json", json.dumps({**SAME_TRIPS[0], "end": "2000-01-01"})):
        refused = _run_command(bad)
        assert refused.returncode == 2
        assert "Traceback" not in refused.stderr
        assert refused.stderr.strip()


# --- The page ----------------------------------------------------------------------------


def test_the_page_works_without_javascript_as_a_plain_get_form(db: None, client: Client) -> None:
    html = client.get(reverse("grant_estimate")).content.decode()
    form = re.search(r"<form[^>]*estimate-form[^>]*>", html)
    assert form is not None
    assert 'method="get"' in form.group(0)
    assert f'action="{reverse("grant_estimate")}"' in form.group(0)
    assert 'type="submit"' in html
    assert "Fyll i resmål och datum" in html


def test_every_input_has_a_label(db: None, client: Client) -> None:
    html = client.get(reverse("grant_estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    inputs = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert len(inputs) >= 15
    for input_id in inputs:
        assert f'for="{input_id}"' in html, input_id


def test_errors_are_linked_to_their_fields(db: None, client: Client) -> None:
    query = {**_page_query(SAME_TRIPS[0]), "city": "Nowhereville"}
    html = client.get(reverse("grant_estimate"), query).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_city_helptext id_city_error"' in html
    assert 'href="#id_city"' in html
    assert "Vi hittar inte ”Nowhereville” i Portugal" in html


def test_htmx_gets_only_the_result_part(db: None, client: Client) -> None:
    response = client.get(
        reverse("grant_estimate"), _page_query(SAME_TRIPS[0]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<h2 id="result-heading">')
    assert "Kan få bidrag." in html


def test_the_form_asks_htmx_to_update_as_the_visitor_types(db: None, client: Client) -> None:
    html = client.get(reverse("grant_estimate")).content.decode()
    assert 'hx-get="/grant/"' in html
    assert 'hx-target="#estimate-result"' in html
    assert "hx-trigger=" in html
    assert 'list="city-options"' in html


def test_the_city_field_offers_suggestions_with_and_without_javascript(
    db: None, client: Client
) -> None:
    page = client.get(reverse("grant_estimate"), {"city": "Port", "country": "PT"})
    assert '<option value="Porto">' in page.content.decode()
    options = client.get(reverse("grant_place_options"), {"city": "gote", "country": ""})
    assert '<option value="Göteborg">' in options.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    options = english.get(reverse("grant_place_options"), {"city": "aten"})
    assert '<option value="Athens">' in options.content.decode()


def test_the_page_shows_the_rate_table_with_sources_and_the_unverified_flag(
    db: None, client: Client
) -> None:
    html = client.get(reverse("grant_estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    assert "Belopp och regler i ansökningsomgången 2025" in html
    assert '<th scope="row">2\xa0000\u20132\xa0999 km</th>' in html
    assert "eu.daad.de" in html  # the source of the travel bands
    assert "Obekräftat" in html and "Bekräftat" in html
    assert "Obekräftade värden." in html
    assert "dagbeloppet för det individuella stödet" in html
    assert "Utsikt har ännu inget traktamente för Portugal" in html


def test_the_page_is_complete_in_english_too(db: None, client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get(reverse("grant_estimate"), _page_query(SAME_TRIPS[1])).content.decode()
    assert "What can I get?" in html
    assert "Eligible." in html
    assert "Rates and rules of the 2026 call" in html
    assert "Athens" in html
    assert "Unverified values." in html


def test_the_start_page_links_to_the_calculator(db: None, client: Client) -> None:
    assert f'href="{reverse("grant_estimate")}"' in client.get(reverse("start")).content.decode()


def test_headings_come_in_order(db: None, client: Client) -> None:
    html = client.get(reverse("grant_estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    main = html[html.index("<main") :]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


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
        reverse("grant_estimate"),
        {**_page_query(SAME_TRIPS[0]), "origin_city": "Köpenhamn", "origin_country": "DK"},
    )
    assert page.context["result"]["distance_km"] == from_copenhagen["distance_km"]


def test_a_virtual_part_may_be_given_as_a_number_of_days(db: None, client: Client) -> None:
    data = {**SAME_TRIPS[0], "today": TODAY.isoformat(), "virtual_part": 3}
    codes = [f["code"] for f in _api(client, data).json()["findings"]]
    assert "virtual_part_not_funded" in codes


def test_the_page_picks_the_newest_call_year_that_has_started() -> None:
    from utsikt.grants.rates import default_call_year

    years = [2026, 2025, 2024]
    assert default_call_year(years, datetime.date(2026, 5, 31)) == 2025
    assert default_call_year(years, datetime.date(2026, 6, 1)) == 2026
    assert default_call_year(years, datetime.date(2020, 1, 1)) == 2024
    assert default_call_year([], datetime.date(2026, 1, 1)) is None
