"""Load reference data and every app's demo data; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from utsikt.accounts import demo
from utsikt.catalogue import demo as catalogue_demo
from utsikt.documents import demo as documents_demo
from utsikt.grants import reference
from utsikt.mobility import demo as mobility_demo
from utsikt.pages import demo as pages_demo


class Command(BaseCommand):
    help = "Load reference data and invented demo people for every role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        reference.load()
        with transaction.atomic():
            people = demo.load()
        catalogue_demo.load()
        with transaction.atomic():
            mobility_demo.load()
        documents_demo.load()  # after the commit: the agreement is rendered from saved rows
        pages_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(people)} personas."))
        self.stdout.write(f"Every demo login uses the password: {demo.DEMO_PASSWORD}")
        for persona in demo.PERSONAS:
            roles = ", ".join(f"{role} {unit}" for role, unit in persona.roles) or "staff"
            if persona.superuser:
                roles += ", administrator"
            self.stdout.write(f"  {persona.email:32} {roles}")
