"""The estimate command and the "what can I get?" page (the API is tested in utsikt/api/tests)."""

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
    html = client.get(reverse("grants:estimate")).content.decode()
    form = re.search(r"<form[^>]*estimate-form[^>]*>", html)
    assert form is not None
    assert 'method="get"' in form.group(0)
    assert f'action="{reverse("grants:estimate")}"' in form.group(0)
    assert 'type="submit"' in html
    assert "Fyll i resmål och datum" in html


def test_every_input_has_a_label(db: None, client: Client) -> None:
    html = client.get(reverse("grants:estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    inputs = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert len(inputs) >= 15
    for input_id in inputs:
        assert f'for="{input_id}"' in html, input_id


def test_errors_are_linked_to_their_fields(db: None, client: Client) -> None:
    query = {**_page_query(SAME_TRIPS[0]), "city": "Nowhereville"}
    html = client.get(reverse("grants:estimate"), query).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_city_helptext id_city_error"' in html
    assert 'href="#id_city"' in html
    assert "Vi hittar inte ”Nowhereville” i Portugal" in html


def test_htmx_gets_only_the_result_part(db: None, client: Client) -> None:
    response = client.get(
        reverse("grants:estimate"), _page_query(SAME_TRIPS[0]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<h2 id="result-heading">')
    assert "Kan få bidrag." in html


def test_the_form_asks_htmx_to_update_as_the_visitor_types(db: None, client: Client) -> None:
    html = client.get(reverse("grants:estimate")).content.decode()
    assert 'hx-get="/grant/"' in html
    assert 'hx-target="#estimate-result"' in html
    assert "hx-trigger=" in html
    assert 'list="city-options"' in html


def test_the_city_field_offers_suggestions_with_and_without_javascript(
    db: None, client: Client
) -> None:
    page = client.get(reverse("grants:estimate"), {"city": "Port", "country": "PT"})
    assert '<option value="Porto">' in page.content.decode()
    options = client.get(reverse("grants:place_options"), {"city": "gote", "country": ""})
    assert '<option value="Göteborg">' in options.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    options = english.get(reverse("grants:place_options"), {"city": "aten"})
    assert '<option value="Athens">' in options.content.decode()


def test_the_page_shows_the_rate_table_with_sources_and_the_unverified_flag(
    db: None, client: Client
) -> None:
    html = client.get(reverse("grants:estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    assert "Belopp och regler i ansökningsomgången 2025" in html
    assert '<th scope="row">2\u202f000\u20132\u202f999 km</th>' in html
    assert "eu.daad.de" in html  # the source of the travel bands
    assert "Obekräftat" in html and "Bekräftat" in html
    assert "Obekräftade värden." in html
    assert "dagbeloppet för det individuella stödet" in html
    assert "Utsikt har ännu inget traktamente för Portugal" in html


def test_the_page_is_complete_in_english_too(db: None, client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get(reverse("grants:estimate"), _page_query(SAME_TRIPS[1])).content.decode()
    assert "What can I get?" in html
    assert "Eligible." in html
    assert "Rates and rules of the 2026 call" in html
    assert "Athens" in html
    assert "Unverified values." in html


def test_the_start_page_links_to_the_calculator(db: None, client: Client) -> None:
    assert (
        f'href="{reverse("grants:estimate")}"' in client.get(reverse("core:start")).content.decode()
    )


def test_headings_come_in_order(db: None, client: Client) -> None:
    html = client.get(reverse("grants:estimate"), _page_query(SAME_TRIPS[0])).content.decode()
    main = html[html.index("<main") :]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_page_picks_the_newest_call_year_that_has_started() -> None:
    from utsikt.grants.rates import default_call_year

    years = [2026, 2025, 2024]
    assert default_call_year(years, datetime.date(2026, 5, 31)) == 2025
    assert default_call_year(years, datetime.date(2026, 6, 1)) == 2026
    assert default_call_year(years, datetime.date(2020, 1, 1)) == 2024
    assert default_call_year([], datetime.date(2026, 1, 1)) is None
