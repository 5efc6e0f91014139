"""Invented applications in bulk, for benchmarks: `generate_applications --count 100000`."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.values import call_year_for
from utsikt.mobility.models import PLANNED_ACTIVITIES, Application, Status

BATCH = 5000
# Mostly live applications, as in a busy year; drafts stay private and count for nobody else.
STATUSES = [
    (Status.DRAFT, 10),
    (Status.SUBMITTED, 15),
    (Status.MANAGER_APPROVED, 15),
    (Status.GRANTED, 15),
    (Status.SIGNED, 10),
    (Status.COMPLETED, 15),
    (Status.SETTLED, 10),
    (Status.REJECTED, 5),
    (Status.WITHDRAWN, 5),
]


class Command(BaseCommand):
    help = "Add invented applications for the demo people (for benchmarks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        people = list(
            User.objects.filter(department__isnull=False, is_superuser=False).select_related(
                "department"
            )
        )
        hosts = list(HostOrganisation.objects.approved().values_list("pk", flat=True))
        if not people or not hosts:
            raise CommandError("Load the demo data first (manage.py load_demo).")
        rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        statuses, weights = zip(*STATUSES, strict=True)
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            batch = []
            for _ in range(size):
                person = rng.choice(people)
                start = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(900))
                total = rng.randrange(600, 2600)
                batch.append(
                    Application(
                        applicant=person,
                        department=person.department,
                        status=rng.choices(statuses, weights)[0],
                        call_year=call_year_for(start),
                        activity=rng.choice(PLANNED_ACTIVITIES)[0],
                        start=start,
                        end=start + datetime.timedelta(days=rng.randrange(2, 12)),
                        travel_mode=rng.choice(["train", "plane", "bus"]),
                        objectives="Invented for a benchmark.",
                        first_time=rng.random() < 0.6,
                        estimate={
                            "eligible": True,
                            "total_eur": total,
                            "department_cost": {
                                "net_sek": rng.randrange(2000, 20000),
                                "complete": True,
                            },
                        },
                    )
                )
            with transaction.atomic():
                created = Application.objects.bulk_create(batch, batch_size=1000)
                Application.hosts.through.objects.bulk_create(
                    [
                        Application.hosts.through(
                            application_id=a.pk, hostorganisation_id=rng.choice(hosts)
                        )
                        for a in created
                    ],
                    batch_size=2000,
                )
            made += size
            self.stdout.write(f"\r{made}/{count} applications", ending="")
        self.stdout.write("")
