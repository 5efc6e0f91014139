"""The EU Beneficiary Module import file: completed staff-training mobilities through a
versioned column mapping kept as data (`ExportMapping`), and a pre-check that lists, in
plain language, every row the EU's tool would refuse, before anything is exported.

The BM's own KA131 column list could not be read (see /work/shared/reference, §5): the first
mapping is built from the documented fields; when the office downloads the current template,
it adds a new mapping version with its headers, and the old one stays.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.models import CallYear
from utsikt.mobility.models import Application, ApplicationQuerySet, Status, TravelMode
from utsikt.reporting.models import ExportMapping, Project

EXPORTED = (Status.COMPLETED, Status.SETTLED)
ACTIVITY_TYPE = "HE-STT"  # staff mobility for training, KA131-HED
# An Erasmus+ Organisation ID: E and eight digits (E10208734).
OID = re.compile(r"^E\d{8}$")
# KA131 projects run 26 months from 1 June of the call year.
PROJECT_MONTHS = 26


def eu_date(day: datetime.date | None) -> str:
    """A date as the BM's import reads it: DD-MM-YYYY."""
    return day.strftime("%d-%m-%Y") if day else ""


def project_window(call_year: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(call_year, 6, 1)
    months = start.month - 1 + PROJECT_MONTHS
    first_after = datetime.date(call_year + months // 12, months % 12 + 1, 1)
    return start, first_after - datetime.timedelta(days=1)


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# What a mapping's column may take its value from: a name and how to read it from a row.
SOURCES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "mobility_id": lambda r: f"LU-MOB-{r['pk']:06d}",
    "grant_agreement_number": lambda r: r["grant_agreement_number"] or "",
    "sending_oid": lambda r: r["sending_oid"] or "",
    "first_name": lambda r: r["applicant__first_name"],
    "last_name": lambda r: r["applicant__last_name"],
    "email": lambda r: r["applicant__email"],
    "receiving_oid": lambda r: r["host_oid"] or "",
    "receiving_name": lambda r: r["host_name"] or "",
    "receiving_country": lambda r: r["host_country"] or "",
    "receiving_city": lambda r: r["host_city"] or "",
    "start": lambda r: eu_date(r["start"]),
    "end": lambda r: eu_date(r["end"]),
    "duration_days": lambda r: _duration(r) or "",
    "travel_days": lambda r: r["travel_days"] if r["travel_days"] is not None else "",
    "green_travel": lambda r: _yes_no(r["travel_mode"] in TravelMode.green()),
    "blended": lambda r: _yes_no(bool(r["virtual_start"] or r["virtual_description"])),
    "first_time": lambda r: _yes_no(r["first_time"]),
}

FIRST_MAPPING: dict[str, Any] = {
    "version": "KA131-2024-11",
    "valid_from": "2024-11-06",
    "note": "From the documented BM fields; replace with the downloaded template's headers.",
    "columns": [
        {"header": "Mobility Activity ID", "source": "mobility_id", "required": True},
        {"header": "Grant Agreement No.", "source": "grant_agreement_number", "required": True},
        {"header": "Activity Type", "value": ACTIVITY_TYPE, "required": True},
        {"header": "Participant First Name", "source": "first_name", "required": True},
        {"header": "Participant Last Name", "source": "last_name", "required": True},
        {"header": "Participant Email", "source": "email", "required": True},
        {"header": "Sending Organisation OID", "source": "sending_oid", "required": True},
        {"header": "Receiving Organisation OID", "source": "receiving_oid", "required": True},
        {"header": "Receiving Organisation Name", "source": "receiving_name", "required": False},
        {"header": "Receiving Country", "source": "receiving_country", "required": True},
        {"header": "Receiving City", "source": "receiving_city", "required": True},
        {"header": "Start Date", "source": "start", "required": True},
        {"header": "End Date", "source": "end", "required": True},
        {"header": "Duration (days)", "source": "duration_days", "required": True},
        {"header": "Funded Travel Days", "source": "travel_days", "required": False},
        {"header": "Green Travel", "source": "green_travel", "required": True},
        {"header": "Blended Mobility", "source": "blended", "required": True},
        {"header": "Participant With Fewer Opportunities", "value": "No", "required": False},
    ],
}


def _duration(row: dict[str, Any]) -> int | None:
    if row["start"] is None or row["end"] is None:
        return None
    return int((row["end"] - row["start"]).days) + 1


def current_mapping() -> ExportMapping:
    """The newest mapping; the first one is made if there is none."""
    found = ExportMapping.objects.first()
    if found is not None:
        return found
    mapping, _created = ExportMapping.objects.get_or_create(
        version=FIRST_MAPPING["version"],
        defaults={
            "valid_from": datetime.date.fromisoformat(str(FIRST_MAPPING["valid_from"])),
            "note": FIRST_MAPPING["note"],
            "columns": FIRST_MAPPING["columns"],
        },
    )
    return mapping


def exported(applications: ApplicationQuerySet) -> ApplicationQuerySet:
    """The completed staff-training mobilities, with what a row needs, in one query."""
    hosts = Application.hosts.through.objects.filter(application=OuterRef("pk")).order_by("id")

    def first_host(field: str) -> Subquery:
        return Subquery(hosts.values(f"hostorganisation__{field}")[:1])

    projects = Project.objects.filter(call_year=OuterRef("call_year"))
    return (
        applications.filter(status__in=EXPORTED)
        .annotate(
            host_oid=first_host("oid"),
            host_name=first_host("name"),
            host_country=first_host("country"),
            host_city=first_host("place__name"),
            grant_agreement_number=Subquery(projects.values("grant_agreement_number")[:1]),
            sending_oid=Subquery(projects.values("sending_oid")[:1]),
        )
        .order_by("pk")
    )


ROW_FIELDS = (
    "pk",
    "call_year",
    "applicant__first_name",
    "applicant__last_name",
    "applicant__email",
    "start",
    "end",
    "travel_days",
    "travel_mode",
    "virtual_start",
    "virtual_description",
    "first_time",
    "host_oid",
    "host_name",
    "host_country",
    "host_city",
    "grant_agreement_number",
    "sending_oid",
)


APPLICATION_FIELDS = ROW_FIELDS[:12]


def raw_rows(applications: ApplicationQuerySet) -> Iterator[dict[str, Any]]:
    """The rows as `exported` gives them, read in chunks (memory stays flat).

    Each mobility's first host is found by one subquery (its id), and the hosts and the
    projects, a few dozen rows at most, are read once beside it: not six subqueries per
    mobility as `exported`'s annotations would cost."""
    chosen = applications.filter(status__in=EXPORTED)
    through = Application.hosts.through.objects
    first_host = through.filter(application=OuterRef("pk")).order_by("id")
    hosts = {
        host["pk"]: host
        for host in HostOrganisation.objects.filter(
            pk__in=through.filter(application__in=chosen).values("hostorganisation_id")
        ).values("pk", "oid", "name", "country", "place__name")
    }
    projects = {
        project.call_year: (project.grant_agreement_number, project.sending_oid)
        for project in Project.objects.all()
    }
    found = (
        chosen.annotate(first_host=Subquery(first_host.values("hostorganisation_id")[:1]))
        .order_by("pk")
        .values(*APPLICATION_FIELDS, "first_host")
        .iterator(chunk_size=2000)
    )
    for row in found:
        host = hosts.get(row.pop("first_host"))
        number, oid = projects.get(row["call_year"], (None, None))
        row.update(
            host_oid=host["oid"] if host else None,
            host_name=host["name"] if host else None,
            host_country=host["country"] if host else None,
            host_city=host["place__name"] if host else None,
            grant_agreement_number=number,
            sending_oid=oid,
        )
        yield row


def cells(mapping: ExportMapping, row: dict[str, Any]) -> list[Any]:
    found = []
    for column in mapping.column_list:
        if "value" in column:
            found.append(column["value"])
        else:
            reader = SOURCES.get(str(column.get("source", "")))
            found.append(reader(row) if reader else "")
    return found


@dataclass(frozen=True)
class Refusal:
    """A row the EU's tool would refuse, and why, in plain language."""

    pk: int
    mobility_id: str
    name: str
    reasons: list[str]


def _limits() -> dict[int, tuple[int, int]]:
    return {
        year.year: (year.programme_min_days, year.programme_max_days)
        for year in CallYear.objects.all()
    }


def _fixed(value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda _row: value


def _required(mapping: ExportMapping) -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    """The mapping's required columns, each with how its value is read from a row."""
    found: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
    for column in mapping.column_list:
        if not column.get("required"):
            continue
        if "value" in column:
            found.append((str(column["header"]), _fixed(column["value"])))
        else:
            reader = SOURCES.get(str(column.get("source", "")))
            found.append((str(column["header"]), reader or (lambda _row: "")))
    return found


class _Checker:
    """The pre-check of one mapping, made once and applied row by row: the required columns
    and the project windows are worked out once, not for every one of the rows."""

    def __init__(self, mapping: ExportMapping, limits: dict[int, tuple[int, int]]) -> None:
        self.required = _required(mapping)
        self.limits = limits
        self.windows: dict[int, tuple[datetime.date, datetime.date]] = {}

    def window(self, call_year: int) -> tuple[datetime.date, datetime.date]:
        if call_year not in self.windows:
            self.windows[call_year] = project_window(call_year)
        return self.windows[call_year]

    def reasons(self, row: dict[str, Any]) -> list[str]:
        reasons = []
        for header, reader in self.required:
            if reader(row) in ("", None):
                reasons.append(_("“%(field)s” is empty.") % {"field": header})
        days = _duration(row)
        shortest, longest = self.limits.get(row["call_year"], (2, 60))
        if days is not None and not shortest <= days <= longest:
            reasons.append(
                _(
                    "The activity lasts %(days)s days; the programme funds %(shortest)s to "
                    "%(longest)s."
                )
                % {"days": days, "shortest": shortest, "longest": longest}
            )
        for whose, oid in (("host", row["host_oid"]), ("lund", row["sending_oid"])):
            if oid and not OID.match(oid):
                label = _("the host's") if whose == "host" else _("Lund University's")
                reasons.append(
                    _(
                        "%(whose)s organisation ID “%(oid)s” is not one the EU gives "
                        "(E and eight digits)."
                    )
                    % {"whose": label, "oid": oid}
                )
        first, last = self.window(row["call_year"])
        outside = (row["start"] and row["start"] < first) or (row["end"] and row["end"] > last)
        if outside:
            reasons.append(
                _("The dates lie outside the project of %(year)s (%(first)s to %(last)s).")
                % {"year": row["call_year"], "first": eu_date(first), "last": eu_date(last)}
            )
        return [reason[:1].upper() + reason[1:] for reason in reasons]


def reasons_for(
    mapping: ExportMapping, row: dict[str, Any], limits: dict[int, tuple[int, int]]
) -> list[str]:
    """Why the BM would refuse this row, in plain language; empty when it would take it."""
    return _Checker(mapping, limits).reasons(row)


def refusals(mapping: ExportMapping, applications: ApplicationQuerySet) -> Iterator[Refusal]:
    """Every row the BM would refuse, one by one as the rows are read: a required field
    empty, a duration the programme does not fund, an organisation ID the EU cannot know,
    dates outside the project."""
    checker = _Checker(mapping, _limits())
    for row in raw_rows(applications):
        reasons = checker.reasons(row)
        if reasons:
            yield Refusal(
                pk=row["pk"],
                mobility_id=SOURCES["mobility_id"](row),
                name=f"{row['applicant__first_name']} {row['applicant__last_name']}".strip(),
                reasons=reasons,
            )


def precheck(mapping: ExportMapping, applications: ApplicationQuerySet) -> list[Refusal]:
    """Every refusal, as a list (see `refusals`)."""
    return list(refusals(mapping, applications))


def file_rows(
    mapping: ExportMapping, applications: ApplicationQuerySet, *, passing_only: bool = False
) -> Iterator[list[Any]]:
    """The file's rows as the mapping writes them; with `passing_only`, those the BM takes."""
    checker = _Checker(mapping, _limits() if passing_only else {})
    for row in raw_rows(applications):
        if passing_only and checker.reasons(row):
            continue
        yield cells(mapping, row)
