"""Demo content: information pages, four stories, offices with invented people, and one
ambassador whose story is his own mobility. Idempotent: found by slug, office and e-mail.

Written for Utsikt from the faculty's page in the seed, in our own words; the people are
invented (the seed names real ones).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from utsikt.accounts.models import OrgUnit, StaffCategory, User
from utsikt.catalogue.models import HostOrganisation
from utsikt.core import revision
from utsikt.core.actors import COMMAND_LINE, Actor
from utsikt.grants.models import Country
from utsikt.mobility import money, workflow
from utsikt.mobility.factories import application, host
from utsikt.mobility.models import ActualCost, Allocation, Application, Status
from utsikt.pages import ambassadors, editing
from utsikt.pages.models import Ambassador, Contact, Office, Page, Story

DATA = Path(__file__).resolve().parent / "data"
BLOCK = re.compile(r"^=== (.+?) \| (\d+) \| (.+?) \| (.+?)$", re.MULTILINE)
# The Athens trip's money: the office (Sofia Almgren, Humanities and Theology) granted and
# reimbursed it; the department paid a little more than the grant.
DEMO_OFFICER = "sofia.almgren@example.org"
DEMO_GRANT_EUR = Decimal(1420)
DEMO_COST_SEK = Decimal("17260.00")


def page_texts() -> list[dict[str, Any]]:
    """The demo pages of data/demo_pages.md, parsed."""
    text = (DATA / "demo_pages.md").read_text(encoding="utf-8")
    found = []
    parts = BLOCK.split(text)
    for i in range(1, len(parts), 5):
        slug, position, title_sv, title_en, body = parts[i : i + 5]
        _, sv_part = body.split("--- sv | ", 1)
        summary_sv, rest = sv_part.split("\n", 1)
        body_sv, en_part = rest.split("--- en | ", 1)
        summary_en, body_en = en_part.split("\n", 1)
        found.append(
            {
                "slug": slug,
                "position": int(position),
                "title_sv": title_sv,
                "title_en": title_en,
                "summary_sv": summary_sv.strip(),
                "summary_en": summary_en.strip(),
                "body_sv": body_sv.strip(),
                "body_en": body_en.strip(),
            }
        )
    return found


STORIES: list[dict[str, Any]] = [
    {
        "slug": "economist-in-athens",
        "title_sv": "Ekonomen som lärde sig prognoser i Aten",
        "title_en": "The economist who learned forecasting in Athens",
        "summary_sv": "Oskar Falk gick en Staff Week om ekonomistyrning och kom hem med en ny "
        "månadsrapport för institutionens projekt.",
        "summary_en": "Oskar Falk attended a staff week on financial management and came home "
        "with a new monthly report for the department's projects.",
        "body_sv": "Jag hade följt upp projektmedel på samma sätt i tio år. I Aten satt jag en "
        "vecka med ekonomer från nio länder och jämförde hur vi gör prognoser för externa "
        "bidrag.\n\n## Det jag tog med mig\n\n* en enkel prognosmodell som vi nu använder "
        "varje månad,\n* tre kollegor i Aten, Graz och Leuven som jag fortfarande mejlar "
        "med,\n* modet att tala engelska inför en grupp.\n\nInstitutionen betalade resan och "
        "boendet och fick tillbaka det mesta från Erasmus+ när jag kommit hem.",
        "body_en": "I had followed up project funds the same way for ten years. In Athens I "
        "spent a week with economists from nine countries, comparing how we forecast external "
        "grants.\n\n## What I brought home\n\n* a simple forecasting model we now use every "
        "month,\n* three colleagues in Athens, Graz and Leuven whom I still write to,\n* the "
        "courage to speak English in front of a group.\n\nThe department paid for the trip "
        "and the hotel and got most of it back from Erasmus+ after I came home.",
        "person_name": "Oskar Falk",
        "staff_category": StaffCategory.ECONOMIST,
        "host_slug": "university-of-athens",
        "country": "GR",
        "city": "Aten",
        "year": 2025,
        "offered_by": "oskar.falk@example.org",
    },
    {
        "slug": "librarian-in-oxford",
        "title_sv": "Bibliotekarien som gick en kurs i Oxford",
        "title_en": "The librarian who took a course in Oxford",
        "summary_sv": "Annika Brandt lärde sig hur ett av världens äldsta bibliotek "
        "digitaliserar sina samlingar.",
        "summary_en": "Annika Brandt learned how one of the world's oldest libraries "
        "digitises its collections.",
        "body_sv": "Kursen handlade om digitalisering av äldre tryck: hur man väljer vad som "
        "ska skannas först, hur man beskriver det och hur forskare sedan hittar det.\n\n"
        "Det bästa var pauserna. Där fick jag höra hur andra bibliotek löser samma problem "
        "som vi har, med mindre pengar än jag trodde.\n\n*Resan gjordes 2019, när "
        "Storbritannien var med i Erasmus+. I dag får resor dit inget bidrag från "
        "Erasmus+, men liknande kurser finns i programländerna.*",
        "body_en": "The course was about digitising early printed books: how to choose what "
        "to scan first, how to describe it, and how researchers then find it.\n\nThe best "
        "part was the breaks. There I heard how other libraries solve the problems we have, "
        "with less money than I thought.\n\n*The trip was made in 2019, when the United "
        "Kingdom was part of Erasmus+. Today trips there get no Erasmus+ grant, but similar "
        "courses exist in the programme countries.*",
        "person_name": "Annika Brandt",
        "staff_category": StaffCategory.LIBRARIAN,
        "host_name": "Bodleian Libraries, University of Oxford",
        "country": "GB",
        "city": "Oxford",
        "year": 2019,
    },
    {
        "slug": "pisa-and-rome",
        "title_sv": "Två laboratorier, två resor: Pisa och Rom",
        "title_en": "Two laboratories, two trips: Pisa and Rome",
        "summary_sv": "Forskningsingenjören Mattias Sjöberg jobbskuggade kollegor med "
        "utrustning som vi saknar, och visade dem vår.",
        "summary_en": "Research engineer Mattias Sjöberg job-shadowed colleagues with "
        "equipment we lack, and showed them ours.",
        "body_sv": "Första resan gick till Pisa, där ett laboratorium använder en skanner för "
        "att dokumentera arkeologiska fynd i 3D. Ett år senare åkte jag till Rom för att se "
        "hur de lagrar och delar samma slags data.\n\nDet blev två mobiliteter, eftersom "
        "städerna ligger för långt från varandra för en och samma resa. Båda gångerna "
        "hjälpte jag själv till: i Rom satte jag upp ett arbetsflöde som vi använder "
        "hemma.\n\nJobbskugga gärna någon som har utrustning du är nyfiken på. Du har säkert "
        "något att lära dem tillbaka.",
        "body_en": "The first trip went to Pisa, where a laboratory uses a scanner to "
        "document archaeological finds in 3D. A year later I went to Rome to see how they "
        "store and share the same kind of data.\n\nIt became two mobilities, since the "
        "cities are too far apart for one trip. Both times I lent a hand myself: in Rome I "
        "set up a workflow we use at home.\n\nDo job-shadow someone with equipment you are "
        "curious about. You surely have something to teach them back.",
        "person_name": "Mattias Sjöberg",
        "staff_category": StaffCategory.RESEARCH_ENGINEER,
        "host_slug": "sapienza-university-of-rome",
        "country": "IT",
        "city": "Rom",
        "year": 2024,
    },
    {
        "slug": "coordinator-in-nottingham",
        "title_sv": "Den internationella koordinatorn som reste till Nottingham",
        "title_en": "The international coordinator who went to Nottingham",
        "summary_sv": "Yasmin Haddad jämförde hur två universitet tar emot utbytesstudenter "
        "och ändrade våra välkomstdagar.",
        "summary_en": "Yasmin Haddad compared how two universities welcome exchange students "
        "and changed our welcome days.",
        "body_sv": "Jag jobbskuggade kontoret för inresande studenter en vecka i september, "
        "precis när terminen började. Jag såg allt från flygplatsbussen till den första "
        "informationsträffen.\n\nHemma kortade vi välkomstdagarna och lade i stället en "
        "uppföljning efter tre veckor, när frågorna faktiskt kommer.\n\n*Resan gjordes 2019, "
        "när Storbritannien var med i Erasmus+; i dag får resor dit inget bidrag från "
        "Erasmus+.*",
        "body_en": "I job-shadowed the incoming students' office for a week in September, "
        "just as term started. I saw everything from the airport bus to the first "
        "information meeting.\n\nAt home we shortened the welcome days and added a follow-up "
        "after three weeks instead, when the questions actually come.\n\n*The trip was made "
        "in 2019, when the United Kingdom was part of Erasmus+; today trips there get no "
        "Erasmus+ grant.*",
        "person_name": "Yasmin Haddad",
        "staff_category": StaffCategory.INTERNATIONAL_COORDINATOR,
        "host_name": "University of Nottingham",
        "country": "GB",
        "city": "Nottingham",
        "year": 2019,
    },
]

OFFICES: list[dict[str, Any]] = [
    {
        # The university's office as the settings describe it (every visitor's footer).
        "faculty": None,
        "name_sv": settings.UTSIKT_OFFICE_NAME,
        "name_en": settings.UTSIKT_OFFICE_NAME_EN,
        "email": settings.UTSIKT_OFFICE_EMAIL,
        "phone": settings.UTSIKT_OFFICE_PHONE,
        "visiting_address": settings.UTSIKT_OFFICE_VISITING_ADDRESS,
        "postal_address": settings.UTSIKT_OFFICE_POSTAL_ADDRESS,
        "latitude": 55.7059,
        "longitude": 13.1936,
        "people": [
            ("Hanna Berglund", "Enhetschef", "Head of unit", "046-000 10 01"),
        ],
    },
    {
        "faculty": "ht",
        "name_sv": "Internationella kontoret, HT-fakulteterna",
        "name_en": "International Office, Humanities and Theology",
        "email": "international.ht@example.org",
        "phone": "046-000 20 00",
        "visiting_address": "SOL, Helgonabacken 12, rum A141–A143, Lund",
        "postal_address": "Box 201, 221 00 Lund",
        "latitude": 55.7124,
        "longitude": 13.2020,
        "people": [
            (
                "Sofia Almgren",
                "Internationell handläggare",
                "International officer",
                "046-000 20 11",
            ),
            (
                "Marco Bellini",
                "Senior International Officer",
                "Senior International Officer",
                "046-000 20 12",
            ),
            (
                "Johanna Lind",
                "Senior International Officer",
                "Senior International Officer",
                "046-000 20 13",
            ),
        ],
    },
    {
        "faculty": "s",
        "name_sv": "Internationella kontoret, Samhällsvetenskapliga fakulteten",
        "name_en": "International Office, Social Sciences",
        "email": "international.s@example.org",
        "phone": "046-000 30 00",
        "visiting_address": "Allhelgona kyrkogata 14, Lund",
        "postal_address": "Box 117, 221 00 Lund",
        "latitude": 55.7035,
        "longitude": 13.1975,
        "people": [
            (
                "Ahmed Karimi",
                "Senior International Officer",
                "Senior International Officer",
                "046-000 30 11",
            ),
            (
                "Petra Nyman",
                "Internationell koordinator",
                "International coordinator",
                "046-000 30 12",
            ),
        ],
    },
]


def load_pages() -> int:
    made = 0
    for data in page_texts():
        if Page.objects.filter(slug=data["slug"]).exists():
            continue
        editing.save_page(page=Page(**data), actor=COMMAND_LINE)
        made += 1
    return made


def load_offices() -> None:
    for data in OFFICES:
        data = dict(data)
        people = data.pop("people")
        code = data.pop("faculty")
        faculty = OrgUnit.objects.filter(code=code).first() if code else None
        if code and faculty is None:
            continue
        if Office.objects.filter(faculty=faculty).exists():
            continue
        office = editing.save_office(office=Office(faculty=faculty, **data), actor=COMMAND_LINE)
        for position, (name, role_sv, role_en, phone) in enumerate(people):
            user = User.objects.filter(first_name=name.split()[0], last_name=name.split()[-1])
            found = user.first()
            Contact.objects.create(
                office=office,
                name=name,
                role_sv=role_sv,
                role_en=role_en,
                phone=phone,
                email=found.email if found else f"{name.split()[0].lower()}@example.org",
                position=position,
            )


def _returned_mobility(person: User) -> Application | None:
    """The economist's own trip to Athens, settled, so that his story and his place among
    the ambassadors stand on a real mobility, with money in the ledger: a grant, the
    department's actual cost and the reimbursement, so that it balances.

    It is made back home (COMPLETED) with the grant the office allocated; the office then
    records the money and settles it through mobility.money and mobility.workflow, as on
    the office's pages. The actual cost is a row, like the grant: Oskar Falk is himself the
    department's finance person, and nobody records money on their own mobility.
    """
    existing = Application.objects.filter(applicant=person, status=Status.SETTLED).first()
    if existing is not None:
        return existing
    officer = User.objects.filter(email=DEMO_OFFICER).first()
    if officer is None:
        return None  # the personas are not loaded: no mobility to tell of
    athens = HostOrganisation.objects.filter(slug="university-of-athens").first() or host(
        name="National and Kapodistrian University of Athens", city="Athens", country="GR"
    )
    trip = application(
        applicant=person,
        status=Status.COMPLETED,
        hosts=[athens],
        call_year=2025,
        activity="staff_week",
        start=datetime.date(2025, 5, 12),
        end=datetime.date(2025, 5, 16),
        objectives="Lära mig hur andra universitet gör prognoser för externa bidrag.",
        added_value="Institutionen ser över sin uppföljning av projektmedel.",
        activities="Staff Week om ekonomistyrning med workshoppar och studiebesök.",
        outcomes="En ny månadsrapport för institutionens projekt.",
        work_cover="Ekonomigruppen fördelar mina attesteringar.",
        estimate={"eligible": True, "total_eur": int(DEMO_GRANT_EUR)},
    )
    Allocation.objects.create(
        application=trip,
        amount_eur=DEMO_GRANT_EUR,
        estimate_eur=DEMO_GRANT_EUR,
        allocated_by=officer,
    )
    ActualCost.objects.create(application=trip, amount_sek=DEMO_COST_SEK, recorded_by=officer)
    office = Actor.of(officer)
    money.record_reimbursement(
        application=trip,
        actor=office,
        amount_eur=DEMO_GRANT_EUR,
        rate=Decimal("11.6015"),
        rate_date=datetime.date(2025, 6, 2),
        paid_on=datetime.date(2025, 6, 9),
    )
    workflow.settle(application=trip, actor=office, today=datetime.date(2025, 6, 9))
    trip.refresh_from_db()
    return trip


def load_stories() -> int:
    made = 0
    for order, data in enumerate(STORIES):
        # The first story is the newest, so that the start page shows the seed's order.
        published_at = timezone.now() - datetime.timedelta(days=30 + 7 * order)
        data = dict(data)
        if Story.objects.filter(slug=data["slug"]).exists():
            continue
        host_slug = data.pop("host_slug", None)
        offered_by = data.pop("offered_by", None)
        country = Country.objects.filter(pk=data.pop("country")).first()
        story = Story(**data, country=country)
        if host_slug:
            story.host = HostOrganisation.objects.filter(slug=host_slug).first()
        person = User.objects.filter(email=offered_by).first() if offered_by else None
        if person is not None:
            mobility = _returned_mobility(person)
            story.offered_by = person
            story.application = mobility
            story.consent_at = published_at
        editing.save_story(story=story, actor=COMMAND_LINE)
        story.published_at = published_at
        editing.publish_story(story=story, actor=COMMAND_LINE)
        if person is not None and not Ambassador.objects.filter(user=person).exists():
            ambassadors.opt_in(
                user=person,
                topics_sv="Staff Weeks, ekonomi och att våga tala engelska",
                topics_en="Staff weeks, finance and daring to speak English",
            )
        made += 1
    return made


def load() -> int:
    """Every demo item of the pages app; returns how many stories were made."""
    with transaction.atomic():
        load_pages()
        load_offices()
        made = load_stories()
        revision.bump(editing.REVISION)
    return made
