"""Import from CSV and Excel: idempotent, all or nothing, with a plain-language report."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import imports
from utsikt.catalogue.models import HostOrganisation, ImportRun, Opportunity

HEADER = (
    "external_id,kind,title_en,title_sv,host,country,city,start_date,end_date,deadline,"
    "fee,languages,staff_categories,topics,accommodation,status"
)
GOOD = [
    "sw-1,staff week,Library Week Porto,Biblioteksvecka i Porto,University of Porto,Portugal,"
    'Porto,2027-04-19,2027-04-23,2027-02-15,150,"English, Portuguese",librarian,library,no,'
    "published",
    "sw-2,Kurs,Intercultural Skills,,Dublin Training House,IE,Dublin,2027-05-10,2027-05-14,,"
    '"450,00",en,"Bibliotekarie; IT technician",intercultural,ja,draft',
]


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def run(data: bytes, faculty: OrgUnit, name: str = "list.csv", **options: object) -> imports.Report:
    return imports.import_file(name=name, data=data, faculty=faculty, by=None, **options)  # type: ignore[arg-type]


def test_a_good_file_imports_and_importing_it_again_changes_nothing(
    org: dict[str, OrgUnit],
) -> None:
    first = run(csv_file(*GOOD), org["ht"])
    assert (first.saved, first.created, first.updated, first.problems) == (True, 2, 0, [])
    porto = Opportunity.objects.get(external_id="sw-1")
    assert porto.status == Opportunity.Status.PUBLISHED
    assert porto.languages == ("en", "pt")
    assert porto.place is not None and porto.place.name == "Porto"
    course = Opportunity.objects.get(external_id="sw-2")
    assert course.kind == Opportunity.Kind.COURSE
    assert course.staff_categories == ("librarian", "it_technician")
    assert str(course.fee) == "450.00"
    assert course.accommodation_included is True
    assert HostOrganisation.objects.filter(name="Dublin Training House").count() == 1

    again = run(csv_file(*GOOD), org["ht"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Opportunity.objects.count() == 2
    assert HostOrganisation.objects.filter(name="Dublin Training House").count() == 1

    changed = run(
        csv_file(GOOD[0].replace("Library Week Porto", "Library Week in Porto")), org["ht"]
    )
    assert (changed.created, changed.updated) == (0, 1)
    assert Opportunity.objects.get(external_id="sw-1").title_en == "Library Week in Porto"


def test_a_bad_row_means_nothing_is_saved_and_every_problem_is_reported(
    org: dict[str, OrgUnit],
) -> None:
    bad = [
        GOOD[0],
        "sw-3,staff week,Week,,Somewhere,Atlantis,,2027-13-01,2027-04-01,,-5,,librarian,,maybe,",
        "sw-1,staff week,Duplicate,,University of Porto,PT,Porto,2027-06-01,2027-05-01,,,,,,,",
        "sw-4,staff week,Week,,Lisbon School,PT,Nowhereville,2027-06-01,2027-06-03,,,xx,,,,",
    ]
    with translation.override("en"):
        report = run(csv_file(*bad), org["ht"])
    assert report.saved is False
    assert Opportunity.objects.count() == 0
    assert HostOrganisation.objects.count() == 0
    problems = {(p.row, p.column) for p in report.problems}
    assert {
        (3, "country"),
        (3, "start_date"),
        (3, "fee"),
        (3, "accommodation"),
        (4, "external_id"),
        (4, "end_date"),
        (5, "city"),
    } <= problems
    # A language the catalogue does not list is left out with a warning, not refused.
    assert (5, "languages") in {(w.row, w.column) for w in report.warnings}
    messages = " ".join(p.message for p in report.problems)
    assert "“2027-13-01” is not a date; write dates like 2027-04-19." in messages
    assert "The id “sw-1” is used in row 2 already." in messages
    with translation.override("sv"):
        swedish = run(csv_file(*bad), org["ht"])
    assert "Id ”sw-1” används redan på rad 2." in " ".join(p.message for p in swedish.problems)


def test_skipping_invalid_rows_saves_the_good_ones(org: dict[str, OrgUnit]) -> None:
    report = run(
        csv_file(GOOD[0], "sw-9,staff week,,,X,PT,,2027-01-01,2027-01-02,,,,,,,"),
        org["ht"],
        all_or_nothing=False,
    )
    assert report.saved and report.created == 1
    assert {p.row for p in report.problems} == {3}
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["sw-1"]


def test_checking_only_saves_nothing(org: dict[str, OrgUnit]) -> None:
    report = run(csv_file(*GOOD), org["ht"], check_only=True)
    assert (report.ok, report.saved) == (True, False)
    assert Opportunity.objects.count() == 0


def test_another_facultys_opportunity_cannot_be_overwritten_by_import(
    org: dict[str, OrgUnit],
) -> None:
    run(csv_file(GOOD[0]), org["ht"])
    report = run(csv_file(GOOD[0].replace("Porto,2027", "Porto,2027")), org["s"])
    assert not report.saved
    assert [(p.row, p.column) for p in report.problems] == [(2, "external_id")]


def test_an_excel_file_imports_like_a_csv_file(org: dict[str, OrgUnit]) -> None:
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["External id", "Typ", "Title", "Värd", "Land", "Stad", "Start", "Slut"])
    sheet.append(
        ["x-1", "Jobbskuggning", "Shadowing at the library", "Tartu Library", "Estland", "Tartu",
         datetime.datetime(2027, 9, 6), datetime.date(2027, 9, 10)]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), org["s"], name="list.xlsx")
    assert report.problems == [] and report.created == 1
    shadowing = Opportunity.objects.get(external_id="x-1")
    assert (shadowing.kind, shadowing.start_date.isoformat()) == ("job_shadowing", "2027-09-06")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.txt", b"external_id\n", "Choose a .csv or .xlsx file."),
        ("list.xlsx", b"<html>not a workbook</html>", "The file is not a real Excel (.xlsx) file."),
        ("list.csv", b"\x00\x01binary", "The file is not a text (CSV) file."),
        ("list.csv", b"", "The file is empty."),
        ("list.csv", b"colour,size\nred,2\n", "Columns missing: country"),
        ("list.csv", b"external_id,kind\n1,course\n", "Columns missing:"),
    ],
)
def test_a_file_that_is_not_a_table_of_opportunities_is_refused(
    org: dict[str, OrgUnit], name: str, data: bytes, message: str
) -> None:
    with translation.override("en"):
        report = run(data, org["ht"], name=name)
    assert not report.saved
    assert report.problems[0].row == 0 and message in report.problems[0].message


def test_a_workbook_with_macros_or_a_zip_bomb_is_refused(org: dict[str, OrgUnit]) -> None:
    def archive(*members: tuple[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            for member, content in members:
                zipped.writestr(member, content)
        return buffer.getvalue()

    base = [("[Content_Types].xml", b"<x/>"), ("xl/workbook.xml", b"<x/>")]
    with translation.override("en"):
        macros = run(archive(*base, ("xl/vbaProject.bin", b"x")), org["ht"], name="a.xlsx")
        bomb = run(
            archive(*base, ("xl/big.xml", b"0" * 41 * 1024 * 1024)), org["ht"], name="b.xlsx"
        )
    assert "macros" in macros.problems[0].message
    assert "40 MB" in bomb.problems[0].message


def _damaged_workbook(change: Callable[[dict[str, bytes]], None]) -> bytes:
    """A good workbook whose parts `change` edits, as a damaged or hand-made file would be."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(",")[:9])
    workbook.active.append(["x-1", "course", "A course", "", "Tartu Library", "EE", "Tartu"])
    saved = io.BytesIO()
    workbook.save(saved)
    with zipfile.ZipFile(saved) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    change(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for member, content in parts.items():
            zipped.writestr(member, content)
    return buffer.getvalue()


def _text_in_a_number_cell(parts: dict[str, bytes]) -> None:
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</row></sheetData>", b'<c r="H2" t="n"><v>not a number</v></c></row></sheetData>'
    )


def _sheet_part_missing(parts: dict[str, bytes]) -> None:
    del parts["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize("damage", [_text_in_a_number_cell, _sheet_part_missing])
def test_a_damaged_workbook_is_one_problem_in_the_report_not_an_error(
    org: dict[str, OrgUnit], damage: Callable[[dict[str, bytes]], None]
) -> None:
    with translation.override("en"):
        report = run(_damaged_workbook(damage), org["ht"], name="list.xlsx")
    assert not report.saved
    assert [(p.row, p.message) for p in report.problems] == [
        (0, "The Excel file is damaged and cannot be read.")
    ]


@pytest.mark.parametrize("fee", ["NaN", "sNaN", "Infinity", "-1", "1e999"])
def test_an_amount_that_is_not_a_number_is_a_problem_in_its_row(
    org: dict[str, OrgUnit], fee: str
) -> None:
    report = run(csv_file(GOOD[0].replace(",150,", f",{fee},")), org["s"])
    assert not report.saved
    assert [(p.row, p.column) for p in report.problems] == [(2, "fee")]


@pytest.mark.parametrize("dates", ["9999-12-30,9999-12-31,", "0001-01-01,0001-01-02,"])
def test_a_date_at_the_end_or_start_of_time_is_a_problem_in_its_row(
    org: dict[str, OrgUnit], dates: str
) -> None:
    report = run(csv_file(GOOD[0].replace("2027-04-19,2027-04-23,2027-02-15", dates)), org["s"])
    assert not report.saved
    assert {p.column for p in report.problems} == {"start_date", "end_date"}


def test_the_upload_page_shows_the_report_and_saves_nothing_on_error(
    client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    client = client_for("officer_ht")
    url = reverse("catalogue:import")
    faculty = personas["officer_ht"].roles.get().unit
    bad = csv_file(GOOD[0], "sw-2,staff week,,,X,PT,,2027-01-01,,,,,,,,")
    response = client.post(
        url, {"file": SimpleUploadedFile("list.csv", bad), "faculty": faculty.pk}
    )
    assert response.status_code == 200
    assert Opportunity.objects.count() == 0
    body = response.content.decode()
    assert "Ingenting sparades." in body and "end_date" in body

    response = client.post(
        url, {"file": SimpleUploadedFile("list.csv", csv_file(*GOOD)), "faculty": faculty.pk}
    )
    # First what would happen; saved only when the officer confirms.
    assert "Importerat." not in response.content.decode()
    assert Opportunity.objects.count() == 0
    run = ImportRun.objects.filter(status=ImportRun.Status.PREVIEW).latest("pk")
    response = client.post(url, {"run": run.pk, "confirm": "1"})
    assert "Importerat." in response.content.decode()
    assert Opportunity.objects.filter(faculty=faculty).count() == 2


def test_the_upload_page_refuses_a_wrong_extension_and_a_file_too_large(
    client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    url = reverse("catalogue:import")
    for upload in (
        SimpleUploadedFile("list.exe", csv_file(*GOOD)),
        SimpleUploadedFile("list.csv", b"x" * (imports.MAX_UPLOAD_BYTES + 1)),
    ):
        response = client.post(url, {"file": upload, "faculty": faculty.pk})
        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()
    assert Opportunity.objects.count() == 0


def test_an_officer_can_only_import_into_a_faculty_they_serve(
    client_for: Callable[[str | None], Client], org: dict[str, OrgUnit], personas: dict[str, User]
) -> None:
    response = client_for("officer_ht").post(
        reverse("catalogue:import"),
        {"file": SimpleUploadedFile("list.csv", csv_file(*GOOD)), "faculty": org["s"].pk},
    )
    assert response.status_code == 200
    assert Opportunity.objects.count() == 0


def test_the_command_imports_with_a_progress_bar_and_refuses_a_bad_file(
    org: dict[str, OrgUnit], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(*GOOD))
    call_command("import_opportunities", str(good), "--faculty", "ht", "--language", "en")
    out, err = capsys.readouterr()
    assert "2 rows: 2 new, 0 changed, 0 unchanged." in out
    assert "[##############################] 2/2" in err

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("sw-1,staff week,T,,H,PT,,2027-01-05,2027-01-01,,,,,,,"))
    with pytest.raises(CommandError, match="Ingenting sparades"):
        call_command("import_opportunities", str(bad), "--faculty", "ht")
    out, _err = capsys.readouterr()
    assert "Rad 2, end_date: Sista dagen (2027-01-01) är före första dagen (2027-01-05)." in out
    assert Opportunity.objects.get(external_id="sw-1").end_date.isoformat() == "2027-04-23"


def test_a_large_import_runs_in_the_background_with_progress_and_a_result_page(
    client_for: Callable[[str | None], Client],
    personas: dict[str, User],
    settings: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.UTSIKT_IMPORT_SYNC_ROWS = 1  # type: ignore[attr-defined]
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("catalogue:import"),
            {"file": SimpleUploadedFile("list.csv", csv_file(*GOOD)), "faculty": faculty.pk},
        )
    run = ImportRun.objects.get()
    # The request only queued the work: nothing is saved while the page answers.
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:import_run", args=[run.pk])
    assert Opportunity.objects.count() == 0
    waiting = client.get(response["Location"])
    assert "<progress" in waiting.content.decode() and 'hx-trigger="every 2s"' in (
        waiting.content.decode()
    )

    for callback in queued:  # the worker picks the task up
        callback()
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.rows_total, bytes(run.data)) == ("done", 2, 2, b"")
    assert Opportunity.objects.filter(faculty=faculty).count() == 2
    done = client.get(response["Location"], headers={"HX-Request": "true"})
    body = done.content.decode()
    assert "Importerat." in body and "hx-trigger" not in body and "<html" not in body
    # Another faculty's officer cannot look at it; a second delivery of the task does nothing.
    assert client_for("officer_s").get(response["Location"]).status_code == 404
    imports.run_import(run.pk)
    assert Opportunity.objects.count() == 2


def test_a_large_file_with_problems_reports_them_on_its_result_page(
    client_for: Callable[[str | None], Client],
    personas: dict[str, User],
    settings: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.UTSIKT_IMPORT_SYNC_ROWS = 1  # type: ignore[attr-defined]
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    bad = csv_file(GOOD[0], "sw-2,staff week,,,X,PT,,2027-01-01,,,,,,,,")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalogue:import"),
            {"file": SimpleUploadedFile("list.csv", bad), "faculty": faculty.pk},
        )
    body = client.get(response["Location"]).content.decode()
    assert "Ingenting sparades." in body and "end_date" in body
    assert Opportunity.objects.count() == 0


def test_the_office_form_refuses_dates_at_the_end_of_time_too(personas: dict[str, User]) -> None:
    from utsikt.catalogue.forms import OpportunityForm

    form = OpportunityForm(
        data={"start_date": "9999-12-30", "end_date": "9999-12-31", "deadline": "0001-01-01"},
        user=personas["officer_ht"],
    )
    assert not form.is_valid()
    assert {"start_date", "end_date", "deadline"} <= set(form.errors)
    assert "2000" in str(form.errors["end_date"])
