"""The International Offices as every page's footer and the contact pages show them.

All offices and the department → faculty map are read once per pages revision and process
(a handful of rows), so the footer costs no query on an ordinary page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from utsikt.accounts.models import OrgUnit
from utsikt.core import cache, revision
from utsikt.core.language import in_language
from utsikt.pages.models import UNIVERSITY_OFFICE, Office

REVISION = "pages"
_offices = cache.RevisionCache(size=8)


@dataclass(frozen=True)
class OfficeCard:
    """What the footer shows of an office, in both languages."""

    code: str
    name_sv: str
    name_en: str
    email: str
    phone: str
    visiting_address: str
    postal_address: str

    @property
    def name(self) -> str:
        return in_language(self.name_sv, self.name_en)


@dataclass(frozen=True)
class Directory:
    by_code: dict[str, OfficeCard]
    faculty_of_department: dict[int, str]


def _load() -> Directory:
    by_code = {
        office.code: OfficeCard(
            code=office.code,
            name_sv=office.name_sv,
            name_en=office.name_en,
            email=office.email,
            phone=office.phone,
            visiting_address=office.visiting_address,
            postal_address=office.postal_address,
        )
        for office in Office.objects.select_related("faculty")
    }
    units = OrgUnit.objects.filter(
        Q(kind=OrgUnit.Kind.DEPARTMENT) | Q(kind=OrgUnit.Kind.FACULTY)
    ).values_list("pk", "kind", "code", "parent_id")
    faculties = {pk: code for pk, kind, code, _ in units if kind == OrgUnit.Kind.FACULTY}
    departments = {
        pk: faculties[parent]
        for pk, kind, _, parent in units
        if kind == OrgUnit.Kind.DEPARTMENT and parent in faculties
    }
    return Directory(by_code=by_code, faculty_of_department={**departments, **faculties})


def directory() -> Directory:
    key = cache.cache_key(revision.current(REVISION), "offices")
    return _offices.get_or_compute(key, _load)


def university_office() -> OfficeCard:
    """The university's office as the settings describe it: a visitor's page needs no query."""
    return OfficeCard(
        code=UNIVERSITY_OFFICE,
        name_sv=settings.UTSIKT_OFFICE_NAME,
        name_en=settings.UTSIKT_OFFICE_NAME_EN,
        email=settings.UTSIKT_OFFICE_EMAIL,
        phone=settings.UTSIKT_OFFICE_PHONE,
        visiting_address=settings.UTSIKT_OFFICE_VISITING_ADDRESS,
        postal_address=settings.UTSIKT_OFFICE_POSTAL_ADDRESS,
    )


def for_footer(user: Any) -> OfficeCard:
    """The person's faculty's office when it has one, else the university's (visitors)."""
    if user is not None and user.is_authenticated and user.department_id:
        found = directory()
        code = found.faculty_of_department.get(user.department_id)
        if code and code in found.by_code:
            return found.by_code[code]
    return university_office()
