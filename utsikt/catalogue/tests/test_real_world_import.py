"""Importing what officers really get: public listings with their own column names, labels
instead of codes, month-only dates, countries outside the programme, blank fees, duplicate
and shifted rows; from the command and from the page, with a preview confirmed first."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import imports, search
from utsikt.catalogue.models import HostOrganisation, ImportMapping, ImportRun, Opportunity

LISTING = Path(__file__).parent / "data" / "public_staff_weeks.csv"


@pytest.fixture
def porto(make_host: Callable[..., HostOrganisation]) -> HostOrganisation:
    """The host the catalogue knows already (the listing names it in several rows)."""
    return make_host()


def run(faculty: OrgUnit, data: bytes | None = None, **options: object) -> imports.Report:
    return imports.import_file(
        name="listing.csv",
        data=LISTING.read_bytes() if data is None else data,
        faculty=faculty,
        by=None,
        **options,  # type: ignore[arg-type]
    )


def test_a_public_listing_is_read_whatever_its_column_names_and_previewed_row_by_row(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    with translation.override("en"):
        report = run(org["ht"], check_only=True)
    assert report.counts() == {
        "rows": 12,
        "created": 10,
        "changed": 0,
        "unchanged": 0,
        "duplicates": 1,
        "refused": 1,
        "hosts_created": 8,
        "drafts": 1,
    }
    outcomes = {line["row"]: line for line in report.outcomes}
    assert outcomes[7]["outcome"] == "duplicate" and outcomes[7]["duplicate_of"] == "row 2"
    assert outcomes[10]["outcome"] == "refused"
    # No date at all: kept as a draft, and the preview says so.
    assert outcomes[11]["outcome"] == "new" and outcomes[11]["undated"]
    problems = {(p.row, p.column) for p in report.problems}
    assert problems == {(10, "country")}
    atlantis = next(p for p in report.problems if p.row == 10)
    assert "Atlantis" in atlantis.message_en and "Atlantis" in atlantis.message_sv
    warnings = " ".join(w.message for w in report.warnings)
    assert "Notes" in warnings  # an unknown column: ignored, and said so
    assert "Makerspaces" in warnings  # a topic we do not know: kept as a keyword
    assert "Georgian" in warnings  # a language we do not list: left out, not refused
    assert "Lisbon" in warnings  # a wrong city on a host we know is reported
    library = next(h for h in report.hosts if h["name"] == "University of Porto Library")
    assert library["similar"] == ["University of Porto"]
    assert Opportunity.objects.count() == 0  # a preview saves nothing


def test_saving_the_good_rows_keeps_unknowns_honest_and_every_country(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    assert not run(org["ht"]).saved  # all or nothing by default
    report = run(org["ht"], all_or_nothing=False)
    assert report.saved and report.created == 10
    by_title = {o.title: o for o in Opportunity.objects.select_related("host", "country")}
    sarajevo = by_title["Interweek Sarajevo"]
    assert sarajevo.country_id == "BA" and sarajevo.fee is None
    assert sarajevo.accommodation_included is None
    assert not sarajevo.country_fundable
    assert sarajevo.host.status == HostOrganisation.Status.PROPOSED
    ilia = by_title["Staff Training Week"]
    assert ilia.country_id == "GE" and ilia.dates_approximate
    assert (ilia.start_date.isoformat(), ilia.end_date.isoformat()) == ("2027-05-01", "2027-05-31")
    assert ilia.staff_categories == ()  # "All staff": no category narrows it
    kosovo = by_title["Erasmus+ Staff Week"]
    assert kosovo.country_id == "XK" and kosovo.start_date.isoformat() == "2027-09-01"
    assert kosovo.staff_categories == ("hr",) and kosovo.topics == ("hr",)
    granada = by_title["Semana Internacional de Personal"]
    assert (granada.start_date.isoformat(), granada.fee) == ("2027-04-19", 0)
    assert granada.accommodation_included is True and granada.languages == ("en", "es")
    assert granada.staff_categories == ("librarian",) and "Bibliotecas" in granada.keywords
    masaryk = by_title["HR and Finance Staff Week"]
    assert (str(masaryk.fee), masaryk.currency) == ("200.00", "EUR")
    assert masaryk.topics == ("finance", "hr")
    week = by_title["International Staff Week 2027"]
    assert week.host == porto and week.keywords == "Makerspaces"
    assert week.registration_url == "https://example.org/porto-week"
    assert by_title["Digital Learning Week"].place == porto.place  # the catalogue's city kept
    porto.refresh_from_db()
    assert porto.status == HostOrganisation.Status.APPROVED

    # Not stated is not free: the free filter has the two that say so, not the blank ones.
    Opportunity.objects.filter(start_date__isnull=False).update(status=Opportunity.Status.PUBLISHED)
    free = search.search("", search.Filters(fee="free"), revision=None)
    assert {o.title for o in free.rows} == {"Semana Internacional de Personal", "Library Week"}


def test_importing_the_same_file_again_changes_nothing(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    run(org["ht"], all_or_nothing=False)
    hosts = HostOrganisation.objects.count()
    again = run(org["ht"], all_or_nothing=False)
    assert (again.created, again.updated, again.unchanged, again.duplicates) == (0, 0, 10, 1)
    assert HostOrganisation.objects.count() == hosts
    # Lists in another order are the same lists.
    reordered = LISTING.read_text().replace("Finance staff, HR staff", "HR staff, Finance staff")
    reordered = reordered.replace("Spanish, English", "English, Spanish")
    third = run(org["ht"], reordered.encode(), all_or_nothing=False)
    assert (third.created, third.updated) == (0, 0)


SHIFTED_HEADER = "Event id,Event,Host,Country,City,Start,End\n"
SHIFTED_ROWS = [
    ("w-1", "Library Week", "Tallinn University", "EE", "Tallinn", "2027-04-19", "2027-04-23"),
    ("w-2", "Finance Week", "Masaryk University", "CZ", "Brno", "2027-05-03", "2027-05-07"),
    ("w-3", "IT Week", "University of Porto", "PT", "Porto", "2027-05-10", "2027-05-14"),
    ("w-4", "HR Week", "Universidad de Granada", "ES", "Granada", "2027-06-07", "2027-06-11"),
]


def _file(rows: list[tuple[str, ...]]) -> bytes:
    return (SHIFTED_HEADER + "".join(",".join(r) + "\n" for r in rows)).encode()


def test_a_file_whose_ids_slipped_by_a_row_is_flagged_and_saves_nothing(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    assert run(org["ht"], _file(SHIFTED_ROWS)).created == 4
    ids = [r[0] for r in SHIFTED_ROWS]
    shifted = [(ids[(n + 1) % 4], *r[1:]) for n, r in enumerate(SHIFTED_ROWS)]
    with translation.override("en"):
        report = run(org["ht"], _file(shifted))
    assert report.shifted and not report.saved
    assert "shifted" in report.problems[0].message
    assert Opportunity.objects.get(external_id="w-1").title_en == "Library Week"
    assert not run(org["ht"], _file(shifted), all_or_nothing=False).saved


def test_the_command_prints_json_and_exits_2_when_the_file_is_refused(
    org: dict[str, OrgUnit], porto: HostOrganisation, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import_opportunities", str(LISTING), "--faculty", "ht", "--json")
    assert refused.value.returncode == 2
    answer = json.loads(capsys.readouterr().out)
    assert (answer["created"], answer["refused"], answer["saved"]) == (10, 1, False)
    problem = next(p for p in answer["problems"] if p["row"] == 10)
    assert problem["column"] == "country" and problem["message_sv"] and problem["message_en"]

    call_command(
        "import_opportunities", str(LISTING), "--faculty", "ht", "--dry-run", "--skip-invalid",
        "--json",
    )  # fmt: skip
    dry = json.loads(capsys.readouterr().out)
    assert (dry["created"], dry["saved"]) == (10, False) and Opportunity.objects.count() == 0

    call_command(
        "import_opportunities", str(LISTING), "--faculty", "ht", "--skip-invalid", "--json"
    )
    saved = json.loads(capsys.readouterr().out)
    counts = {k: saved[k] for k in ("created", "changed", "unchanged", "duplicates", "refused")}
    assert counts == {"created": 10, "changed": 0, "unchanged": 0, "duplicates": 1, "refused": 1}
    assert saved["hosts_created"] == 8
    call_command(
        "import_opportunities", str(LISTING), "--faculty", "ht", "--skip-invalid", "--json"
    )
    assert json.loads(capsys.readouterr().out)["changed"] == 0


def test_the_page_previews_then_saves_what_the_officer_confirms(
    client_for: Callable[[str | None], Client], personas: dict[str, User], porto: HostOrganisation
) -> None:
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    url = reverse("catalogue:import")
    upload = SimpleUploadedFile("listing.csv", LISTING.read_bytes())
    body = client.post(url, {"file": upload, "faculty": faculty.pk}).content.decode()
    assert Opportunity.objects.count() == 0
    assert "dubblett av rad 2" in body and "Nya värdar att granska" in body
    assert "Notes" in body and "Makerspaces" in body
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    done = client.post(url, {"run": run.pk, "confirm": "1", "skip_invalid": "1"})
    assert "De korrekta raderna sparades" in done.content.decode()
    assert Opportunity.objects.filter(faculty=faculty).count() == 10
    # Done is done: confirming twice saves nothing more.
    client.post(url, {"run": run.pk, "confirm": "1", "skip_invalid": "1"})
    assert Opportunity.objects.count() == 10
    review = client.get(reverse("catalogue:host_review")).content.decode()
    assert "University of Porto Library" in review and "Interweek" not in review


def test_headings_the_import_does_not_know_are_mapped_once_and_the_mapping_kept(
    client_for: Callable[[str | None], Client], personas: dict[str, User], porto: HostOrganisation
) -> None:
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    url = reverse("catalogue:import")
    data = (
        "Värdlärosäte,Nation,Rubrik,Börjar,Slutar\n"
        "Tallinn University,EE,Library Week,2027-04-19,2027-04-23\n"
    )
    upload = SimpleUploadedFile("mail.csv", data.encode())
    body = client.post(url, {"file": upload, "faculty": faculty.pk}).content.decode()
    assert "Kolumner saknas" in body  # every missing column at once
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    mapped = {
        "run": run.pk,
        "map": "1",
        "column-0": "host",
        "column-1": "country",
        "column-2": "title_en",
        "column-3": "start_date",
        "column-4": "end_date",
        "mapping_name": "Partner e-mails",
    }
    body = client.post(url, mapped).content.decode()
    assert "Kolumner saknas" not in body and 'id="confirm-import"' in body
    mapping = ImportMapping.objects.get(name="Partner e-mails")
    # The next file from the same source: chosen by name, no mapping needed.
    again = SimpleUploadedFile("mail2.csv", data.replace("Library", "Open Science").encode())
    body = client.post(
        url, {"file": again, "faculty": faculty.pk, "mapping": mapping.pk}
    ).content.decode()
    assert "Kolumner saknas" not in body
    latest = ImportRun.objects.filter(status=ImportRun.Status.PREVIEW).latest("pk")
    client.post(url, {"run": latest.pk, "confirm": "1"})
    assert Opportunity.objects.get().title_en == "Open Science Week"


def test_the_command_uses_a_saved_mapping(
    org: dict[str, OrgUnit], porto: HostOrganisation, tmp_path: Path
) -> None:
    ImportMapping.objects.create(
        faculty=org["ht"],
        name="mails",
        columns={"vardlarosate": "host", "nation": "country", "rubrik": "title_en"},
    )
    path = tmp_path / "mail.csv"
    path.write_text(
        "Värdlärosäte,Nation,Rubrik,Start,End\nTallinn University,EE,W,2027-04-19,2027-04-23\n"
    )
    call_command("import_opportunities", str(path), "--faculty", "ht", "--mapping", "mails")
    assert Opportunity.objects.get().title_en == "W"


def test_the_template_lists_the_columns_and_the_allowed_values(
    client_for: Callable[[str | None], Client],
) -> None:
    client = client_for("officer_ht")
    csv_text = client.get(reverse("catalogue:import_template", args=["csv"])).content.decode()
    assert csv_text.lstrip("\ufeff").startswith("external_id,kind,title_sv")
    xlsx = client.get(reverse("catalogue:import_template", args=["xlsx"])).content
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    allowed = [tuple(r) for r in workbook["allowed values"].iter_rows(values_only=True)]
    assert ("country", "XK", "Kosovo", "Kosovo") in allowed
    assert ("kind", "staff_week", "Personalvecka (staff week)", "Staff week") in allowed or any(
        r[:2] == ("kind", "staff_week") for r in allowed
    )
    assert client.get(reverse("catalogue:import_template", args=["pdf"])).status_code == 404


def test_the_officer_finds_the_catalogue_office_and_the_import_from_home_and_menu(
    client_for: Callable[[str | None], Client],
) -> None:
    body = client_for("officer_ht").get(reverse("mobility:office_home")).content.decode()
    assert body.count(reverse("catalogue:import")) >= 2  # the menu and the page
    assert reverse("catalogue:office") in body


def test_a_column_the_import_does_not_know_can_be_kept_in_the_description(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    data = (
        b"Host,Country,Title,Start,End,Notes\n"
        b"Tallinn University,EE,Library Week,2027-04-19,2027-04-23,Lunch included\n"
    )
    ignored = run(org["ht"], data)
    assert ignored.saved and "Notes" in " ".join(w.message for w in ignored.warnings)
    assert Opportunity.objects.get().description_en == ""
    kept = run(org["ht"], data, mapping={"notes": imports.TO_DESCRIPTION})
    assert kept.updated == 1 and not kept.warnings
    assert Opportunity.objects.get().description_en == "Notes: Lunch included"


def test_the_preview_page_flags_a_file_whose_ids_slipped(
    client_for: Callable[[str | None], Client], personas: dict[str, User], porto: HostOrganisation
) -> None:
    client = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    run(faculty, _file(SHIFTED_ROWS))
    ids = [r[0] for r in SHIFTED_ROWS]
    shifted = [(ids[(n + 1) % 4], *r[1:]) for n, r in enumerate(SHIFTED_ROWS)]
    upload = SimpleUploadedFile("weeks.csv", _file(shifted))
    url = reverse("catalogue:import")
    body = client.post(url, {"file": upload, "faculty": faculty.pk}).content.decode()
    assert 'id="shifted-ids"' in body and "förskjutna" in body
    assert 'id="confirm-import"' not in body  # nothing to confirm
    # Each row is the catalogue's event of the same host and dates under another id.
    assert "dubblett av Library Week" in body


def test_a_corrected_file_previews_each_change_before_and_after(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    run(org["ht"], all_or_nothing=False)
    corrected = LISTING.read_text().replace(";150;EUR;30;", ";175;EUR;30;")
    report = run(org["ht"], corrected.encode(), all_or_nothing=False, check_only=True)
    assert (report.updated, report.unchanged) == (1, 9)
    line = next(line for line in report.outcomes if line["outcome"] == "changed")
    assert line["title"] == "International Staff Week 2027"
    assert line["changes"] == [["fee", "150.00", "175.00"]]
