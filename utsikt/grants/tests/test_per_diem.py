"""Loading Skatteverket's normalbelopp from its open-data export, by command and in the
admin, and the "unknown" an estimate shows where none is loaded."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.core.models import Event
from utsikt.grants import estimates, rates
from utsikt.grants.models import PerDiem

pytestmark = pytest.mark.django_db

CSV = (
    "land eller område;normalbelopp;år;landskod\n"
    "Portugal;812;2026;PT\n"
    "Spanien;1 021;2026;ES\n"
    "Atlantis;999;2026;XX\n"
)
JSON = {
    "results": [
        {"land eller område": "Portugal", "normalbelopp": "812", "år": "2026", "landskod": "PT"},
        {"land eller område": "Belgien", "normalbelopp": "1.001", "år": "2024", "landskod": "BE"},
    ]
}
PORTO = {
    "call_year": 2025,
    "hosts": [{"city": "Porto", "country": "PT", "kind": "university"}],
    "activity": "job_shadowing",
    "start": "2026-05-04",
    "end": "2026-05-08",
}


def test_the_command_loads_a_csv_export_with_its_source_and_year(tmp_path: object) -> None:
    path = tmp_path / "normalbelopp.csv"  # type: ignore[operator]
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("load_per_diem", str(path), "--source", "SKV open data 2026", stdout=out)
    portugal = PerDiem.objects.get(country="PT", year=2026)
    assert (portugal.sek, portugal.source, portugal.verified) == (812, "SKV open data 2026", True)
    assert PerDiem.objects.get(country="ES", year=2026).sek == 1021
    assert "Atlantis" in out.getvalue()
    assert Event.objects.filter(action="per_diem.loaded").count() == 2


def test_a_json_export_updates_a_value_already_loaded(tmp_path: object) -> None:
    path = tmp_path / "normalbelopp.json"  # type: ignore[operator]
    path.write_text(json.dumps(JSON), encoding="utf-8")
    call_command("load_per_diem", str(path), stdout=io.StringIO())
    assert PerDiem.objects.get(country="BE", year=2024).sek == 1001
    assert "entryscape" in PerDiem.objects.get(country="PT", year=2026).source


def test_a_loaded_value_reaches_the_estimate(tmp_path: object) -> None:
    before = estimates.run(PORTO, today=datetime.date(2025, 9, 15))
    assert "per_diem" in before["department_cost"]["missing"]
    path = tmp_path / "normalbelopp.csv"  # type: ignore[operator]
    path.write_text(CSV, encoding="utf-8")
    call_command("load_per_diem", str(path), stdout=io.StringIO())
    rates.forget()
    after = estimates.run(PORTO, today=datetime.date(2025, 9, 15))
    assert after["department_cost"]["per_diem_rate_sek"] == 812
    assert after["department_cost"]["complete"]


def test_a_file_that_is_not_the_export_is_refused_with_a_reason(tmp_path: object) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "wrong.csv"  # type: ignore[operator]
    path.write_text("country,amount\nPortugal,812\n", encoding="utf-8")
    with pytest.raises(CommandError, match="normalbelopp"):
        call_command("load_per_diem", str(path), stdout=io.StringIO())


def test_an_administrator_uploads_the_export_in_the_admin(
    client_for: Callable[[str | None], Client],
) -> None:
    client = client_for("admin")
    page = client.get(reverse("admin:grants_perdiem_changelist"))
    assert reverse("admin:grants_perdiem_load").encode() in page.content
    upload = SimpleUploadedFile("normalbelopp.csv", CSV.encode(), content_type="text/csv")
    response = client.post(
        reverse("admin:grants_perdiem_load"), {"export": upload, "source": "SKV 2026"}
    )
    assert response.status_code == 302
    assert PerDiem.objects.get(country="PT", year=2026).source == "SKV 2026"
    event = Event.objects.filter(action="per_diem.loaded").latest("pk")
    assert event.actor_user_id is not None


@pytest.mark.parametrize(("language", "unknown"), [("sv", "Okänt"), ("en", "Unknown")])
def test_without_a_value_the_estimate_says_unknown_and_links_the_administrator_to_the_load(
    client_for: Callable[[str | None], Client], language: str, unknown: str
) -> None:
    client = client_for("admin")
    client.cookies["django_language"] = language
    with translation.override(language):
        url = reverse("grants:estimate")
    response = client.get(
        url,
        {
            "call_year": 2025,
            "city": "Porto",
            "country": "PT",
            "kind": "university",
            "activity": "job_shadowing",
            "start": "2026-05-04",
            "end": "2026-05-08",
        },
    )
    html = response.content.decode()
    assert unknown in html, html[:2000]
    assert reverse("admin:grants_perdiem_changelist") in html


def test_the_shipped_2024_table_loads_and_agrees_with_the_reference_values() -> None:
    from utsikt.grants.gazetteer import DATA

    before = dict(PerDiem.objects.filter(year=2024).values_list("country_id", "sek"))
    out = io.StringIO()
    call_command(
        "load_per_diem",
        str(DATA / "normalbelopp-2024.csv"),
        "--source",
        "SKV A 2023:18 (per-diem.md §1.1)",
        stdout=out,
    )
    after = dict(PerDiem.objects.filter(year=2024).values_list("country_id", "sek"))
    assert "0 created, 13 updated." in out.getvalue()  # the reference data already has them
    assert {code: after[code] for code in before if code != "DE"} == {
        code: sek for code, sek in before.items() if code != "DE"
    }
    assert len([c for c in after if c != "DE"]) == 13
