"""Import opportunities from a CSV or Excel file: checked row by row, saved all or nothing.

The same code serves `manage.py import_opportunities` and the officers' upload page. Rows are
matched by their external id, so importing the same file again changes nothing and importing
a corrected file updates what changed. Every problem is reported in plain language with its
row and column; by default one problem anywhere means nothing is saved.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from utsikt.accounts.models import OrgUnit, StaffCategory, User
from utsikt.catalogue import curation
from utsikt.catalogue.models import HostOrganisation, ImportRun, Language, Opportunity, Topic
from utsikt.grants.gazetteer import find_places, fold
from utsikt.grants.models import Country
from utsikt.grants.trips import EARLIEST_YEAR, LATEST_YEAR, OUT_OF_RANGE, YEARS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A 2 MB .xlsx may unpack to far more; beyond this it is treated as a zip bomb.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
Progress = Callable[[int, int], None]
# A background import writes how far it got after this many rows (and at the end).
PROGRESS_EVERY = 100

# Column → the headings accepted for it (compared folded: case and accents do not matter).
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "external id", "id", "externt id"),
    "kind": ("kind", "type", "typ"),
    "title_sv": ("title_sv", "title (swedish)", "titel", "titel_sv", "titel (svenska)"),
    "title_en": ("title_en", "title", "title (english)", "titel (engelska)"),
    "description_sv": ("description_sv", "beskrivning", "beskrivning (svenska)"),
    "description_en": ("description_en", "description", "beskrivning (engelska)"),
    "host": ("host", "host organisation", "organisation", "värd", "värdorganisation"),
    "host_erasmus_code": ("host_erasmus_code", "erasmus code", "erasmuskod"),
    "host_kind": ("host_kind", "host kind", "typ av värd"),
    "country": ("country", "land"),
    "city": ("city", "stad", "ort"),
    "start_date": ("start_date", "start", "first day", "första dag", "startdatum"),
    "end_date": ("end_date", "end", "last day", "sista dag", "slut", "slutdatum"),
    "deadline": ("deadline", "application deadline", "sista ansökningsdag"),
    "fee": ("fee", "avgift"),
    "currency": ("currency", "valuta"),
    "places": ("places", "platser"),
    "accommodation": ("accommodation", "accommodation included", "boende", "boende ingår"),
    "languages": ("languages", "working languages", "språk", "arbetsspråk"),
    "staff_categories": ("staff_categories", "staff categories", "for", "personalkategorier"),
    "topics": ("topics", "ämnen"),
    "contact_name": ("contact_name", "contact", "kontaktperson"),
    "contact_email": ("contact_email", "e-mail", "email", "e-post"),
    "registration_url": ("registration_url", "registration", "link", "anmälan", "länk"),
    "status": ("status",),
}
REQUIRED = ("external_id", "kind", "country", "start_date", "end_date")
YES = {"yes", "ja", "true", "1", "x", "y", "j"}
NO = {"no", "nej", "false", "0", "n", ""}


class ImportFileError(Exception):
    """The file cannot be read as a table at all; the message says why."""


@dataclass(frozen=True)
class Problem:
    """One thing to fix: its row (as numbered in a spreadsheet, 1 = headings) and column."""

    row: int
    column: str
    message: str


@dataclass
class Report:
    """What an import found and did."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------------
# Reading


def _check_xlsx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(_("The file is not a real Excel (.xlsx) file.")) from None
    names = set(archive.namelist())
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ImportFileError(_("The file is not a real Excel (.xlsx) file."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportFileError(_("The file contains macros; save it as a plain .xlsx file."))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The file unpacks to more than 40 MB; split it into parts."))


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    import openpyxl  # type: ignore[import-untyped]

    _check_xlsx(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise ImportFileError(_("The Excel file is damaged and cannot be read.")) from None
    # Read-only workbooks read their sheets lazily: a missing sheet part or text in a cell
    # marked as a number only fails here, while the rows are read.
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    except Exception:
        raise ImportFileError(_("The Excel file is damaged and cannot be read.")) from None
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    if b"\x00" in data:
        raise ImportFileError(_("The file is not a text (CSV) file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel on Windows often saves
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not a text (CSV) file.")) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def read_table(name: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a file, by known column, with their spreadsheet row numbers."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        rows: Iterable[list[Any]] = _xlsx_rows(data)
    elif lowered.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise ImportFileError(_("Choose a .csv or .xlsx file."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB; split it into parts."))
    aliases = {fold(alias): column for column, names in COLUMNS.items() for alias in names}
    header: list[str | None] | None = None
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            if not any(v not in (None, "") for v in values):
                continue
            header = [aliases.get(fold(str(v or ""))) for v in values]
            unknown = [str(v) for v, c in zip(values, header, strict=True) if v and not c]
            if unknown:
                raise ImportFileError(
                    _("Unknown columns: %(columns)s. The columns are: %(known)s.")
                    % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}
                )
            missing = [c for c in REQUIRED if c not in header]
            if "title_sv" not in header and "title_en" not in header:
                missing.append("title_en")
            if "host" not in header and "host_erasmus_code" not in header:
                missing.append("host")
            if missing:
                raise ImportFileError(
                    _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}
                )
            continue
        if not any(v not in (None, "") for v in values):
            continue
        if len(found) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into parts.") % {"max": MAX_ROWS}
            )
        row = {c: v for c, v in zip(header, values, strict=False) if c is not None}
        found.append((number, row))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return found


# ---------------------------------------------------------------------------------------------
# Checking


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Every way of writing each code: the code and its label in Swedish and English."""
    found: dict[str, str] = {}
    for language in ("en", "sv"):
        with translation.override(language):
            for code, label in choices:
                found[fold(code)] = code
                found[fold(code.replace("_", " "))] = code
                found[fold(str(label))] = code
    return found


class _Row:
    """One row being checked; problems are collected rather than raised."""

    def __init__(self, number: int, values: dict[str, Any], problems: list[Problem]) -> None:
        self.number = number
        self.values = values
        self.problems = problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str, required: bool = False) -> str:
        value = _text(self.values.get(column))
        if required and not value:
            self.problem(column, _("This must be filled in."))
        return value

    def date(self, column: str, required: bool = False) -> datetime.date | None:
        day = self._date(column, required)
        # Beyond these years a date means nothing here, and the calendar's day after the
        # last one (9999-12-31) would not exist.
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            self.problem(column, _(OUT_OF_RANGE) % YEARS)
            return None
        return day

    def _date(self, column: str, required: bool) -> datetime.date | None:
        value = self.values.get(column)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            if required:
                self.problem(column, _("This must be filled in, as a date like 2027-04-19."))
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.problem(
                column,
                _("“%(value)s” is not a date; write dates like 2027-04-19.") % {"value": text},
            )
            return None

    def money(self, column: str) -> Decimal:
        text = re.sub(r"[\s\u00a0\u202f]", "", _text(self.values.get(column))).replace(",", ".")
        if not text:
            return Decimal(0)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.problem(column, _("“%(value)s” is not an amount.") % {"value": text})
            return Decimal(0)
        # Finite first: comparing NaN ("NaN" is a Decimal) raises instead of answering.
        if not amount.is_finite() or amount < 0 or amount >= 1_000_000:
            self.problem(column, _("The amount must be between 0 and 999,999."))
            return Decimal(0)
        return amount.quantize(Decimal("0.01"))

    def count(self, column: str) -> int | None:
        text = _text(self.values.get(column))
        if not text:
            return None
        if not text.isdigit() or int(text) > 100_000:
            self.problem(column, _("“%(value)s” is not a number of places.") % {"value": text})
            return None
        return int(text)

    def flag(self, column: str) -> bool:
        text = fold(_text(self.values.get(column)))
        if text in YES:
            return True
        if text not in NO:
            self.problem(column, _("Write yes or no, not “%(value)s”.") % {"value": text})
        return False

    def choice(self, column: str, known: dict[str, str], required: bool = False) -> str:
        text = _text(self.values.get(column))
        if not text:
            if required:
                self.problem(column, _("This must be filled in."))
            return ""
        code = known.get(fold(text))
        if code is None:
            self.problem(column, _("“%(value)s” is not one we know.") % {"value": text})
            return ""
        return code

    def codes(self, column: str, known: dict[str, str]) -> tuple[str, ...]:
        found = []
        for part in re.split(r"[,;|\n]", _text(self.values.get(column))):
            if not part.strip():
                continue
            code = known.get(fold(part))
            if code is None:
                self.problem(column, _("“%(value)s” is not one we know.") % {"value": part.strip()})
            else:
                found.append(code)
        return tuple(dict.fromkeys(found))


class _Lookups:
    """What rows are checked against, read once per import."""

    def __init__(self) -> None:
        self.kinds = _labels(Opportunity.Kind.choices)
        self.host_kinds = _labels(HostOrganisation.Kind.choices)
        self.categories = _labels(StaffCategory.choices)
        self.topics = _labels(Topic.choices)
        self.languages = _labels(Language.choices)
        self.statuses = {
            "draft": Opportunity.Status.DRAFT,
            "utkast": Opportunity.Status.DRAFT,
            "published": Opportunity.Status.PUBLISHED,
            "publicerad": Opportunity.Status.PUBLISHED,
            "": Opportunity.Status.DRAFT,
        }
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            for key in (country.iso2, country.name_sv, country.name_en):
                self.countries[fold(key)] = country
        self.hosts_by_code: dict[str, HostOrganisation] = {}
        self.hosts_by_name: dict[tuple[str, str], HostOrganisation] = {}
        for host in HostOrganisation.objects.approved():
            if host.erasmus_code:
                self.hosts_by_code[_code_key(host.erasmus_code)] = host
            for name in (host.name, host.local_name):
                if name:
                    self.hosts_by_name[(fold(name), host.country_id)] = host


def _code_key(code: str) -> str:
    return re.sub(r"\s+", "", code).upper()


def _host(row: _Row, lookups: _Lookups, country: Country | None) -> HostOrganisation | None:
    name = row.text("host")
    code = row.text("host_erasmus_code")
    if code and _code_key(code) in lookups.hosts_by_code:
        return lookups.hosts_by_code[_code_key(code)]
    if not name:
        row.problem("host", _("This must be filled in: the name of the host organisation."))
        return None
    if country is None:
        return None
    key = (fold(name), country.iso2)
    if key in lookups.hosts_by_name:
        return lookups.hosts_by_name[key]
    # A host the catalogue does not know yet: it is created with the import.
    city = row.text("city")
    place = None
    if city:
        place = find_places(city, country.iso2).first()
        if place is None:
            row.problem(
                "city",
                _("We do not know a city called “%(city)s” in %(country)s.")
                % {"city": city, "country": country.name},
            )
    default_kind = HostOrganisation.Kind.UNIVERSITY if code else HostOrganisation.Kind.OTHER
    kind = row.choice("host_kind", lookups.host_kinds) or default_kind
    host = HostOrganisation(
        name=name[:255],
        kind=kind,
        country=country,
        place=place,
        erasmus_code=code.upper()[:20],
        status=HostOrganisation.Status.APPROVED,
    )
    lookups.hosts_by_name[key] = host
    if code:
        lookups.hosts_by_code[_code_key(code)] = host
    return host


def _snapshot(opportunity: Opportunity) -> tuple[Any, ...]:
    """The editable values, to tell whether an import changes a stored opportunity."""
    fields = Opportunity._meta.concrete_fields
    return tuple(getattr(opportunity, f.attname) for f in fields if f.editable)


def _opportunity(
    row: _Row,
    lookups: _Lookups,
    existing: dict[str, Opportunity],
    faculty: OrgUnit,
) -> Opportunity:
    external_id = row.text("external_id", required=True)
    country_text = row.text("country", required=True)
    country = lookups.countries.get(fold(country_text)) if country_text else None
    if country_text and country is None:
        row.problem("country", _("“%(value)s” is not a country we know.") % {"value": country_text})
    host = _host(row, lookups, country)
    title_sv, title_en = row.text("title_sv"), row.text("title_en")
    if not title_sv and not title_en:
        row.problem("title_en", _("Give a title in Swedish, in English or in both."))
    start, end = row.date("start_date", required=True), row.date("end_date", required=True)
    deadline = row.date("deadline")
    if start and end and end < start:
        row.problem(
            "end_date",
            _("The last day (%(end)s) is before the first day (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    if start and deadline and deadline > start:
        row.problem("deadline", _("The deadline is after the first day."))

    opportunity = existing.get(external_id) or Opportunity(external_id=external_id[:100])
    if opportunity.pk and opportunity.faculty_id != faculty.pk:
        row.problem(
            "external_id",
            _("“%(id)s” is curated by another faculty; it cannot be changed from here.")
            % {"id": external_id},
        )
    values: dict[str, Any] = {
        "kind": row.choice("kind", lookups.kinds, required=True),
        "title_sv": title_sv,
        "title_en": title_en,
        "description_sv": row.text("description_sv"),
        "description_en": row.text("description_en"),
        "start_date": start,
        "end_date": end,
        "deadline": deadline,
        "fee": row.money("fee"),
        "currency": (row.text("currency") or "EUR").upper(),
        "places": row.count("places"),
        "accommodation_included": row.flag("accommodation"),
        "languages": row.codes("languages", lookups.languages),
        "staff_categories": row.codes("staff_categories", lookups.categories),
        "topics": row.codes("topics", lookups.topics),
        "contact_name": row.text("contact_name"),
        "contact_email": row.text("contact_email"),
        "registration_url": row.text("registration_url"),
        "faculty": faculty,
    }
    status = lookups.statuses.get(fold(row.text("status")))
    if status is None:
        row.problem("status", _("Write draft or published."))
    elif not opportunity.pk or status == Opportunity.Status.PUBLISHED:
        values["status"] = status
    for name, value in values.items():
        setattr(opportunity, name, value)
    if host is not None:
        opportunity.host = host
    if country is not None:
        opportunity.country = country
    # Lengths, e-mail addresses and links, with Django's own messages.
    checked = ["title_sv", "title_en", "contact_name", "contact_email", "registration_url"]
    checked += ["currency"]
    try:
        opportunity.clean_fields(
            exclude=[f.name for f in Opportunity._meta.fields if f.name not in checked]
        )
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                row.problem(column, message)
    return opportunity


@dataclass
class Checked:
    """The rows as opportunities (new or changed in memory), with what was stored before."""

    opportunities: list[Opportunity]
    problems: list[Problem]
    stored: dict[int, tuple[Any, ...]]


def check(
    rows: list[tuple[int, dict[str, Any]]],
    faculty: OrgUnit,
    progress: Progress | None = None,
) -> Checked:
    """The opportunities the rows describe, and every problem found in them."""
    lookups = _Lookups()
    ids = [_text(values.get("external_id")) for _number, values in rows]
    existing = {
        o.external_id: o for o in Opportunity.objects.filter(external_id__in=[i for i in ids if i])
    }
    stored = {o.pk: _snapshot(o) for o in existing.values()}
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    opportunities: list[Opportunity] = []
    for done, (number, values) in enumerate(rows, start=1):
        row = _Row(number, values, problems)
        external_id = _text(values.get("external_id"))
        if external_id in first_row:
            row.problem(
                "external_id",
                _("The id “%(id)s” is used in row %(row)s already.")
                % {"id": external_id, "row": first_row[external_id]},
            )
        elif external_id:
            first_row[external_id] = number
        opportunities.append(_opportunity(row, lookups, existing, faculty))
        if progress:
            progress(done, len(rows))
    return Checked(opportunities, problems, stored)


# ---------------------------------------------------------------------------------------------
# Saving


def import_rows(
    *,
    rows: list[tuple[int, dict[str, Any]]],
    faculty: OrgUnit,
    by: User | None,
    check_only: bool = False,
    all_or_nothing: bool = True,
    progress: Progress | None = None,
) -> Report:
    """Check the rows and, unless asked to check only, save them (all or nothing)."""
    report = Report(rows=len(rows))
    checked = check(rows, faculty, progress)
    report.problems = checked.problems
    if check_only or (report.problems and all_or_nothing):
        return report
    bad_rows = {p.row for p in report.problems}
    good = [
        o
        for (number, _values), o in zip(rows, checked.opportunities, strict=True)
        if number not in bad_rows
    ]
    with transaction.atomic():
        new_hosts = {id(o.host): o.host for o in good if o.host.pk is None}
        for host in new_hosts.values():
            curation.save_host(host=host, by=by)
        for opportunity in good:
            # Assigned while the host had no id yet: assign again to copy its new id.
            opportunity.host = opportunity.host
        changed = [o for o in good if checked.stored.get(o.pk) != _snapshot(o)]
        report.created = sum(1 for o in changed if not o.pk)
        report.updated = len(changed) - report.created
        report.unchanged = len(good) - len(changed)
        if changed:
            curation.save_opportunities(opportunities=changed, by=by)
    report.saved = True
    return report


def import_file(
    *,
    name: str,
    data: bytes,
    faculty: OrgUnit,
    by: User | None,
    check_only: bool = False,
    all_or_nothing: bool = True,
    progress: Progress | None = None,
) -> Report:
    """Read a CSV or XLSX file and import it; a file that cannot be read is one problem."""
    try:
        rows = read_table(name, data)
    except ImportFileError as error:
        return Report(problems=[Problem(0, "", str(error))])
    return import_rows(
        rows=rows,
        faculty=faculty,
        by=by,
        check_only=check_only,
        all_or_nothing=all_or_nothing,
        progress=progress,
    )


# ---------------------------------------------------------------------------------------------
# Large files: in the background


def import_or_start(
    *, name: str, data: bytes, faculty: OrgUnit, by: User | None, check_only: bool = False
) -> Report | ImportRun:
    """Import a small file at once; a file of more than UTSIKT_IMPORT_SYNC_ROWS rows goes to
    the task worker instead (after commit), and the ImportRun returned tells how far it got.

    A file that cannot be read is refused at once either way, as one problem.
    """
    try:
        rows = read_table(name, data)
    except ImportFileError as error:
        return Report(problems=[Problem(0, "", str(error))])
    if len(rows) <= settings.UTSIKT_IMPORT_SYNC_ROWS:
        return import_rows(rows=rows, faculty=faculty, by=by, check_only=check_only)
    run = ImportRun.objects.create(
        faculty=faculty,
        by=by,
        file_name=name[:255],
        data=data,
        check_only=check_only,
        rows_total=len(rows),
    )
    from utsikt.catalogue.tasks import run_import as task

    transaction.on_commit(partial(task.enqueue, run.pk))
    return run


def run_import(run_id: int) -> None:
    """Run a queued background import and keep its report; a run already started (the task
    delivered twice) is left alone."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING
    )
    if not claimed:
        return
    run = ImportRun.objects.select_related("faculty", "by").get(pk=run_id)

    def progress(done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            ImportRun.objects.filter(pk=run_id).update(rows_done=done, rows_total=total)

    try:
        # The report's messages are in the language of whoever started the import.
        with translation.override(run.by.language if run.by else settings.LANGUAGE_CODE):
            report = import_file(
                name=run.file_name,
                data=bytes(run.data),
                faculty=run.faculty,
                by=run.by,
                check_only=run.check_only,
                progress=progress,
            )
    except Exception:
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), data=b""
        )
        raise
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE,
        report=asdict(report),
        finished_at=timezone.now(),
        data=b"",  # the file is not needed once the report is kept
    )
