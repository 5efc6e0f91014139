"""The dashboard's charts and exports, and the EU Beneficiary Module file with its pre-check."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook  # type: ignore[import-untyped]

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.models import CallYear
from utsikt.mobility.factories import application, host
from utsikt.mobility.models import Application, Status
from utsikt.reporting import eu, exports
from utsikt.reporting.models import ExportMapping, Project

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


def _text(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_text_that_would_start_a_formula_is_neutralised_and_numbers_are_not() -> None:
    assert exports.neutral('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert exports.neutral("+46 46 222") == "'+46 46 222"
    assert exports.neutral("@SUM(A1)") == "'@SUM(A1)"
    assert exports.neutral(-5) == -5
    assert exports.neutral("Lund") == "Lund"


def test_the_xlsx_file_keeps_a_formula_in_user_text_as_text() -> None:
    out = io.BytesIO()
    exports.write_xlsx(out, ["name", "amount"], [["=1+2", 3], ["Anna", -4]])
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A2"].value == "'=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -4


def test_the_dashboard_draws_each_chart_as_accessible_svg_with_its_data_beside_it(
    personas: dict[str, User], client_for: Clients
) -> None:
    application(applicant=personas["librarian"], status=Status.GRANTED)
    application(applicant=personas["librarian"], status=Status.SUBMITTED, first_time=False)
    page = client_for("officer_ht").get(reverse("reporting:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('role="img"') == len(page.context["drawings"]) == 8
    assert '<title id="chart-pipeline-title">' in html and '<desc id="chart-pipeline-desc">' in html
    shares = next(d.chart for d in page.context["drawings"] if d.chart.slug == "shares")
    (_first, first), (_green, green), (_blended, blended) = shares.rows
    assert (first, green, blended) == (50.0, 100.0, 0.0)  # the factory's trips go by train


def test_a_chart_exports_its_data_as_csv_and_xlsx(
    personas: dict[str, User], client_for: Clients
) -> None:
    application(applicant=personas["librarian"], status=Status.GRANTED)
    client = client_for("finance_ht")
    rows = list(csv.reader(io.StringIO(_text(client.get("/reports/dashboard/pipeline.csv")))))
    assert rows[0] == ["Mobiliteter per status", "mobiliteter"]  # Swedish by default
    assert ["Bidrag beviljat", "1"] in rows
    xlsx = client.get("/reports/dashboard/pipeline.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet["A1"].value == "Mobiliteter per status"


def test_an_unknown_chart_or_format_is_not_found(client_for: Clients) -> None:
    client = client_for("officer_ht")
    assert client.get("/reports/dashboard/nothing.csv").status_code == 404
    assert client.get("/reports/dashboard/pipeline.pdf").status_code == 404


# --- the EU export -----------------------------------------------------------------------------


@pytest.fixture
def eu_rows(personas: dict[str, User]) -> dict[str, Application]:
    """One row the EU takes, and one for each reason it refuses a row."""
    Project.objects.create(
        call_year=2026,
        grant_agreement_number="2026-1-SE01-KA131-HED-000123",
        sending_oid="E10208734",
    )
    good_host = host(name="Universidade do Porto", city="Porto", country="PT")
    HostOrganisation.objects.filter(pk=good_host.pk).update(oid="E10209175")
    no_oid = host(name="Universität Wien", city="Vienna", country="AT")
    bad_oid = host(name="Universiteit Gent", city="Ghent", country="BE")
    HostOrganisation.objects.filter(pk=bad_oid.pk).update(oid="12345")
    librarian = personas["librarian"]
    make: dict[str, Any] = {"applicant": librarian, "status": Status.COMPLETED}
    year = CallYear.objects.get(year=2026)
    return {
        "good": application(**make, hosts=[good_host]),
        "no_oid": application(**make, hosts=[no_oid]),
        "bad_oid": application(**make, hosts=[bad_oid]),
        "too_short": application(
            **make,
            hosts=[good_host],
            start=datetime.date(2027, 5, 3),
            end=datetime.date(2027, 5, 3) + datetime.timedelta(days=year.programme_min_days - 2),
        ),
        "before_project": application(
            **make,
            hosts=[good_host],
            start=datetime.date(2026, 5, 11),
            end=datetime.date(2026, 5, 15),
        ),
        "not_completed": application(applicant=librarian, status=Status.GRANTED, hosts=[good_host]),
    }


def test_the_precheck_catches_every_row_the_eu_would_refuse_and_says_why(
    eu_rows: dict[str, Application],
) -> None:
    mapping = eu.current_mapping()
    refusals = {r.pk: r.reasons for r in eu.precheck(mapping, Application.objects.all())}
    expected = {"no_oid", "bad_oid", "too_short", "before_project"}
    assert set(refusals) == {eu_rows[name].pk for name in expected}
    assert refusals[eu_rows["no_oid"].pk] == ["“Receiving Organisation OID” is empty."]
    assert "is not one the EU gives" in refusals[eu_rows["bad_oid"].pk][0]
    assert "the programme funds" in refusals[eu_rows["too_short"].pk][0]
    assert "outside the project of 2026" in refusals[eu_rows["before_project"].pk][0]


def test_a_missing_name_or_a_missing_project_is_a_refusal(personas: dict[str, User]) -> None:
    nameless = personas["librarian"]
    User.objects.filter(pk=nameless.pk).update(last_name="")
    plan = application(applicant=nameless, status=Status.COMPLETED)
    [refusal] = eu.precheck(eu.current_mapping(), Application.objects.all())
    assert refusal.pk == plan.pk
    assert "“Participant Last Name” is empty." in refusal.reasons
    assert "“Grant Agreement No.” is empty." in refusal.reasons


def test_the_import_file_has_the_mapping_headers_eu_dates_and_only_completed_mobilities(
    eu_rows: dict[str, Application], client_for: Clients
) -> None:
    client = client_for("officer_ht")
    refused = client.get("/reports/eu/import.csv")
    assert refused.status_code == 302  # the pre-check found rows the EU would refuse
    text = _text(client.get("/reports/eu/import.csv?passing=1"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == eu.current_mapping().headers
    assert len(rows) == 2  # the good row only
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Start Date"] == "03-05-2027" and record["End Date"] == "07-05-2027"
    assert record["Activity Type"] == "HE-STT"
    assert record["Receiving Organisation OID"] == "E10209175"
    assert record["Green Travel"] == "Yes"


def test_a_new_mapping_version_changes_the_columns_and_the_old_one_is_kept(
    eu_rows: dict[str, Application],
) -> None:
    first = eu.current_mapping()
    ExportMapping.objects.create(
        version="KA131-2025-10",
        valid_from=datetime.date(2025, 10, 1),
        columns=[
            {"header": "MOBILITY_ID", "source": "mobility_id", "required": True},
            {"header": "START", "source": "start", "required": True},
        ],
    )
    assert eu.current_mapping().headers == ["MOBILITY_ID", "START"]
    assert ExportMapping.objects.filter(pk=first.pk).exists()
    good = eu_rows["good"]
    rows = list(eu.file_rows(eu.current_mapping(), Application.objects.filter(pk=good.pk)))
    assert rows == [[f"LU-MOB-{good.pk:06d}", "03-05-2027"]]


def test_the_eu_page_lists_the_refused_rows_in_plain_language(
    eu_rows: dict[str, Application], client_for: Clients
) -> None:
    page = client_for("officer_ht").get(reverse("reporting:eu"))
    assert page.status_code == 200
    assert page.context["refused"] == 4
    assert "”Receiving Organisation OID” är tomt." in page.content.decode()  # Swedish first
