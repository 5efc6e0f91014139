"""Demo applications in several states, so that every role's page has something to show."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from utsikt.accounts.models import OrgUnit, User
from utsikt.core.actors import Actor
from utsikt.grants import estimates
from utsikt.mobility import workflow
from utsikt.mobility.estimate import Estimated, estimate
from utsikt.mobility.factories import PORTO, application, host
from utsikt.mobility.models import Application, FacultyBudget

BUDGETS_EUR = {"ht": 60000, "s": 45000}

# Each demo person's plan in their own words, about their own work (Elin writes in English).
TEXTS: dict[str, dict[str, str]] = {
    "maja.lindqvist": {
        "objectives": "Lära mig hur universitetsbiblioteket i Porto driver sin tjänst för "
        "forskningsdata, från rådgivning till publicering.",
        "added_value": "HT-biblioteken startar en liknande tjänst nästa år; jag tar med mig "
        "rutiner och erfarenheter hem.",
        "activities": "Jobbskugga databibliotekarierna och delta i deras konsultationer med "
        "forskare.",
        "outcomes": "Ett förslag till arbetsgång för vår egen tjänst, som jag presenterar för "
        "kollegorna.",
        "work_cover": "Min kollega Anna tar informationsdisken.",
    },
    # Her second plan, sent to her manager: what Karin Ek finds waiting for her decision.
    "maja.lindqvist/leuven": {
        "objectives": "Se hur KU Leuvens bibliotek hjälper forskare att skriva "
        "datahanteringsplaner och publicera forskningsdata öppet.",
        "added_value": "HT-biblioteken ska ge forskarna samma stöd; jag tar med mig deras "
        "mallar och hur de delar upp arbetet med IT-avdelningen.",
        "activities": "Jobbskugga bibliotekets team för forskningsdata i en vecka och delta i "
        "en workshop för doktorander.",
        "outcomes": "En första version av vår vägledning för datahanteringsplaner.",
        "work_cover": "Min kollega Anna tar informationsdisken.",
    },
    "jonas.berg": {
        "objectives": "Lära mig hur ett stort europeiskt universitet följer upp "
        "institutionernas budget och externa bidrag under året.",
        "added_value": "Institutionen för kulturvetenskaper ser över sin uppföljning av "
        "projektmedel; jag tar med mig deras rapportmallar och prognosmodell.",
        "activities": "Delta i Staff Weekens workshoppar om ekonomistyrning och besöka "
        "ekonomiavdelningen.",
        "outcomes": "En förbättrad månadsrapport för institutionens projekt och ett nätverk "
        "av ekonomer att jämföra med.",
        "work_cover": "Ekonomigruppen fördelar mina attesteringar den veckan.",
    },
    "elin.nystrom": {
        "objectives": "Learn how the University of Porto advises international students "
        "before arrival and during their first term.",
        "added_value": "The Centre for Languages and Literature is planning new welcome days "
        "for exchange students; I will bring back their programme and materials.",
        "activities": "Shadow the study advisers, take part in an orientation day and meet "
        "the student support office.",
        "outcomes": "A proposal for our welcome days and a checklist for advising new "
        "exchange students.",
        "work_cover": "My colleague covers the drop-in hours that week.",
    },
    "sara.holm": {
        "objectives": "Lära mig hur universitetets IT-avdelning hanterar informationssäkerhet "
        "och behörigheter i ett stort system för lärplattformar.",
        "added_value": "Statsvetenskapliga institutionen byter lärplattform nästa termin; jag "
        "tar med mig deras rutiner för behörigheter och incidenter.",
        "activities": "Jobbskugga systemförvaltarna och delta i deras veckomöte om "
        "informationssäkerhet.",
        "outcomes": "En checklista för behörigheter inför bytet och en kontakt för fortsatt "
        "utbyte.",
        "work_cover": "Min kollega på IT-supporten tar ärendekön.",
    },
}


def load() -> int:
    """Budgets for the demo faculties and a few applications; safe to run again."""
    for code, amount in BUDGETS_EUR.items():
        faculty = OrgUnit.objects.filter(code=code).first()
        if faculty is not None:
            FacultyBudget.objects.get_or_create(
                faculty=faculty, call_year=2026, defaults={"amount_eur": Decimal(amount)}
            )
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith="@example.org")
    }
    if Application.objects.filter(applicant__in=people.values()).exists():
        return 0
    porto = host(**PORTO)
    leuven = host(name="KU Leuven", city="Leuven", country="BE")
    athens = host(
        name="National and Kapodistrian University of Athens", city="Athens", country="GR"
    )
    plans: list[tuple[str, Any, list[str], dict[str, Any]]] = [
        ("maja.lindqvist", porto, [], {"visible_to_colleagues": True, **TEXTS["maja.lindqvist"]}),
        (
            "maja.lindqvist",
            leuven,
            ["submit"],
            {
                "start": datetime.date(2027, 10, 4),
                "end": datetime.date(2027, 10, 8),
                **TEXTS["maja.lindqvist/leuven"],
            },
        ),
        ("jonas.berg", athens, ["submit"], {"activity": "staff_week", **TEXTS["jonas.berg"]}),
        (
            "elin.nystrom",
            porto,
            ["submit", "approve"],
            {"visible_to_colleagues": True, **TEXTS["elin.nystrom"]},
        ),
        ("sara.holm", athens, ["submit", "approve", "grant"], TEXTS["sara.holm"]),
    ]
    deciders = {
        "kultur": "magnus.dahl",
        "sol": "helena.strom",
        "svet": "per.sandberg",
        "ht-libraries": "karin.ek",
    }
    officers = {"ht": "sofia.almgren", "s": "ahmed.karimi"}
    for key, where, steps, fields in plans:
        person = people[key]
        plan = application(
            applicant=person,
            hosts=[where],
            **{"start": datetime.date(2027, 5, 3), "end": datetime.date(2027, 5, 7), **fields},
        )
        verdict = estimate(plan)
        found = verdict.estimate if isinstance(verdict, Estimated) else None
        plan.estimate = estimates.as_json(found) if found else {}
        plan.save(update_fields=["estimate"])
        assert person.department is not None
        for step in steps:
            if step == "submit":
                by = person
                arguments: dict[str, Any] = {"estimate": found}
            elif step == "approve":
                by, arguments = people[deciders[person.department.code]], {}
            else:
                by = people[officers[person.department.parent.code]]  # type: ignore[union-attr]
                arguments = {"amount_eur": Decimal(found.grant.total_eur if found else 0)}
            workflow.check(by, plan, step)  # the demo's people act as the rules let them
            getattr(workflow, step)(application=plan, actor=Actor.of(by), **arguments)
    return len(plans)
