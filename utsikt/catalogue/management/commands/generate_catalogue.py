"""Generate many invented opportunities quickly, for benchmarks (not for real use).

    manage.py generate_catalogue --opportunities 100000 [--hosts 2000] [--clear]

Rows are inserted in bulk through curation.save_opportunities (so the full-text index is
written as for any import), in batches of 2,000: about 30 s for 100,000 on SQLite here.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from utsikt.accounts import demo as accounts_demo
from utsikt.accounts.models import OrgUnit
from utsikt.catalogue import curation, demo
from utsikt.catalogue.models import (
    CATEGORY_CODES,
    LANGUAGE_CODES,
    TOPIC_CODES,
    HostOrganisation,
    Opportunity,
)
from utsikt.grants.models import Place

PREFIX = "gen-"
BATCH = 2000
WORDS = [
    "library",
    "open",
    "science",
    "research",
    "data",
    "information",
    "literacy",
    "digital",
    "collections",
    "internationalisation",
    "welcome",
    "services",
    "security",
    "cloud",
    "procurement",
    "audit",
    "recruitment",
    "wellbeing",
    "storytelling",
    "crisis",
    "communication",
    "guidance",
    "counselling",
    "sustainability",
    "accessibility",
    "laboratory",
    "safety",
    "student",
    "records",
    "recognition",
    "leadership",
    "change",
    "bibliotek",
    "forskningsdata",
    "informationskompetens",
    "digitalisering",
    "välkomstservice",
    "upphandling",
    "rekrytering",
    "kommunikation",
    "vägledning",
    "hållbarhet",
    "tillgänglighet",
    "ledarskap",
]


class Command(BaseCommand):
    help = "Add N invented opportunities (and hosts) for benchmarks; --clear removes them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--opportunities", type=int, default=100_000)
        parser.add_argument("--hosts", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=20261128)
        parser.add_argument("--clear", action="store_true", help="remove generated rows first")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["clear"]:
            curation.delete_opportunities(
                opportunities=Opportunity.objects.filter(external_id__startswith=PREFIX), by=None
            )
            curation.delete_hosts(
                hosts=HostOrganisation.objects.filter(slug__startswith=PREFIX), by=None
            )
        count = options["opportunities"]
        if count <= 0:
            return
        rng = random.Random(options["seed"])  # noqa: S311 - invented data
        # The organisation and the demo hosts, not the demo's own opportunities: the count
        # asked for is the count there is.
        with transaction.atomic():
            units = accounts_demo.load_organisation()
            demo.load_agreements(demo.load_hosts(), units)
        faculties = list(OrgUnit.objects.faculties())
        hosts = self._hosts(options["hosts"], rng)
        today = timezone.localdate()
        first = Opportunity.objects.filter(external_id__startswith=PREFIX).count()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            batch = [
                self._opportunity(first + made + i, rng, hosts, faculties, today)
                for i in range(size)
            ]
            curation.save_opportunities(opportunities=batch, by=None)
            made += size
            self.stderr.write(f"\r{made}/{count}", ending="")
        self.stderr.write("")
        if connection.vendor == "postgresql":
            # What autovacuum would do soon: statistics for the planner, and the visibility
            # map that lets facet counts read the covering index alone.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE catalogue_opportunity")
        self.stdout.write(
            f"{made} opportunities generated in {time.monotonic() - started:.1f} s; "
            f"{Opportunity.objects.count()} in the catalogue."
        )

    def _hosts(self, count: int, rng: random.Random) -> list[HostOrganisation]:
        have = HostOrganisation.objects.filter(slug__startswith=PREFIX).count()
        if have < count:
            places = list(
                Place.objects.filter(country__programme_status__in=["eu", "associated"])
                .exclude(country_id="SE")
                .select_related("country")
                .order_by("-population")[:1500]
            )
            new = []
            for number in range(have, count):
                place = rng.choice(places)
                kind = rng.choice(HostOrganisation.Kind.values)
                noun = rng.choice(["Institute", "Academy", "Centre", "University", "Library"])
                new.append(
                    HostOrganisation(
                        slug=f"{PREFIX}host-{number}",
                        name=f"{place.name} {noun} {number}",
                        kind=kind,
                        country=place.country,
                        place=place,
                        status=HostOrganisation.Status.APPROVED,
                        partner_until=rng.choice([None, None, None, 2027, 2020]),
                    )
                )
            curation.add_hosts(hosts=new, by=None)
        return list(HostOrganisation.objects.approved().select_related("country", "place"))

    def _opportunity(
        self,
        number: int,
        rng: random.Random,
        hosts: list[HostOrganisation],
        faculties: list[OrgUnit],
        today: datetime.date,
    ) -> Opportunity:
        host = rng.choice(hosts)
        rare = number % 500 == 7  # a rare word (1 in 500, upcoming), for benchmarks
        start = today + datetime.timedelta(
            days=rng.randint(10, 400) if rare else rng.randint(-1500, 600)
        )
        end = start + datetime.timedelta(days=rng.choice([1, 2, 4, 4, 4, 11]))
        words = " ".join(rng.sample(WORDS, 4))
        if rare:
            words += " lighthouse"
        kind = rng.choice(Opportunity.Kind.values)
        opportunity = Opportunity(
            slug=f"{PREFIX}{number}",
            external_id=f"{PREFIX}{number}",
            kind=kind,
            title_en=f"{kind.replace('_', ' ').title()} on {words}",
            title_sv="" if rng.random() < 0.4 else f"Vecka om {words}",
            description_en=" ".join(rng.choices(WORDS, k=40)),
            description_sv=" ".join(rng.choices(WORDS, k=30)),
            host=host,
            faculty=rng.choice(faculties),
            start_date=start,
            end_date=end,
            deadline=start - datetime.timedelta(days=rng.randint(14, 90))
            if rng.random() < 0.7
            else None,
            fee=Decimal(rng.choice([0, 0, 150, 300, 450])),
            places=rng.choice([None, 10, 20, 30]),
            accommodation_included=rng.random() < 0.2,
            languages=tuple(rng.sample(LANGUAGE_CODES[:12], rng.randint(1, 2))),
            staff_categories=tuple(rng.sample(CATEGORY_CODES, rng.randint(1, 4))),
            topics=tuple(rng.sample(TOPIC_CODES, rng.randint(1, 3))),
            status=Opportunity.Status.PUBLISHED if end >= today else Opportunity.Status.PAST,
        )
        return opportunity
