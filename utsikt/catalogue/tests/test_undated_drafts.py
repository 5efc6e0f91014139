"""Rows without any date: kept as drafts, never published, until the officer adds the dates
in the catalogue's office. From the file (the command and the page) to the published week."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import curation, imports, search
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.catalogue.tests.conftest import TODAY

HEADER = "Host;Country;City;Event;Start date;End date;Status;Topics\n"
# The second row asks to be published, but without dates it cannot be.
ROWS = (
    "University of Porto;Portugal;Porto;Library Week Porto;2027-04-19;2027-04-23;published;"
    "Libraries\n"
    "Tallinn University;Estonia;Tallinn;Nordic Library Days;;;published;Libraries\n"
)
FILE = (HEADER + ROWS).encode()


@pytest.fixture
def porto(make_host: Callable[..., HostOrganisation]) -> HostOrganisation:
    return make_host()


def _import(faculty: OrgUnit, data: bytes = FILE, **options: object) -> imports.Report:
    return imports.import_file(
        name="listing.csv",
        data=data,
        faculty=faculty,
        by=None,
        **options,  # type: ignore[arg-type]
    )


def test_a_row_without_any_date_is_kept_as_a_draft_and_the_preview_says_so(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    with translation.override("en"):
        preview = _import(org["ht"], check_only=True)
    assert preview.ok and (preview.created, preview.refused, preview.drafts) == (2, 0, 1)
    line = next(line for line in preview.outcomes if line["row"] == 3)
    assert line["outcome"] == "new" and line["undated"]
    assert "draft" in line["note_en"] and "utkast" in line["note_sv"]
    note = next(w for w in preview.warnings if w.row == 3)
    assert "utkast" in note.message_sv and "draft" in note.message_en

    saved = _import(org["ht"])
    assert saved.saved and saved.drafts == 1
    nordic = Opportunity.objects.get(title_en="Nordic Library Days")
    assert nordic.status == Opportunity.Status.DRAFT  # though the file said published
    assert (nordic.start_date, nordic.end_date, nordic.start_month) == (None, None, None)
    assert not nordic.dates_approximate
    dated = Opportunity.objects.get(title_en="Library Week Porto")
    assert dated.status == Opportunity.Status.PUBLISHED


def test_importing_the_same_file_again_changes_no_draft_without_dates(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    _import(org["ht"])
    again = _import(org["ht"])
    assert (again.created, again.updated, again.unchanged, again.duplicates) == (0, 0, 2, 0)
    assert again.drafts == 1
    assert Opportunity.objects.filter(title_en="Nordic Library Days").count() == 1
    # Twice in one file: the second is a duplicate of the first (same host and title).
    twice = (HEADER + ROWS + ROWS.splitlines(keepends=True)[1]).encode()
    with translation.override("en"):
        report = _import(org["ht"], twice, check_only=True)
    assert report.duplicates == 1 and report.outcomes[-1]["duplicate_of"] == "row 3"


def test_a_row_without_dates_keeps_the_dates_the_catalogue_has(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    """Blank is not stated: a file that no longer gives an event's dates does not unpublish it."""
    with_id = "Id;" + HEADER.replace("Status;", "")
    data = with_id + "p-1;University of Porto;PT;Porto;Library Week Porto;2027-04-19;2027-04-23;\n"
    _import(org["ht"], data.encode())
    week = Opportunity.objects.get(external_id="p-1")
    curation.publish(opportunity=week, by=None)
    blank = with_id + "p-1;University of Porto;PT;Porto;Library Week Porto;;;\n"
    report = _import(org["ht"], blank.encode())
    assert (report.updated, report.unchanged, report.drafts) == (0, 1, 0)
    week.refresh_from_db()
    assert week.status == Opportunity.Status.PUBLISHED
    assert week.start_date == datetime.date(2027, 4, 19)


def test_the_database_refuses_a_published_opportunity_without_dates(
    make_opportunity: Callable[..., Opportunity],
) -> None:
    week = make_opportunity()
    rows = Opportunity.objects.filter(pk=week.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(start_date=None, end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(status=Opportunity.Status.DRAFT, end_date=None)  # both days or neither
    rows.update(status=Opportunity.Status.DRAFT, start_date=None, end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(status=Opportunity.Status.PUBLISHED)


@pytest.mark.parametrize(
    ("language", "words"), [("sv", "inget första och sista datum"), ("en", "no first and last")]
)
def test_publishing_a_draft_without_dates_is_refused_with_a_clear_message(
    make_opportunity: Callable[..., Opportunity], language: str, words: str
) -> None:
    draft = make_opportunity(status=Opportunity.Status.DRAFT, start_date=None, end_date=None)
    with translation.override(language), pytest.raises(curation.CurationError) as refused:
        curation.publish(opportunity=draft, by=None)
    assert words in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == Opportunity.Status.DRAFT
    draft.status = Opportunity.Status.PUBLISHED
    with translation.override(language), pytest.raises(curation.CurationError):
        curation.save_opportunity(opportunity=draft, by=None)


def test_drafts_without_dates_never_appear_publicly(
    make_opportunity: Callable[..., Opportunity], client_for: Callable[[str | None], Client]
) -> None:
    make_opportunity(title_en="Library Week Porto", topics=("library",))
    draft = make_opportunity(
        title_en="Nordic Library Days",
        topics=("library",),
        status=Opportunity.Status.DRAFT,
        start_date=None,
        end_date=None,
    )
    for query in ["", "library", "Nordic"]:
        titles = {o.title for o in search.search(query, revision=None).rows}
        assert "Nordic Library Days" not in titles
    anonymous = client_for(None)
    for name in ["catalogue:search", "catalogue:calendar", "catalogue:map"]:
        page = anonymous.get(reverse(name), {"q": "library"})
        assert page.status_code == 200 and "Nordic Library Days" not in page.content.decode()
    api = anonymous.get(reverse("api:opportunities")).json()
    assert [o["title_en"] for o in api["items"]] == ["Library Week Porto"]
    detail = reverse("catalogue:opportunity_detail", args=[draft.slug])
    assert anonymous.get(detail).status_code == 404
    # Its curators see it, without a calendar file (there are no days to add).
    officer = client_for("officer_ht")
    page = officer.get(detail).content.decode()
    assert 'id="date-not-known"' in page and "calendar.ics" not in page
    assert officer.get(reverse("catalogue:opportunity_ics", args=[draft.slug])).status_code == 404
    one = officer.get(reverse("api:opportunity", args=[draft.slug])).json()
    assert (one["start_date"], one["end_date"], one["status"]) == (None, None, "draft")


def test_the_officer_finds_the_draft_adds_its_dates_and_publishes_it(
    org: dict[str, OrgUnit],
    porto: HostOrganisation,
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
) -> None:
    officer = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    _import(faculty)
    draft = Opportunity.objects.get(title_en="Nordic Library Days")
    office = officer.get(reverse("catalogue:office"), {"status": "draft"}).content.decode()
    assert "Nordic Library Days" in office and "Datum okänt" in office
    publish = reverse("catalogue:opportunity_publish", args=[draft.slug])
    refused = officer.post(publish, follow=True).content.decode()
    assert "inget första och sista datum" in refused
    draft.refresh_from_db()
    assert draft.status == Opportunity.Status.DRAFT

    form = officer.get(reverse("catalogue:opportunity_edit", args=[draft.slug]))
    assert form.status_code == 200
    start = TODAY + datetime.timedelta(days=90)
    fields = {
        "kind": draft.kind,
        "title_en": draft.title_en,
        "host": draft.host_id,
        "faculty": draft.faculty_id,
        "start_date": start.isoformat(),
        "end_date": "",
        "currency": "EUR",
        "topics": list(draft.topics),
    }
    half = officer.post(reverse("catalogue:opportunity_edit", args=[draft.slug]), fields)
    assert half.status_code == 200 and "Ange första och sista dagen" in half.content.decode()
    fields["end_date"] = (start + datetime.timedelta(days=3)).isoformat()
    officer.post(reverse("catalogue:opportunity_edit", args=[draft.slug]), fields)
    officer.post(publish)
    draft.refresh_from_db()
    assert draft.status == Opportunity.Status.PUBLISHED and draft.start_month is not None
    assert draft.start_date == start
    titles = {o.title for o in search.search("Nordic", revision=None).rows}
    assert titles == {"Nordic Library Days"}


def test_the_command_reports_drafts_without_dates_in_both_languages(
    org: dict[str, OrgUnit],
    porto: HostOrganisation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "listing.csv"
    path.write_bytes(FILE)
    call_command("import_opportunities", str(path), "--faculty", "ht", "--json")
    answer = json.loads(capsys.readouterr().out)
    assert (answer["created"], answer["drafts"], answer["saved"]) == (2, 1, True)
    row = next(r for r in answer["rows_detail"] if r["row"] == 3)
    assert row["undated"] and "utkast" in row["note_sv"] and "draft" in row["note_en"]
    warning = next(w for w in answer["warnings"] if w["row"] == 3)
    assert "utkast" in warning["message_sv"] and "draft" in warning["message_en"]
    call_command("import_opportunities", str(path), "--faculty", "ht", "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["changed"], again["drafts"]) == (0, 0, 1)
    call_command("import_opportunities", str(path), "--faculty", "ht", "--dry-run")
    assert "1 rad saknar datum" in capsys.readouterr().out


def test_the_import_page_previews_the_draft_without_dates(
    porto: HostOrganisation, personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    officer = client_for("officer_ht")
    faculty = personas["officer_ht"].roles.get().unit
    upload = SimpleUploadedFile("listing.csv", FILE)
    url = reverse("catalogue:import")
    body = officer.post(url, {"file": upload, "faculty": faculty.pk}).content.decode()
    assert 'id="import-drafts"' in body and "inget datum: sparas som utkast" in body
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_import_page_explains_the_format_in_both_languages_whatever_the_page_language(
    client_for: Callable[[str | None], Client], language: str
) -> None:
    officer = client_for("officer_ht")
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = officer.get(reverse("catalogue:import")).content.decode()
    starts = {
        lang: page.index(f'<section class="import-format" lang="{lang}"') for lang in ["sv", "en"]
    }
    swedish, english = (
        page[starts[lang] : page.index("</section>", starts[lang])] for lang in ("sv", "en")
    )
    # The page's own language comes first and open; the other is one click away.
    assert min(starts, key=starts.__getitem__) == language
    assert ("<details open>" in swedish, "<details open>" in english) == (
        language == "sv",
        language == "en",
    )
    assert "Filens format, på svenska" in swedish and "Rader helt utan datum" in swedish
    assert "The file's format, in English" in english and "Rows without any date" in english
    assert "maj 2027" in swedish and "ej angivet" in swedish
    assert "May 2027" in english and "not stated" in english
    # Every column, with the headings it is also read from.
    assert english.count("<dt><code>") == len(imports.COLUMNS)
    assert "“hosting institution”" in english


def test_a_later_file_with_the_dates_dates_the_draft_instead_of_adding_another(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    _import(org["ht"])
    dated = FILE.decode().replace(
        "Nordic Library Days;;;", "Nordic Library Days;2027-09-06;2027-09-10;"
    )
    report = _import(org["ht"], dated.encode())
    assert (report.created, report.updated, report.drafts) == (0, 1, 0)
    changed = next(line for line in report.outcomes if line["row"] == 3)
    # The file says published, and now it can be.
    names = {name for name, _before, _after in changed["changes"]}
    assert names == {"start_date", "end_date", "status"}
    nordic = Opportunity.objects.get(title_en="Nordic Library Days")
    assert nordic.start_date == datetime.date(2027, 9, 6)
    assert nordic.status == Opportunity.Status.PUBLISHED


def test_a_form_checking_the_model_says_why_a_published_opportunity_needs_dates(
    make_opportunity: Callable[..., Opportunity],
) -> None:
    """What the admin's form shows, rather than a database error."""
    week = make_opportunity()
    week.start_date = week.end_date = None
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        week.full_clean()
    assert "Bara ett utkast får sakna datum" in str(refused.value)
    week.status = Opportunity.Status.DRAFT
    week.end_date = datetime.date(2027, 4, 23)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        week.full_clean()
    assert "Give both the first and the last day, or neither." in str(refused.value)


def test_a_row_without_dates_naming_a_week_the_catalogue_has_is_a_duplicate_not_a_draft(
    org: dict[str, OrgUnit], porto: HostOrganisation
) -> None:
    _import(org["ht"], (HEADER + ROWS.splitlines(keepends=True)[0]).encode())
    # Another listing names the same week without its dates (and no id).
    undated = HEADER + "University of Porto;PT;Porto;Library Week Porto;;;;\n"
    with translation.override("en"):
        report = _import(org["ht"], undated.encode())
    assert (report.created, report.duplicates, report.drafts) == (0, 1, 0)
    assert report.outcomes[0]["duplicate_of"] == "Library Week Porto"
    # Two dated rows of one title are two years of one event, not duplicates.
    yearly = HEADER + "".join(
        f"Tallinn University;EE;Tallinn;Library Days;{year}-04-19;{year}-04-23;;\n"
        for year in (2027, 2028)
    )
    assert _import(org["ht"], yearly.encode(), check_only=True).duplicates == 0
