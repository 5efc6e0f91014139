"""Import opportunities from a CSV or Excel file: checked row by row, saved all or nothing.

The same code serves `manage.py import_opportunities` and the officers' upload page. Rows are
matched by their external id, so importing the same file again changes nothing and importing
a corrected file updates what changed. Every problem is reported in plain language with its
row and column; by default one problem anywhere means nothing is saved.
"""

from __future__ import annotations

import csv
import datetime
import difflib
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
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from utsikt.accounts.models import OrgUnit, StaffCategory, User
from utsikt.catalogue import curation
from utsikt.catalogue.models import HostOrganisation, ImportRun, Language, Opportunity, Topic
from utsikt.grants.gazetteer import all_countries, find_places, fold
from utsikt.grants.models import Country, Place
from utsikt.grants.trips import EARLIEST_YEAR, LATEST_YEAR, OUT_OF_RANGE, YEARS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A 2 MB .xlsx may unpack to far more; beyond this it is treated as a zip bomb.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
Progress = Callable[[int, int], None]
# A background import writes how far it got after this many rows (and at the end).
PROGRESS_EVERY = 100

# Column → the headings accepted for it, in English and Swedish. Headings are compared by
# their letters and digits only: case, accents, spaces, underscores and punctuation do not count
# ("Start date", "start_date", "START-DATE" and "Start date:" are one heading).
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": (
        "external_id",
        "external id",
        "id",
        "externt id",
        "event id",
        "reference",
        "ref",
        "referens",
    ),
    "kind": (
        "kind",
        "type",
        "typ",
        "activity",
        "activity type",
        "kind of activity",
        "aktivitet",
        "format",
    ),
    "title_sv": (
        "title_sv",
        "title (swedish)",
        "swedish title",
        "titel",
        "titel_sv",
        "titel (svenska)",
        "svensk titel",
        "benämning",
    ),
    "title_en": (
        "title_en",
        "title",
        "title (english)",
        "english title",
        "titel (engelska)",
        "engelsk titel",
        "event",
        "event name",
        "event title",
        "name of the event",
        "staff week",
        "programme",
        "program",
    ),
    "description_sv": ("description_sv", "beskrivning", "beskrivning (svenska)", "om"),
    "description_en": (
        "description_en",
        "description",
        "beskrivning (engelska)",
        "details",
        "about",
        "summary",
        "programme description",
    ),
    "host": (
        "host",
        "host organisation",
        "host organization",
        "hosting institution",
        "host institution",
        "hosting organisation",
        "hosting organization",
        "institution",
        "university",
        "organisation",
        "organization",
        "organiser",
        "organizer",
        "värd",
        "värdorganisation",
        "värdinstitution",
        "lärosäte",
        "arrangör",
        "universitet",
    ),
    "host_erasmus_code": (
        "host_erasmus_code",
        "erasmus code",
        "erasmus id",
        "erasmuskod",
        "erasmus kod",
    ),
    "host_kind": ("host_kind", "host kind", "host type", "type of host", "typ av värd", "värdtyp"),
    "country": ("country", "land", "host country", "värdland"),
    "city": ("city", "town", "location", "place", "stad", "ort", "plats"),
    "start_date": (
        "start_date",
        "start",
        "start date",
        "starts",
        "from",
        "first day",
        "begins",
        "date",
        "dates from",
        "första dag",
        "startdatum",
        "från",
        "datum",
    ),
    "end_date": (
        "end_date",
        "end",
        "end date",
        "ends",
        "to",
        "until",
        "last day",
        "sista dag",
        "slut",
        "slutdatum",
        "till",
    ),
    "deadline": (
        "deadline",
        "application deadline",
        "registration deadline",
        "apply by",
        "register by",
        "sista ansökningsdag",
        "sista anmälningsdag",
        "anmälan senast",
        "ansök senast",
    ),
    "fee": (
        "fee",
        "fees",
        "cost",
        "price",
        "participation fee",
        "registration fee",
        "avgift",
        "kostnad",
        "pris",
        "deltagaravgift",
    ),
    "currency": ("currency", "fee currency", "valuta", "avgiftsvaluta"),
    "places": (
        "places",
        "max participants",
        "maximum participants",
        "number of places",
        "participants",
        "seats",
        "capacity",
        "platser",
        "antal platser",
        "max deltagare",
        "antal deltagare",
    ),
    "accommodation": (
        "accommodation",
        "accommodation included",
        "lodging",
        "housing",
        "boende",
        "boende ingår",
    ),
    "languages": (
        "languages",
        "language",
        "working languages",
        "working language",
        "language of instruction",
        "språk",
        "arbetsspråk",
    ),
    "staff_categories": (
        "staff_categories",
        "staff categories",
        "target group",
        "target groups",
        "audience",
        "for whom",
        "for",
        "personalkategorier",
        "målgrupp",
        "målgrupper",
        "för",
    ),
    "topics": (
        "topics",
        "topic",
        "theme",
        "themes",
        "subject",
        "subjects",
        "ämne",
        "ämnen",
        "tema",
        "teman",
    ),
    "keywords": ("keywords", "keyword", "tags", "nyckelord", "sökord", "taggar"),
    "contact_name": (
        "contact_name",
        "contact",
        "contact person",
        "contact name",
        "kontaktperson",
        "kontakt",
    ),
    "contact_email": (
        "contact_email",
        "e-mail",
        "email",
        "contact email",
        "contact e-mail",
        "e-post",
        "mejl",
        "epost",
    ),
    "registration_url": (
        "registration_url",
        "registration",
        "registration link",
        "registration url",
        "link",
        "url",
        "website",
        "web page",
        "more information",
        "anmälan",
        "anmälningslänk",
        "länk",
        "webbplats",
        "webbsida",
    ),
    "source": ("source", "källa", "source url", "found at"),
    "status": ("status",),
}
# What each column holds, for the import page's description of the format (in both languages).
COLUMN_HELP: dict[str, Any] = {
    "external_id": gettext_lazy(
        "Your own id of the row: importing again updates the same opportunity."
    ),
    "kind": gettext_lazy("Staff week, training course, job shadowing or language course."),
    "title_sv": gettext_lazy("The title in Swedish."),
    "title_en": gettext_lazy("The title in English; a title in either language is needed."),
    "description_sv": gettext_lazy("The description in Swedish."),
    "description_en": gettext_lazy("The description in English."),
    "host": gettext_lazy("The host organisation's name (needed, or its Erasmus code)."),
    "host_erasmus_code": gettext_lazy("The host's Erasmus code, like “P  PORTO02”."),
    "host_kind": gettext_lazy("For a new host: university, company, library …"),
    "country": gettext_lazy(
        "The host's country, by its name in English or Swedish or its ISO code (needed)."
    ),
    "city": gettext_lazy("The host's city."),
    "start_date": gettext_lazy("The first day, or the month when only that is known."),
    "end_date": gettext_lazy("The last day."),
    "deadline": gettext_lazy("The last day to apply."),
    "fee": gettext_lazy("The fee; 0 or “free” when there is none."),
    "currency": gettext_lazy("The fee's currency (EUR unless given)."),
    "places": gettext_lazy("How many can take part."),
    "accommodation": gettext_lazy("Whether accommodation is included: yes or no."),
    "languages": gettext_lazy("The working languages."),
    "staff_categories": gettext_lazy("Who it is for: staff categories, or “all staff”."),
    "topics": gettext_lazy("What it is about; words that are no topic are kept as keywords."),
    "keywords": gettext_lazy("More words to find it by."),
    "contact_name": gettext_lazy("The contact person."),
    "contact_email": gettext_lazy("The contact person's e-mail address."),
    "registration_url": gettext_lazy("The link to register or to read more."),
    "source": gettext_lazy(
        "Where the row comes from; its link is used when there is no registration link."
    ),
    "status": gettext_lazy("Draft or published (utkast or publicerad)."),
}
# A file needs these (a title in either language and a host by name or Erasmus code too).
REQUIRED = ("country", "start_date")
YES = {"yes", "ja", "true", "1", "x", "y", "j", "included", "ingar", "inkluderat", "provided"}
NO = {"no", "nej", "false", "0", "n", "not included", "ingar ej", "ingar inte", "none", "ingen"}
# Words people write for the codes, besides the codes and the labels in both languages.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        "staff_week": (
            "staff training week",
            "training week",
            "international week",
            "interweek",
            "international staff week",
            "erasmus staff week",
            "staff exchange week",
            "personalvecka",
            "internationell vecka",
            "semana internacional",
        ),
        "course": (
            "training",
            "training course",
            "workshop",
            "summer school",
            "kurs",
            "utbildning",
            "sommarskola",
        ),
        "job_shadowing": ("shadowing", "work shadowing", "jobbskuggning", "jobshadowing"),
        "language_course": ("språkkurs", "language training"),
    },
    "staff_categories": {
        "librarian": (
            "librarians",
            "library staff",
            "library",
            "bibliotekarier",
            "bibliotekspersonal",
            "bibliotek",
        ),
        "economist": (
            "economists",
            "finance staff",
            "finance",
            "finance officers",
            "ekonomer",
            "ekonomi",
        ),
        "it_technician": ("it", "it staff", "it technicians", "it-personal", "it personal"),
        "study_adviser": (
            "study advisers",
            "student advisers",
            "student services",
            "studievägledare",
            "studievägledning",
        ),
        "international_coordinator": (
            "international officers",
            "international relations staff",
            "international staff",
            "mobility coordinators",
            "international coordinators",
            "internationella handläggare",
            "internationella samordnare",
        ),
        "communicator": (
            "communicators",
            "communication officers",
            "communication staff",
            "kommunikatörer",
        ),
        "hr": ("hr staff", "human resources", "hr officers", "personal", "hr-personal"),
        "administrator": (
            "administrators",
            "administrative staff",
            "administration",
            "administratörer",
            "administrativ personal",
        ),
        "education_administrator": (
            "education administrators",
            "student administration",
            "utbildningsadministratörer",
        ),
        "research_engineer": (
            "research engineers",
            "lab technicians",
            "technicians",
            "forskningsingenjörer",
        ),
        "manager": ("managers", "heads of department", "management", "chefer", "prefekter"),
        "teacher": ("teachers", "academic staff", "lecturers", "lärare"),
        "researcher": ("researchers", "forskare"),
        "other": ("other", "other staff", "non-academic staff"),
    },
    "topics": {
        "library": ("libraries", "bibliotek", "library services"),
        "international": (
            "internationalisation",
            "internationalization",
            "mobility",
            "international relations",
            "internationalisering",
            "international week",
            "internationell vecka",
        ),
        "student_services": ("student services", "guidance", "studievägledning", "student support"),
        "it": ("ict", "digitalisation", "digitalization", "information technology"),
        "finance": ("ekonomi", "procurement", "upphandling", "finances"),
        "hr": ("human resources", "personal", "hr"),
        "communication": ("marketing", "kommunikation", "communications"),
        "research_support": (
            "research support",
            "forskningsstöd",
            "research administration",
            "grants",
        ),
        "sustainability": ("hållbarhet", "green campus", "sustainable development"),
        "leadership": ("management", "ledarskap"),
        "language": ("languages", "språk", "language learning"),
        "intercultural": ("intercultural competence", "interkulturell kommunikation"),
        "inclusion": ("accessibility", "diversity", "tillgänglighet", "inkludering"),
        "teaching_support": ("teaching", "pedagogy", "högskolepedagogik", "teaching and learning"),
        "quality": ("quality assurance", "kvalitet", "kvalitetssäkring"),
        "open_science": ("open access", "öppen vetenskap", "research data", "forskningsdata"),
        "welcome": ("welcome services", "mottagande"),
        "digital_learning": ("e-learning", "elearning", "online learning", "digitalt lärande"),
    },
    "languages": {
        "en": ("engelska", "english"),
        "sv": ("svenska", "swedish"),
        "de": ("deutsch", "tyska"),
        "fr": ("français", "francais", "franska"),
        "es": ("español", "espanol", "spanska", "castellano"),
        "pt": ("português", "portugues", "portugisiska"),
        "it": ("italiano", "italienska"),
        "pl": ("polski", "polska"),
    },
}
# "For everyone": no staff category narrows it.
ALL_STAFF = {"all staff", "everyone", "all", "alla", "all personal", "hela personalen", "any"}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januari"),
            ("february", "feb", "februari"),
            ("march", "mar", "mars"),
            ("april", "apr"),
            ("may", "maj"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug", "augusti"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# What the preview and the report say of a row without any date.
UNDATED_NOTE = gettext_noop(
    "No date: saved as a draft, not published. Add the dates in the catalogue's office and "
    "publish it there."
)
# More than this share of the matched events getting another title or host: the ids are
# probably shifted by a row (at least SHIFTED_AT_LEAST of them).
SHIFTED_SHARE = 0.5
SHIFTED_AT_LEAST = 3


# A mapping may keep a column the import does not know in the description instead of ignoring it.
TO_DESCRIPTION = "+description"


def format_columns() -> list[tuple[str, Any, list[str], bool]]:
    """For the page that explains the format: each column, what it holds, some headings it is
    read from, and whether a file needs it."""
    needed = set(REQUIRED)
    return [
        (column, COLUMN_HELP[column], [n for n in names if n != column][:4], column in needed)
        for column, names in COLUMNS.items()
    ]


def heading_key(text: str) -> str:
    """A heading as compared: folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


class ImportFileError(Exception):
    """The file cannot be read as a table at all; the message says why."""


Say = Callable[[], str]


def _say(message: str, **values: Any) -> Say:
    """A message (marked with gettext_noop) written in whichever language is active."""
    return lambda: _(message) % values


def _both(say: Say | str) -> tuple[str, str, str]:
    """A message in the page's language, in Swedish and in English."""
    if isinstance(say, str):
        return say, say, say
    with translation.override("sv"):
        swedish = say()
    with translation.override("en"):
        english = say()
    return (english if translation.get_language() == "en" else swedish), swedish, english


@dataclass(frozen=True)
class Problem:
    """One thing to fix: its row (as numbered in a spreadsheet, 1 = headings) and column."""

    row: int
    column: str
    message: str
    message_sv: str = ""
    message_en: str = ""

    @classmethod
    def of(cls, row: int, column: str, say: Say | str) -> Problem:
        message, swedish, english = _both(say)
        return cls(row, column, message, swedish, english)


@dataclass
class Report:
    """What an import found and did (or, checked only, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    refused: int = 0
    hosts_created: int = 0
    # Rows without any date, kept (or to be kept) as drafts; among the counts above.
    drafts: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Said but not in the way: unknown columns ignored, a city that differs, an unknown topic.
    warnings: list[Problem] = field(default_factory=list)
    # One line per row for the preview: row, outcome, title, changes (field, before, after).
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    # New hosts, for the officer's review, with similar hosts the catalogue has.
    hosts: list[dict[str, Any]] = field(default_factory=list)
    shifted: bool = False
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> int:
        return self.updated

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "changed": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "refused": self.refused,
            "hosts_created": self.hosts_created,
            "drafts": self.drafts,
        }


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


def _rows_of(name: str, data: bytes) -> Iterable[list[Any]]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        rows: Iterable[list[Any]] = _xlsx_rows(data)
    elif lowered.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise ImportFileError(_("Choose a .csv or .xlsx file."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB; split it into parts."))
    return rows


def _aliases() -> dict[str, str]:
    return {heading_key(alias): column for column, names in COLUMNS.items() for alias in names}


def column_of(heading: str, mapping: dict[str, str] | None = None) -> str | None:
    """The import's column a file's heading stands for (the officer's mapping first)."""
    key = heading_key(heading)
    if mapping and key in mapping:
        return mapping[key] or None
    return _aliases().get(key)


def headings(name: str, data: bytes) -> list[str]:
    """The file's headings (its first row that is not empty), for the mapping page."""
    for values in _rows_of(name, data):
        if any(v not in (None, "") for v in values):
            return [_text(v) for v in values]
    raise ImportFileError(_("The file is empty."))


def _check_header(
    values: list[Any], mapping: dict[str, str] | None, warnings: list[Problem]
) -> list[str | None]:
    """The column of each heading; every problem with the headings is raised at once."""
    header = [column_of(_text(v), mapping) if _text(v) else None for v in values]
    problems: list[Problem] = []
    unknown = [_text(v) for v, c in zip(values, header, strict=True) if _text(v) and not c]
    ignored = [
        _text(v)
        for v in values
        if _text(v) and mapping is not None and mapping.get(heading_key(_text(v))) == ""
    ]
    unknown = [u for u in unknown if u not in ignored]
    if unknown:
        columns = ", ".join(unknown)
        warnings.append(
            Problem.of(
                0,
                "",
                lambda: (
                    _(
                        "Columns not used (ignored): %(columns)s. "
                        "Map them below if they hold something to import."
                    )
                    % {"columns": columns}
                ),
            )
        )
    seen: dict[str, str] = {}
    for value, column in zip(values, header, strict=True):
        if column is None or column == TO_DESCRIPTION:
            continue
        if column in seen:
            first, second = seen[column], _text(value)
            problems.append(
                Problem.of(
                    0,
                    column,
                    _say(
                        gettext_noop(
                            "The columns “%(first)s” and “%(second)s” both mean %(column)s; "
                            "keep one or map the other to something else."
                        ),
                        first=first,
                        second=second,
                        column=column,
                    ),
                )
            )
        else:
            seen[column] = _text(value)
    missing = [c for c in REQUIRED if c not in header]
    if "title_sv" not in header and "title_en" not in header:
        missing.append("title_en")
    if "host" not in header and "host_erasmus_code" not in header:
        missing.append("host")
    for column in missing:
        names = ", ".join(f"“{n}”" for n in COLUMNS[column][1:4])
        problems.append(
            Problem.of(
                0,
                column,
                _say(
                    gettext_noop("Columns missing: %(column)s (a heading like %(names)s)."),
                    column=column,
                    names=names,
                ),
            )
        )
    if problems:
        raise HeaderProblems(problems)
    return header


class HeaderProblems(ImportFileError):
    """The headings have problems: all of them, at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


def read_table(
    name: str,
    data: bytes,
    mapping: dict[str, str] | None = None,
    warnings: list[Problem] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a file, by known column, with their spreadsheet row numbers."""
    rows = _rows_of(name, data)
    warnings = warnings if warnings is not None else []
    header: list[str | None] | None = None
    first: list[Any] = []
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            if not any(v not in (None, "") for v in values):
                continue
            header = _check_header(values, mapping, warnings)
            first = values
            continue
        if not any(v not in (None, "") for v in values):
            continue
        if len(found) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into parts.") % {"max": MAX_ROWS}
            )
        row = {
            c: v
            for c, v in zip(header, values, strict=False)
            if c is not None and c != TO_DESCRIPTION
        }
        kept = [
            f"{_text(heading)}: {_text(v)}"
            for heading, c, v in zip(first, header, values, strict=False)
            if c == TO_DESCRIPTION and _text(v)
        ]
        if kept:
            row["+description"] = "\n".join(kept)
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


def _labels(
    choices: Iterable[tuple[str, Any]], synonyms: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """Every way of writing each code: the code, its label in Swedish and English, and the
    words people use for it."""
    found: dict[str, str] = {}
    for language in ("en", "sv"):
        with translation.override(language):
            for code, label in choices:
                found[fold(code)] = code
                found[fold(code.replace("_", " "))] = code
                found[fold(str(label))] = code
    for code, words in synonyms.items():
        for word in words:
            found.setdefault(fold(word), code)
    return found


def _accepted(choices: Iterable[tuple[str, Any]]) -> str:
    """What is accepted, for a message: each code with its label."""
    return "; ".join(f"{code} ({label})" for code, label in choices)


def _month_of(text: str) -> datetime.date | None:
    """A month alone: "2025-05", "05/2025", "May 2025", "maj 2025"."""
    folded = fold(text).replace(".", " ").replace(",", " ")
    if match := re.fullmatch(r"(\d{4})[-/ ](\d{1,2})", folded):
        year, month = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})[-/ ](\d{4})", folded):
        year, month = int(match[2]), int(match[1])
    elif (match := re.fullmatch(r"([a-z]+) (\d{4})", folded)) and match[1] in MONTHS:
        year, month = int(match[2]), MONTHS[match[1]]
    else:
        return None
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, 1)


def _day_of(text: str) -> datetime.date | None:
    """A day: 2027-04-19, 19.04.2027, 19/04/2027, 19 April 2027, 19 april 2027, April 19, 2027."""
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        pass
    folded = " ".join(fold(text).replace(",", " ").split())
    try:
        if match := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", folded):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", folded):
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        if (match := re.fullmatch(r"(\d{1,2})\.? ([a-z]+) (\d{4})", folded)) and match[2] in MONTHS:
            return datetime.date(int(match[3]), MONTHS[match[2]], int(match[1]))
        if (match := re.fullmatch(r"([a-z]+) (\d{1,2}) (\d{4})", folded)) and match[1] in MONTHS:
            return datetime.date(int(match[3]), MONTHS[match[1]], int(match[2]))
    except ValueError:
        return None
    return None


class _Row:
    """One row being checked; problems are collected rather than raised."""

    def __init__(
        self, number: int, values: dict[str, Any], problems: list[Problem], warnings: list[Problem]
    ) -> None:
        self.number = number
        self.values = values
        self.problems = problems
        self.warnings = warnings

    def problem(self, column: str, say: Say | str) -> None:
        self.problems.append(Problem.of(self.number, column, say))

    def warning(self, column: str, say: Say | str) -> None:
        self.warnings.append(Problem.of(self.number, column, say))

    def text(self, column: str, required: bool = False) -> str:
        value = _text(self.values.get(column))
        if required and not value:
            self.problem(column, lambda: _("This must be filled in."))
        return value

    def date(
        self, column: str, required: bool = False, month_allowed: bool = False
    ) -> tuple[datetime.date | None, bool]:
        """The date and whether only its month is known."""
        day, approximate = self._date(column, required, month_allowed)
        # Beyond these years a date means nothing here, and the calendar's day after the
        # last one (9999-12-31) would not exist.
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            self.problem(column, lambda: _(OUT_OF_RANGE) % YEARS)
            return None, False
        return day, approximate

    def _date(
        self, column: str, required: bool, month_allowed: bool
    ) -> tuple[datetime.date | None, bool]:
        value = self.values.get(column)
        if isinstance(value, datetime.datetime):
            return value.date(), False
        if isinstance(value, datetime.date):
            return value, False
        text = _text(value)
        if not text:
            if required:
                self.problem(
                    column, lambda: _("This must be filled in, as a date like 2027-04-19.")
                )
            return None, False
        day = _day_of(text)
        if day is not None:
            return day, False
        month = _month_of(text) if month_allowed else None
        if month is not None:
            return month, True
        self.problem(
            column,
            lambda: _("“%(value)s” is not a date; write dates like 2027-04-19.") % {"value": text},
        )
        return None, False

    def money(self, column: str) -> Decimal | None:
        """An amount; None when the file says nothing (not stated is not free)."""
        text = re.sub(r"[\s\u00a0\u202f]", "", _text(self.values.get(column))).replace(",", ".")
        if fold(text) in {
            "free",
            "gratis",
            "none",
            "ingen",
            "nofee",
            "kostnadsfri",
            "kostnadsfritt",
        }:
            return Decimal(0)
        # "150 EUR", "€150", "EUR 150"
        text = re.sub(
            r"^(eur|€|sek|kr|usd|\$|gbp|£)|(eur|€|sek|kr|usd|\$|gbp|£)$", "", text, flags=re.I
        )
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.problem(column, lambda: _("“%(value)s” is not an amount.") % {"value": text})
            return None
        # Finite first: comparing NaN ("NaN" is a Decimal) raises instead of answering.
        if not amount.is_finite() or amount < 0 or amount >= 1_000_000:
            self.problem(column, lambda: _("The amount must be between 0 and 999,999."))
            return None
        return amount.quantize(Decimal("0.01"))

    def count(self, column: str) -> int | None:
        text = _text(self.values.get(column))
        if not text:
            return None
        if not text.isdigit() or int(text) > 100_000:
            self.problem(
                column, lambda: _("“%(value)s” is not a number of places.") % {"value": text}
            )
            return None
        return int(text)

    def flag(self, column: str) -> bool | None:
        """Yes, no, or None when the file says nothing."""
        text = fold(_text(self.values.get(column)))
        if not text:
            return None
        if text in YES:
            return True
        if text not in NO:
            self.problem(
                column,
                lambda: _("Write yes or no (ja or nej), not “%(value)s”.") % {"value": text},
            )
        return False

    def choice(
        self, column: str, known: dict[str, str], accepted: str, required: bool = False
    ) -> str:
        text = _text(self.values.get(column))
        if not text:
            if required:
                self.problem(column, lambda: _("This must be filled in."))
            return ""
        code = known.get(fold(text))
        if code is None:
            self.problem(
                column,
                lambda: (
                    _("“%(value)s” is not one we know. Accepted: %(accepted)s.")
                    % {"value": text, "accepted": accepted}
                ),
            )
            return ""
        return code

    def codes(
        self, column: str, known: dict[str, str], accepted: str, unknown: list[str] | None = None
    ) -> tuple[str, ...]:
        """The codes of a list; words that are none go to `unknown` when given, else they
        are problems."""
        found = []
        for part in re.split(r"[,;|\n/]", _text(self.values.get(column))):
            word = part.strip()
            if not word or fold(word) in ALL_STAFF:
                continue
            code = known.get(fold(word)) or known.get(fold(word).rstrip("s"))
            if code is not None:
                found.append(code)
            elif unknown is not None:
                unknown.append(word)
            else:
                self.problem(
                    column,
                    _say(
                        gettext_noop("“%(value)s” is not one we know. Accepted: %(accepted)s."),
                        value=word,
                        accepted=accepted,
                    ),
                )
        # The stored order is the codes' own: a file listing them in another order is the same.
        return tuple(sorted(dict.fromkeys(found)))


class _Lookups:
    """What rows are checked against, read once per import."""

    def __init__(self) -> None:
        self.kinds = _labels(Opportunity.Kind.choices, SYNONYMS["kind"])
        self.host_kinds = _labels(HostOrganisation.Kind.choices, {})
        self.categories = _labels(StaffCategory.choices, SYNONYMS["staff_categories"])
        self.topics = _labels(Topic.choices, SYNONYMS["topics"])
        self.languages = _labels(Language.choices, SYNONYMS["languages"])
        self.accepted = {
            "kind": _accepted(Opportunity.Kind.choices),
            "host_kind": _accepted(HostOrganisation.Kind.choices),
            "staff_categories": _accepted(StaffCategory.choices),
            "topics": _accepted(Topic.choices),
            "languages": _accepted(Language.choices),
        }
        self.statuses = {
            "draft": Opportunity.Status.DRAFT,
            "utkast": Opportunity.Status.DRAFT,
            "published": Opportunity.Status.PUBLISHED,
            "publicerad": Opportunity.Status.PUBLISHED,
            "": Opportunity.Status.DRAFT,
        }
        self.countries: dict[str, Country] = {}
        by_code = {c.iso2: c for c in Country.objects.all()}
        for country in by_code.values():
            for key in (country.iso2, country.name_sv, country.name_en):
                self.countries[fold(key)] = country
        for item in all_countries():
            if item["iso2"] in by_code:
                for alias in item.get("aliases", ()):
                    self.countries.setdefault(fold(alias), by_code[item["iso2"]])
        self.countries.setdefault("uk", by_code.get("GB"))  # type: ignore[arg-type]
        self.countries = {k: v for k, v in self.countries.items() if v is not None}
        # Countries whose cities the gazetteer knows: elsewhere a city is kept as text only.
        self.with_places = set(Place.objects.values_list("country_id", flat=True).distinct())
        self.hosts_by_code: dict[str, HostOrganisation] = {}
        self.hosts_by_name: dict[tuple[str, str], HostOrganisation] = {}
        self.hosts = list(HostOrganisation.objects.select_related("place"))
        for host in self.hosts:
            if host.erasmus_code:
                self.hosts_by_code[_code_key(host.erasmus_code)] = host
            for name in (host.name, host.local_name):
                if name:
                    self.hosts_by_name.setdefault((fold(name), host.country_id), host)
        self.new_hosts: dict[int, HostOrganisation] = {}
        self.places: dict[tuple[str, str], list[int]] = {}

    def place_ids(self, city: str, country: str) -> list[int]:
        key = (fold(city), country)
        if key not in self.places:
            self.places[key] = list(find_places(city, country).values_list("pk", flat=True))
        return self.places[key]


def _code_key(code: str) -> str:
    return re.sub(r"\s+", "", code).upper()


def similar_hosts(
    host: HostOrganisation, hosts: Iterable[HostOrganisation], limit: int = 3
) -> list[HostOrganisation]:
    """Hosts the catalogue has that may be the same organisation: the same Erasmus code, or
    in the same country with a similar name (more so in the same city)."""
    name = fold(host.name)
    found: list[tuple[float, HostOrganisation]] = []
    for other in hosts:
        if other is host or other.pk is None or other.country_id != host.country_id:
            continue
        if host.erasmus_code and _code_key(other.erasmus_code) == _code_key(host.erasmus_code):
            found.append((2.0, other))
            continue
        ratio = max(
            difflib.SequenceMatcher(None, name, fold(n)).ratio()
            for n in (other.name, other.local_name or other.name)
        )
        if host.place_id is not None and host.place_id == other.place_id:
            ratio += 0.15
        if ratio >= 0.7:
            found.append((ratio, other))
    found.sort(key=lambda pair: -pair[0])
    return [other for _ratio, other in found[:limit]]


def _host(
    row: _Row, lookups: _Lookups, country: Country | None, by: User | None, file_name: str
) -> HostOrganisation | None:
    name = row.text("host")
    code = row.text("host_erasmus_code")
    city = row.text("city")
    host: HostOrganisation | None = None
    if code and _code_key(code) in lookups.hosts_by_code:
        host = lookups.hosts_by_code[_code_key(code)]
    elif not name:
        row.problem("host", lambda: _("This must be filled in: the name of the host organisation."))
        return None
    elif country is None:
        return None
    else:
        host = lookups.hosts_by_name.get((fold(name), country.iso2))
    if host is not None:
        # A host we know: a city in the file that is not its city is said, not ignored.
        if city and host.pk and host.country_id in lookups.with_places:
            known = host.place.name if host.place else ""
            host_name = host.name
            if host.place_id not in lookups.place_ids(city, host.country_id):
                row.warning(
                    "city",
                    lambda: (
                        _(
                            "The file says %(city)s, but %(host)s is in %(known)s in the "
                            "catalogue; the catalogue's city is kept."
                        )
                        % {"city": city, "host": host_name, "known": known or "–"}
                    ),
                )
        return host
    assert country is not None
    # A host the catalogue does not know yet: created with the import, for review.
    place = None
    if city and country.iso2 in lookups.with_places:
        ids = lookups.place_ids(city, country.iso2)
        if ids:
            place = Place.objects.get(pk=ids[0])
        else:
            row.problem(
                "city",
                lambda: (
                    _("We do not know a city called “%(city)s” in %(country)s.")
                    % {"city": city, "country": country.name}
                ),
            )
    default_kind = HostOrganisation.Kind.UNIVERSITY if code else HostOrganisation.Kind.OTHER
    kind = (
        row.choice("host_kind", lookups.host_kinds, lookups.accepted["host_kind"]) or default_kind
    )
    host = HostOrganisation(
        name=name[:255],
        kind=kind,
        country=country,
        place=place,
        erasmus_code=code.upper()[:20],
        status=HostOrganisation.Status.PROPOSED,
        proposed_by=by,
        note=f"Imported from {file_name}"[:500],
    )
    lookups.hosts_by_name[(fold(name), country.iso2)] = host
    lookups.new_hosts[id(host)] = host
    if code:
        lookups.hosts_by_code[_code_key(code)] = host
    return host


# The fields an import writes and compares, in the order the preview lists changes.
COMPARED = (
    "kind",
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "host",
    "start_date",
    "end_date",
    "dates_approximate",
    "deadline",
    "fee",
    "currency",
    "places",
    "accommodation_included",
    "languages",
    "staff_categories",
    "topics",
    "keywords",
    "contact_name",
    "contact_email",
    "registration_url",
    "status",
)


def _value(opportunity: Opportunity, name: str) -> Any:
    if name == "host":
        host = opportunity.host if opportunity.host_id or _has_host(opportunity) else None
        return host.name if host is not None else ""
    value = getattr(opportunity, name)
    if name in {"languages", "staff_categories", "topics"}:
        return tuple(sorted(value or ()))
    return value


def _has_host(opportunity: Opportunity) -> bool:
    return opportunity._state.fields_cache.get("host") is not None


def _snapshot(opportunity: Opportunity) -> dict[str, Any]:
    """The compared values, to tell whether an import changes a stored opportunity (the order
    of a list does not count)."""
    return {name: _value(opportunity, name) for name in COMPARED}


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, tuple):
        return ", ".join(value) or "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _title_key(title: str) -> str:
    return fold(title)


def _opportunity(
    row: _Row,
    lookups: _Lookups,
    existing: dict[str, Opportunity],
    natural: dict[tuple[Any, ...], Opportunity],
    faculty: OrgUnit,
    by: User | None,
    file_name: str,
) -> Opportunity:
    external_id = row.text("external_id")
    country_text = row.text("country", required=True)
    country = lookups.countries.get(fold(country_text)) if country_text else None
    if country_text and country is None:
        row.problem(
            "country",
            lambda: (
                _(
                    "“%(value)s” is not a country we know. Write its name in English or Swedish "
                    "or its ISO code (PT, GE, XK for Kosovo); the template's “allowed values” "
                    "sheet lists them all."
                )
                % {"value": country_text}
            ),
        )
    host = _host(row, lookups, country, by, file_name)
    title_sv, title_en = row.text("title_sv"), row.text("title_en")
    if not title_sv and not title_en:
        row.problem("title_en", lambda: _("Give a title in Swedish, in English or in both."))
    start, approximate = row.date("start_date", month_allowed=True)
    end, end_approximate = row.date("end_date", month_allowed=approximate)
    # No date at all: kept as a draft, to be dated in the catalogue's office and published.
    undated = not _text(row.values.get("start_date")) and not _text(row.values.get("end_date"))
    if start is None and not undated and not _text(row.values.get("start_date")):
        row.problem(
            "start_date",
            lambda: _(
                "This must be filled in, as a date like 2027-04-19 or, when only the month "
                "is known, like 2027-04."
            ),
        )
    if approximate and start is not None:
        # Only the month: the event is somewhere in it (or in the months given).
        last = end or start
        end = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end -= datetime.timedelta(days=1)
    elif start is not None and end is None and not _text(row.values.get("end_date")):
        row.problem("end_date", lambda: _("This must be filled in, as a date like 2027-04-19."))
    elif end_approximate:
        row.problem("end_date", lambda: _("Give the last day as a date, like 2027-04-23."))
    deadline, _deadline_approximate = row.date("deadline")
    if start and end and end < start:
        row.problem(
            "end_date",
            lambda: (
                _("The last day (%(end)s) is before the first day (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()}
            ),
        )
    if start and deadline and deadline > (end or start):
        row.problem("deadline", lambda: _("The deadline is after the first day."))

    opportunity = existing.get(external_id) if external_id else None
    if opportunity is None and not external_id and host is not None and host.pk:
        # A row without dates is matched with a draft without dates (start is None); a row
        # with dates, failing one on its first day, with such a draft (it gets the dates).
        keys = [(host.pk, _title_key(t), start) for t in (title_en, title_sv) if t]
        keys += [(host.pk, _title_key(t), None) for t in (title_en, title_sv) if t and start]
        opportunity = next((natural[key] for key in keys if key in natural), None)
    if opportunity is None:
        opportunity = Opportunity(external_id=external_id[:100])
    if opportunity.pk and opportunity.faculty_id != faculty.pk:
        row.problem(
            "external_id",
            lambda: (
                _("“%(id)s” is curated by another faculty; it cannot be changed from here.")
                % {"id": external_id or opportunity.title}
            ),
        )
    kind = (
        row.choice("kind", lookups.kinds, lookups.accepted["kind"])
        or opportunity.kind
        or Opportunity.Kind.STAFF_WEEK
    )
    unknown_topics: list[str] = []
    topics = row.codes("topics", lookups.topics, lookups.accepted["topics"], unknown_topics)
    keywords = [k.strip() for k in re.split(r"[,;|\n]", row.text("keywords")) if k.strip()]
    keywords = list(dict.fromkeys([*unknown_topics, *keywords]))
    if unknown_topics:
        words = ", ".join(unknown_topics)
        row.warning(
            "topics",
            lambda: _("Kept as keywords (searchable, not a topic): %(words)s.") % {"words": words},
        )
    currency = re.sub(r"[^A-Za-z]", "", row.text("currency")).upper()
    fee_text = row.text("fee")
    if not currency:
        currency = "SEK" if re.search(r"sek|kr", fee_text, re.I) else "EUR"
    registration_url = row.text("registration_url")
    source = row.text("source")
    if not registration_url and source.startswith(("http://", "https://")):
        registration_url = source
    values: dict[str, Any] = {
        "kind": kind,
        "title_sv": title_sv,
        "title_en": title_en,
        "description_sv": row.text("description_sv"),
        "description_en": "\n\n".join(
            part for part in (row.text("description_en"), row.text("+description")) if part
        ),
        "start_date": start,
        "end_date": end,
        "dates_approximate": approximate,
        "deadline": deadline,
        "fee": row.money("fee"),
        "currency": currency[:3],
        "places": row.count("places"),
        "accommodation_included": row.flag("accommodation"),
        "languages": _languages(row, lookups),
        "staff_categories": row.codes(
            "staff_categories", lookups.categories, lookups.accepted["staff_categories"]
        ),
        "topics": topics,
        "keywords": ", ".join(keywords)[:500],
        "contact_name": row.text("contact_name"),
        "contact_email": row.text("contact_email"),
        "registration_url": registration_url,
        "faculty": faculty,
    }
    if undated and opportunity.start_date is not None:
        # The catalogue knows the dates and the file says nothing: they are kept.
        for name in ("start_date", "end_date", "dates_approximate"):
            del values[name]
        undated = False
    status = lookups.statuses.get(fold(row.text("status")))
    if status is None:
        row.problem("status", lambda: _("Write draft or published (utkast or publicerad)."))
    elif undated:
        values["status"] = Opportunity.Status.DRAFT
        row.warning("start_date", lambda: _(UNDATED_NOTE))
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


def _languages(row: _Row, lookups: _Lookups) -> tuple[str, ...]:
    """Working languages; one the catalogue does not list is left out, with a warning."""
    unknown: list[str] = []
    found = row.codes("languages", lookups.languages, lookups.accepted["languages"], unknown)
    if unknown:
        words = ", ".join(unknown)
        accepted = lookups.accepted["languages"]
        row.warning(
            "languages",
            lambda: (
                _("Left out, not a language we list: %(words)s. Accepted: %(accepted)s.")
                % {"words": words, "accepted": accepted}
            ),
        )
    return found


@dataclass
class Checked:
    """The rows as opportunities (new or changed in memory), with what was stored before."""

    opportunities: list[Opportunity]
    problems: list[Problem]
    stored: dict[int, dict[str, Any]]
    warnings: list[Problem] = field(default_factory=list)
    # Row number → what it duplicates ("row 4" or an opportunity's title).
    duplicates: dict[int, str] = field(default_factory=dict)
    new_hosts: list[HostOrganisation] = field(default_factory=list)
    similar: dict[int, list[HostOrganisation]] = field(default_factory=dict)
    shifted: bool = False


def check(
    rows: list[tuple[int, dict[str, Any]]],
    faculty: OrgUnit,
    progress: Progress | None = None,
    by: User | None = None,
    file_name: str = "",
) -> Checked:
    """The opportunities the rows describe, and every problem found in them."""
    lookups = _Lookups()
    ids = [_text(values.get("external_id")) for _number, values in rows]
    related = Opportunity.objects.select_related("host")
    existing = {o.external_id: o for o in related.filter(external_id__in=[i for i in ids if i])}
    # Rows without an id are matched by host, title and first day; duplicates are looked for
    # among the catalogue's opportunities of the same hosts.
    # (Those of the last year and later: a file describes coming events, and the catalogue's
    # history is not read for every import.)
    since = timezone.localdate() - datetime.timedelta(days=400)
    # Drafts without dates too: a row without dates is matched with one of them.
    recent = Q(end_date__gte=since) | Q(end_date__isnull=True, status=Opportunity.Status.DRAFT)
    nearby = list(related.filter(recent).exclude(status=Opportunity.Status.CANCELLED))
    natural: dict[tuple[Any, ...], Opportunity] = {}
    for o in nearby:
        for title in (o.title_en, o.title_sv):
            if title:
                natural.setdefault((o.host_id, _title_key(title), o.start_date), o)
    stored = {o.pk: _snapshot(o) for o in [*existing.values(), *nearby]}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    first_row: dict[str, int] = {}
    opportunities: list[Opportunity] = []
    for done, (number, values) in enumerate(rows, start=1):
        row = _Row(number, values, problems, warnings)
        external_id = _text(values.get("external_id"))
        if external_id in first_row:
            row.problem(
                "external_id",
                _say(
                    gettext_noop("The id “%(id)s” is used in row %(row)s already."),
                    id=external_id,
                    row=first_row[external_id],
                ),
            )
        elif external_id:
            first_row[external_id] = number
        opportunities.append(_opportunity(row, lookups, existing, natural, faculty, by, file_name))
        if progress:
            progress(done, len(rows))
    checked = Checked(opportunities, problems, stored, warnings)
    _find_duplicates(rows, checked, nearby)
    checked.new_hosts = list(lookups.new_hosts.values())
    for host in checked.new_hosts:
        checked.similar[id(host)] = similar_hosts(host, lookups.hosts)
    # Shifted ids: many matched events would get another title or host.
    matched = [o for o in opportunities if o.pk and o.pk in stored and o.external_id]
    moved = [
        o
        for o in matched
        if _value(o, "host") != stored[o.pk]["host"]
        or (
            _title_key(o.title_en) != _title_key(stored[o.pk]["title_en"])
            and _title_key(o.title_sv) != _title_key(stored[o.pk]["title_sv"])
        )
    ]
    checked.shifted = len(moved) >= SHIFTED_AT_LEAST and len(moved) >= SHIFTED_SHARE * len(matched)
    return checked


def _find_duplicates(
    rows: list[tuple[int, dict[str, Any]]], checked: Checked, nearby: list[Opportunity]
) -> None:
    """Rows that repeat another row, or an opportunity the catalogue has under another id:
    the same host and dates, or the same host, title and year; a row without dates, the same
    host and title (dated or not)."""

    def who(o: Opportunity) -> Any:
        host = o.host if _has_host(o) else None
        return None if host is None else host.pk or id(host)

    def titles(o: Opportunity) -> list[tuple[Any, ...]]:
        """Every opportunity is registered by host and title; only one without dates is
        looked up so (two dated ones of the same title are two years of one event)."""
        return [("title", who(o), _title_key(t)) for t in (o.title_en, o.title_sv) if t]

    def keys(o: Opportunity) -> list[tuple[Any, ...]]:
        if who(o) is None:
            return []
        if o.start_date is None:
            return titles(o)
        found: list[tuple[Any, ...]] = [("dates", who(o), o.start_date, o.end_date)]
        for title in (o.title_en, o.title_sv):
            if title:
                found.append(("title", who(o), _title_key(title), o.start_date.year))
        return found

    def registered(o: Opportunity) -> list[tuple[Any, ...]]:
        return [*keys(o), *titles(o)] if o.start_date is not None and who(o) else keys(o)

    in_catalogue: dict[tuple[Any, ...], Opportunity] = {}
    for o in nearby:
        for key in registered(o):
            in_catalogue.setdefault(key, o)
    in_file: dict[tuple[Any, ...], int] = {}
    bad_rows = {p.row for p in checked.problems}
    for (number, _values), o in zip(rows, checked.opportunities, strict=True):
        if number in bad_rows:
            continue
        for key in keys(o):
            if key in in_file:
                checked.duplicates[number] = _("row %(row)s") % {"row": in_file[key]}
                break
            twin = in_catalogue.get(key)
            if twin is not None and twin.pk != o.pk:
                checked.duplicates[number] = twin.title
                break
        else:
            for key in registered(o):
                in_file.setdefault(key, number)


# ---------------------------------------------------------------------------------------------
# Saving


def _outcomes(
    rows: list[tuple[int, dict[str, Any]]], checked: Checked, report: Report
) -> list[Opportunity]:
    """Fill the report's counts and preview lines; the opportunities to save."""
    refused = {p.row for p in checked.problems}
    to_save: list[Opportunity] = []
    for (number, _values), o in zip(rows, checked.opportunities, strict=True):
        title = o.title_en or o.title_sv
        line: dict[str, Any] = {"row": number, "title": title, "changes": []}
        if number in refused:
            line["outcome"] = "refused"
            report.refused += 1
        elif number in checked.duplicates:
            line["outcome"] = "duplicate"
            line["duplicate_of"] = checked.duplicates[number]
            report.duplicates += 1
        else:
            if o.start_date is None:
                line["undated"] = True
                _message, line["note_sv"], line["note_en"] = _both(_say(UNDATED_NOTE))
                report.drafts += 1
            if not o.pk:
                line["outcome"] = "new"
                report.created += 1
                to_save.append(o)
                report.outcomes.append(line)
                continue
            before = checked.stored.get(o.pk, {})
            after = _snapshot(o)
            changes = [
                [name, _shown(before.get(name)), _shown(after[name])]
                for name in COMPARED
                if before.get(name) != after[name]
            ]
            if changes:
                line["outcome"] = "changed"
                line["changes"] = changes
                report.updated += 1
                to_save.append(o)
            else:
                line["outcome"] = "unchanged"
                report.unchanged += 1
        report.outcomes.append(line)
    used = {id(o.host) for o in to_save if _has_host(o) and o.host.pk is None}
    for host in checked.new_hosts:
        if id(host) not in used:
            continue
        report.hosts.append(
            {
                "name": host.name,
                "country": host.country.name,
                "city": host.place.name if host.place else "",
                "similar": [other.name for other in checked.similar.get(id(host), [])],
            }
        )
    report.hosts_created = len(report.hosts)
    return to_save


def import_rows(
    *,
    rows: list[tuple[int, dict[str, Any]]],
    faculty: OrgUnit,
    by: User | None,
    check_only: bool = False,
    all_or_nothing: bool = True,
    progress: Progress | None = None,
    file_name: str = "",
    warnings: list[Problem] | None = None,
) -> Report:
    """Check the rows and, unless asked to check only, save them (all or nothing).

    Duplicates (of another row or of an opportunity the catalogue has) are never saved; a
    file whose ids look shifted by a row is refused as a whole.
    """
    report = Report(rows=len(rows))
    checked = check(rows, faculty, progress, by=by, file_name=file_name)
    report.problems = checked.problems
    report.warnings = [*(warnings or []), *checked.warnings]
    report.shifted = checked.shifted
    if checked.shifted:
        report.problems.insert(
            0,
            Problem.of(
                0,
                "external_id",
                lambda: _(
                    "Many events would get another title or host: the ids are probably "
                    "shifted by a row. Nothing is saved; check the id column."
                ),
            ),
        )
    good = _outcomes(rows, checked, report)
    if check_only or checked.shifted or (report.problems and all_or_nothing):
        return report
    with transaction.atomic():
        new_hosts = {id(o.host): o.host for o in good if o.host.pk is None}
        for host in new_hosts.values():
            curation.save_host(host=host, by=by)
        for opportunity in good:
            # Assigned while the host had no id yet: assign again to copy its new id.
            opportunity.host = opportunity.host
        if good:
            curation.save_opportunities(opportunities=good, by=by)
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
    mapping: dict[str, str] | None = None,
) -> Report:
    """Read a CSV or XLSX file and import it; a file that cannot be read is its problems."""
    warnings: list[Problem] = []
    try:
        rows = read_table(name, data, mapping, warnings)
    except HeaderProblems as error:
        return Report(problems=error.problems, warnings=warnings)
    except ImportFileError as error:
        return Report(problems=[Problem.of(0, "", str(error))])
    return import_rows(
        rows=rows,
        faculty=faculty,
        by=by,
        check_only=check_only,
        all_or_nothing=all_or_nothing,
        progress=progress,
        file_name=name,
        warnings=warnings,
    )


EXAMPLE = {
    "external_id": "porto-2027-library",
    "kind": "staff_week",
    "title_sv": "Biblioteksvecka i Porto",
    "title_en": "Library Week Porto",
    "host": "University of Porto",
    "country": "PT",
    "city": "Porto",
    "start_date": "2027-04-19",
    "end_date": "2027-04-23",
    "deadline": "2027-02-15",
    "fee": "150",
    "currency": "EUR",
    "places": "25",
    "accommodation": "no",
    "languages": "en, pt",
    "staff_categories": "librarian",
    "topics": "library, open_science",
    "keywords": "makerspace",
    "registration_url": "https://example.org/staff-week",
    "status": "draft",
}


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = [c for c in COLUMNS if c != "source"]
    writer.writerow(columns)
    writer.writerow([EXAMPLE.get(c, "") for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def allowed_values() -> list[tuple[str, str, str, str]]:
    """Column, code, Swedish name, English name: what the template's second sheet lists."""
    found: list[tuple[str, str, str, str]] = []
    for column, choices in (
        ("kind", Opportunity.Kind.choices),
        ("host_kind", HostOrganisation.Kind.choices),
        ("staff_categories", StaffCategory.choices),
        ("topics", Topic.choices),
        ("languages", Language.choices),
    ):
        for code, label in choices:
            with translation.override("sv"):
                swedish = str(label)
            with translation.override("en"):
                english = str(label)
            found.append((column, code, swedish, english))
    found += [("accommodation", "yes", "ja", "yes"), ("accommodation", "no", "nej", "no")]
    found += [
        ("status", "draft", "utkast", "draft"),
        ("status", "published", "publicerad", "published"),
    ]
    for country in Country.objects.order_by("iso2"):
        found.append(("country", country.iso2, country.name_sv, country.name_en))
    return found


def template_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "opportunities"
    columns = [c for c in COLUMNS if c != "source"]
    sheet.append(columns)
    sheet.append([EXAMPLE.get(c, "") for c in columns])
    values = workbook.create_sheet("allowed values")
    values.append(["column", "code", "svenska", "English"])
    for row in allowed_values():
        values.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_json(report: Report) -> dict[str, Any]:
    """The report for scripts: the counts, and the problems and warnings in both languages."""

    def one(p: Problem) -> dict[str, Any]:
        return {
            "row": p.row,
            "column": p.column,
            "message_sv": p.message_sv,
            "message_en": p.message_en,
        }

    return {
        **report.counts(),
        "saved": report.saved,
        "shifted_ids": report.shifted,
        "problems": [one(p) for p in report.problems],
        "warnings": [one(p) for p in report.warnings],
        "hosts": report.hosts,
        "rows_detail": report.outcomes,
    }


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
