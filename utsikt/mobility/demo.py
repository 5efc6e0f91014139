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
    athens = host(
        name="National and Kapodistrian University of Athens", city="Athens", country="GR"
    )
    plans: list[tuple[str, Any, list[str], dict[str, Any]]] = [
        ("maja.lindqvist", porto, [], {"visible_to_colleagues": True}),
        ("jonas.berg", athens, ["submit"], {"activity": "staff_week"}),
        ("elin.nystrom", porto, ["submit", "approve"], {"visible_to_colleagues": True}),
        ("sara.holm", athens, ["submit", "approve", "grant"], {}),
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
            start=datetime.date(2027, 5, 3),
            end=datetime.date(2027, 5, 7),
            **fields,
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
