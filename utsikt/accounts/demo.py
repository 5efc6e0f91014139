"""The demo organisation and its invented personas, one for every role.

The same personas serve the tests (see conftest.py), so what a test proves holds for the demo.
Loading is idempotent: units and people are found by code and e-mail address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from utsikt.accounts.factories import (
    DepartmentFactory,
    FacultyFactory,
    RoleFactory,
    UniversityFactory,
    UserFactory,
)
from utsikt.accounts.models import OrgUnit, RoleAssignment, StaffCategory, User

DEMO_PASSWORD = "utsikt-demo"  # noqa: S105 - invented people on a local demo only
Role = RoleAssignment.Role

FACULTIES = {
    "ht": (
        "Humanistiska och teologiska fakulteterna",
        "Joint Faculties of Humanities and Theology",
        "international.ht@example.org",
    ),
    "s": (
        "Samhällsvetenskapliga fakulteten",
        "Faculty of Social Sciences",
        "international.s@example.org",
    ),
}

DEPARTMENTS = {
    "ht-libraries": ("ht", "HT-biblioteken", "HT Libraries"),
    "sol": ("ht", "Språk- och litteraturcentrum", "Centre for Languages and Literature"),
    "kultur": ("ht", "Institutionen för kulturvetenskaper", "Department of Cultural Sciences"),
    "svet": ("s", "Statsvetenskapliga institutionen", "Department of Political Science"),
    "soc": ("s", "Sociologiska institutionen", "Department of Sociology"),
}


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    first_name: str
    last_name: str
    department: str
    category: str
    title: str
    manager: str | None = None
    roles: tuple[tuple[str, str], ...] = ()
    superuser: bool = False
    had_grant_before: bool = False
    language: str = "sv"


PERSONAS = [
    Persona(
        "head_libraries",
        "karin.ek@example.org",
        "Karin",
        "Ek",
        "ht-libraries",
        StaffCategory.MANAGER,
        "Biblioteksföreståndare",
        roles=((Role.MANAGER, "ht-libraries"),),
    ),
    Persona(
        "head_kultur",
        "magnus.dahl@example.org",
        "Magnus",
        "Dahl",
        "kultur",
        StaffCategory.TEACHER,
        "Prefekt",
        roles=((Role.MANAGER, "kultur"),),
    ),
    Persona(
        "head_sol",
        "helena.strom@example.org",
        "Helena",
        "Ström",
        "sol",
        StaffCategory.RESEARCHER,
        "Prefekt",
        roles=((Role.MANAGER, "sol"),),
    ),
    Persona(
        "head_svet",
        "per.sandberg@example.org",
        "Per",
        "Sandberg",
        "svet",
        StaffCategory.TEACHER,
        "Prefekt",
        roles=((Role.MANAGER, "svet"),),
    ),
    Persona(
        "head_soc",
        "annika.lund@example.org",
        "Annika",
        "Lund",
        "soc",
        StaffCategory.RESEARCHER,
        "Prefekt",
        roles=((Role.MANAGER, "soc"),),
    ),
    Persona(
        "librarian",
        "maja.lindqvist@example.org",
        "Maja",
        "Lindqvist",
        "ht-libraries",
        StaffCategory.LIBRARIAN,
        "Bibliotekarie",
        manager="head_libraries",
    ),
    Persona(
        "economist",
        "jonas.berg@example.org",
        "Jonas",
        "Berg",
        "kultur",
        StaffCategory.ECONOMIST,
        "Ekonom",
        manager="head_kultur",
        had_grant_before=True,
    ),
    Persona(
        "study_adviser",
        "elin.nystrom@example.org",
        "Elin",
        "Nyström",
        "sol",
        StaffCategory.STUDY_ADVISER,
        "Studievägledare",
        manager="head_sol",
        language="en",
    ),
    Persona(
        "it_technician",
        "sara.holm@example.org",
        "Sara",
        "Holm",
        "svet",
        StaffCategory.IT_TECHNICIAN,
        "IT-tekniker",
        manager="head_svet",
    ),
    Persona(
        "deputy_kultur",
        "lena.oberg@example.org",
        "Lena",
        "Öberg",
        "kultur",
        StaffCategory.ADMINISTRATOR,
        "Administrativ chef",
        manager="head_kultur",
        roles=((Role.DEPUTY, "kultur"),),
    ),
    Persona(
        "officer_ht",
        "sofia.almgren@example.org",
        "Sofia",
        "Almgren",
        "sol",
        StaffCategory.INTERNATIONAL_COORDINATOR,
        "Internationell handläggare",
        manager="head_sol",
        roles=((Role.OFFICER, "ht"),),
    ),
    Persona(
        "officer_s",
        "ahmed.karimi@example.org",
        "Ahmed",
        "Karimi",
        "svet",
        StaffCategory.INTERNATIONAL_COORDINATOR,
        "Senior International Officer",
        manager="head_svet",
        roles=((Role.OFFICER, "s"),),
        language="en",
    ),
    Persona(
        "finance_ht",
        "oskar.falk@example.org",
        "Oskar",
        "Falk",
        "kultur",
        StaffCategory.ECONOMIST,
        "Institutionsekonom",
        manager="head_kultur",
        roles=((Role.FINANCE, "kultur"), (Role.FINANCE, "ht-libraries"), (Role.FINANCE, "sol")),
    ),
    Persona(
        "finance_s",
        "ida.wik@example.org",
        "Ida",
        "Wik",
        "soc",
        StaffCategory.ECONOMIST,
        "Ekonom",
        manager="head_soc",
        roles=((Role.FINANCE, "svet"), (Role.FINANCE, "soc")),
    ),
    Persona(
        "admin",
        "admin@example.org",
        "Alva",
        "Admin",
        "ht-libraries",
        StaffCategory.ADMINISTRATOR,
        "Systemförvaltare",
        manager="head_libraries",
        superuser=True,
    ),
]


def load_organisation() -> dict[str, OrgUnit]:
    """The university, its two demo faculties and their departments, by code."""
    university = UniversityFactory.create()
    units: dict[str, OrgUnit] = {university.code: university}
    for code, (name_sv, name_en, email) in FACULTIES.items():
        units[code] = FacultyFactory.create(
            code=code,
            parent=university,
            name_sv=name_sv,
            name_en=name_en,
            office_name_sv=f"Internationella kontoret, {name_sv}",
            office_name_en=f"International Office, {name_en}",
            office_email=email,
        )
    for code, (faculty, name_sv, name_en) in DEPARTMENTS.items():
        units[code] = DepartmentFactory.create(
            code=code, parent=units[faculty], name_sv=name_sv, name_en=name_en
        )
    return units


def load_personas(units: dict[str, OrgUnit]) -> dict[str, User]:
    """Every persona with department, manager and roles, by key."""
    people: dict[str, User] = {}
    # Every persona has the same password: hashed once, not once per persona. With the
    # production hasher (PBKDF2, over a million iterations) each hash took some 0.6 s of CPU,
    # nine seconds of every `load_demo` (`make run`, and the platform tests' site).
    hashed = make_password(DEMO_PASSWORD)
    for persona in PERSONAS:
        people[persona.key] = UserFactory.create(
            email=persona.email,
            first_name=persona.first_name,
            last_name=persona.last_name,
            department=units[persona.department],
            staff_category=persona.category,
            job_title=persona.title,
            had_grant_before=persona.had_grant_before,
            language=persona.language,
            is_superuser=persona.superuser,
            is_staff=persona.superuser,
            password=DEMO_PASSWORD,
            password__hashed=hashed,
        )
    for persona in PERSONAS:
        person = people[persona.key]
        if persona.manager and person.manager_id != people[persona.manager].pk:
            person.manager = people[persona.manager]
            person.save(update_fields=["manager"])
        for role, unit in persona.roles:
            RoleFactory.create(user=person, role=role, unit=units[unit])
    return people


def load() -> dict[str, User]:
    """Load the demo organisation and personas; safe to run again."""
    return load_personas(load_organisation())
