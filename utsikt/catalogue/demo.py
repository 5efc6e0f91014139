"""Demo catalogue: real partner universities, invented hosts and about 200 invented opportunities.

Dates are set relative to today, so the demo always has upcoming staff weeks (among them a
staff week for librarians in Porto next spring) and a history of past ones. Loading is
idempotent: hosts are found by slug and opportunities by external id, and everything is
written through curation.py like any other change.
"""

from __future__ import annotations

import datetime
import functools
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import curation
from utsikt.catalogue.models import HostOrganisation, Opportunity, PartnerAgreement
from utsikt.catalogue.search import index as search_index
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country, Place

DATA = Path(__file__).resolve().parent / "data"
# The staff week a new colleague should find in seconds (the "done when").
PORTO_LIBRARY_WEEK = "library-staff-week-porto"
OFFICERS = {"ht": "sofia.almgren@example.org", "s": "ahmed.karimi@example.org"}
Kind = Opportunity.Kind


def _place(city: str, country: str, latitude: float, longitude: float) -> Place | None:
    if not city:
        return None
    candidates = list(find_places(city, country))
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda p: (p.latitude - latitude) ** 2 + (p.longitude - longitude) ** 2,
    )


@functools.cache
def _data(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_hosts() -> dict[str, HostOrganisation]:
    """The demo universities and other hosts (data/demo_hosts.json), by slug."""
    countries = {c.iso2: c for c in Country.objects.all()}
    hosts: dict[str, HostOrganisation] = {}
    data = _data("demo_hosts.json")
    rows: list[dict[str, Any]] = [
        {**u, "kind": HostOrganisation.Kind.UNIVERSITY} for u in data["universities"]
    ]
    rows += [{**h, "erasmus_code": ""} for h in data["other_hosts"]]
    for row in rows:
        host = HostOrganisation.objects.filter(slug=row["slug"]).first() or HostOrganisation(
            slug=row["slug"]
        )
        host.name = row["name"]
        host.local_name = row["local_name"]
        host.kind = row["kind"]
        host.country = countries[row["country"]]
        host.place = _place(row["city"], row["country"], row["latitude"], row["longitude"])
        host.website = row["website"]
        host.erasmus_code = row["erasmus_code"]
        host.status = HostOrganisation.Status.APPROVED
        hosts[host.slug] = curation.save_host(host=host, by=None)
    return hosts


def load_agreements(hosts: dict[str, HostOrganisation], units: dict[str, OrgUnit]) -> None:
    for row in _data("demo_hosts.json")["agreements"]:
        host, unit = hosts[row["host"]], units[row["unit"]]
        agreement = PartnerAgreement.objects.filter(host=host, unit=unit).first()
        agreement = agreement or PartnerAgreement(host=host, unit=unit)
        agreement.valid_from = row["first_year"]
        agreement.valid_until = row["last_year"]
        agreement.covers_staff_training = row["covers_staff_training"]
        curation.record_agreement(agreement=agreement, by=None)


# ---------------------------------------------------------------------------------------------
# Invented opportunities


@dataclass(frozen=True)
class Theme:
    topic: str
    week_en: str
    week_sv: str
    unit_en: str
    unit_sv: str
    categories: tuple[str, ...]
    subjects: tuple[tuple[str, str, str], ...]  # (English, Swedish, extra topic or "")


def themes() -> list[Theme]:
    return [
        Theme(
            topic=t["topic"],
            week_en=t["week_en"],
            week_sv=t["week_sv"],
            unit_en=t["unit_en"],
            unit_sv=t["unit_sv"],
            categories=tuple(t["categories"]),
            subjects=tuple((en, sv, extra) for en, sv, extra in t["subjects"]),
        )
        for t in _data("demo_opportunities.json")["themes"]
    ]


ALL_TA = (
    "librarian",
    "economist",
    "it_technician",
    "study_adviser",
    "international_coordinator",
    "communicator",
    "hr",
    "administrator",
    "education_administrator",
    "research_engineer",
)


def _week_en(theme: Theme, subject: str, host: HostOrganisation, fee: int, rooms: bool) -> str:
    fee_text = (
        f"The registration fee of {fee} EUR covers the programme, lunches and a social dinner."
        if fee
        else "There is no registration fee."
    )
    room_text = (
        "Accommodation is included."
        if rooms
        else "You book your own accommodation; the organisers send a list of nearby hotels."
    )
    return (
        f"{host.name} invites colleagues from partner universities and other European "
        f"institutions to a week on {subject}. The programme combines presentations by "
        f"the staff of {theme.unit_en}, workshops with participants from across Europe, "
        f"study visits and time to build your own network. {fee_text} {room_text} "
        "Apply to the organiser with a short motivation; your international office "
        "helps with the Erasmus+ grant."
    )


def _week_sv(theme: Theme, subject: str, host: HostOrganisation, fee: int, rooms: bool) -> str:
    fee_text = (
        f"Avgiften är {fee} euro och täcker programmet, luncher och en gemensam middag."
        if fee
        else "Ingen avgift."
    )
    room_text = (
        "Boende ingår."
        if rooms
        else "Du bokar själv boende; arrangören skickar en lista med hotell i närheten."
    )
    return (
        f"{host.name} bjuder in kolleger från partneruniversitet och andra europeiska "
        f"lärosäten till en vecka om {subject}. Programmet blandar presentationer av "
        f"personalen på {theme.unit_sv}, workshoppar med deltagare från hela Europa, "
        f"studiebesök och tid att bygga ditt eget nätverk. {fee_text} {room_text} "
        "Ansök till arrangören med en kort motivering; internationella kontoret hjälper "
        "dig med Erasmus+-bidraget."
    )


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def spring(today: datetime.date) -> int:
    """The year of the next spring whose April weeks are still ahead."""
    return today.year if today < datetime.date(today.year, 4, 1) else today.year + 1


@dataclass
class Draft:
    """An opportunity to be, before it meets the database."""

    external_id: str
    kind: str
    host: str
    title_en: str
    title_sv: str
    description_en: str
    description_sv: str
    start: datetime.date
    days: int
    fee: int
    places: int | None
    accommodation: bool
    languages: tuple[str, ...]
    categories: tuple[str, ...]
    topics: tuple[str, ...]
    faculty: str
    deadline_weeks: int | None = 8
    status: str = Opportunity.Status.PUBLISHED
    slug: str = ""


def _handcrafted(today: datetime.date) -> list[Draft]:
    year = spring(today)
    porto = _monday_on_or_after(datetime.date(year, 4, 19))
    coimbra = _monday_on_or_after(datetime.date(year, 5, 10))
    aveiro = _monday_on_or_after(datetime.date(year, 10, 4))
    theme = themes()[0]
    return [
        Draft(
            external_id="demo-porto-library-week",
            slug=PORTO_LIBRARY_WEEK,
            kind=Kind.STAFF_WEEK,
            host="university-of-porto",
            title_en="Staff Week for Librarians in Porto: Open Science and Digital Collections",
            title_sv="Personalvecka för bibliotekarier i Porto: öppen vetenskap och digitala "
            "samlingar",
            description_en=_week_en(
                theme,
                "open science, research data and digital collections",
                _host_stub("University of Porto"),
                150,
                False,
            )
            + " Librarians from all kinds of libraries are welcome; the week ends with a visit "
            "to the historic reading rooms.",
            description_sv=_week_sv(
                theme,
                "öppen vetenskap, forskningsdata och digitala samlingar",
                _host_stub("University of Porto"),
                150,
                False,
            )
            + " Bibliotekarier från alla slags bibliotek är välkomna; veckan avslutas med ett "
            "besök i de historiska läsesalarna.",
            start=porto,
            days=5,
            fee=150,
            places=25,
            accommodation=False,
            languages=("en", "pt"),
            categories=("librarian",),
            topics=("library", "open_science"),
            faculty="ht",
            deadline_weeks=9,
        ),
        Draft(
            external_id="demo-coimbra-library-week",
            slug="library-staff-week-coimbra",
            kind=Kind.STAFF_WEEK,
            host="university-of-coimbra",
            title_en="Coimbra Library Week: Heritage Collections in a Digital Age",
            title_sv="Biblioteksveckan i Coimbra: kulturarvssamlingar i en digital tid",
            description_en=_week_en(
                theme,
                "heritage collections and their digitisation",
                _host_stub("University of Coimbra"),
                0,
                True,
            ),
            description_sv=_week_sv(
                theme,
                "kulturarvssamlingar och deras digitalisering",
                _host_stub("University of Coimbra"),
                0,
                True,
            ),
            start=coimbra,
            days=5,
            fee=0,
            places=20,
            accommodation=True,
            languages=("en",),
            categories=("librarian",),
            topics=("library", "digital_learning"),
            faculty="ht",
        ),
        Draft(
            external_id="demo-aveiro-library-shadowing",
            slug="job-shadowing-aveiro-public-library",
            kind=Kind.JOB_SHADOWING,
            host="aveiro-public-library",
            title_en="Job shadowing at Aveiro Public Library",
            title_sv="Jobbskuggning på stadsbiblioteket i Aveiro",
            description_en="Spend a week alongside the librarians of a busy public library: "
            "children's services, reading promotion and the library's work with newcomers.",
            description_sv="Följ bibliotekarierna på ett välbesökt folkbibliotek under en vecka: "
            "barnverksamhet, läsfrämjande och bibliotekets arbete med nyanlända.",
            start=aveiro,
            days=5,
            fee=0,
            places=2,
            accommodation=False,
            languages=("en", "pt"),
            categories=("librarian",),
            topics=("library",),
            faculty="s",
            deadline_weeks=None,
        ),
        Draft(
            external_id="demo-lisbon-portuguese-course",
            slug="portuguese-for-beginners-lisbon",
            kind=Kind.LANGUAGE_COURSE,
            host="lingua-viva-lisboa",
            title_en="Portuguese for University Staff: Beginners' Fortnight",
            title_sv="Portugisiska för universitetspersonal: två veckor för nybörjare",
            description_en="Two weeks of Portuguese in small groups, with afternoons on "
            "everyday life and working culture in Portugal.",
            description_sv="Två veckor portugisiska i små grupper, med eftermiddagar om vardag "
            "och arbetskultur i Portugal.",
            start=_monday_on_or_after(datetime.date(year, 3, 8)),
            days=12,
            fee=480,
            places=12,
            accommodation=False,
            languages=("pt", "en"),
            categories=ALL_TA,
            topics=("language", "intercultural"),
            faculty="ht",
        ),
        Draft(
            external_id="demo-helsinki-cancelled",
            slug="international-staff-week-helsinki-cancelled",
            kind=Kind.STAFF_WEEK,
            host="university-of-helsinki",
            title_en="International Staff Week in Helsinki",
            title_sv="Internationell personalvecka i Helsingfors",
            description_en="Cancelled by the organiser. The next week is planned for next year.",
            description_sv="Inställd av arrangören. Nästa vecka planeras till nästa år.",
            start=_monday_on_or_after(today + datetime.timedelta(days=60)),
            days=5,
            fee=200,
            places=30,
            accommodation=False,
            languages=("en",),
            categories=("international_coordinator",),
            topics=("international",),
            faculty="ht",
            status=Opportunity.Status.CANCELLED,
        ),
        Draft(
            external_id="demo-draft-ghent",
            slug="draft-staff-week-ghent",
            kind=Kind.STAFF_WEEK,
            host="ghent-university",
            title_en="Student Services Staff Week in Ghent (draft)",
            title_sv="",
            description_en="Not yet confirmed by Ghent University.",
            description_sv="",
            start=_monday_on_or_after(today + datetime.timedelta(days=200)),
            days=5,
            fee=0,
            places=20,
            accommodation=False,
            languages=("en",),
            categories=("study_adviser",),
            topics=("student_services",),
            faculty="s",
            status=Opportunity.Status.DRAFT,
        ),
    ]


def _host_stub(name: str) -> HostOrganisation:
    return HostOrganisation(name=name)


def _generated(today: datetime.date, count: int, hosts: dict[str, HostOrganisation]) -> list[Draft]:
    """Invented but plausible opportunities, the same every time for the same day."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    data = _data("demo_opportunities.json")
    all_themes = themes()
    universities = [
        u["slug"] for u in _data("demo_hosts.json")["universities"] if hosts[u["slug"]].place_id
    ]
    drafts: list[Draft] = []
    for number in range(count):
        start = _monday_on_or_after(today + datetime.timedelta(days=rng.randint(-540, 420)))
        english_only = rng.random() < 0.3
        roll = rng.random()
        if roll < 0.5:
            theme = rng.choice(all_themes)
            subject_en, subject_sv, extra = rng.choice(theme.subjects)
            host = hosts[rng.choice(universities)]
            fee = rng.choice([0, 0, 0, 100, 150, 200, 250, 300])
            rooms = rng.random() < 0.2
            local = data["local_language"].get(host.country_id, "en")
            languages = ("en",) if rng.random() < 0.6 else ("en", local)
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Kind.STAFF_WEEK,
                host=host.slug,
                title_en=f"{theme.week_en}: {subject_en[0].upper()}{subject_en[1:]}",
                title_sv=f"{theme.week_sv}: {subject_sv}",
                description_en=_week_en(theme, subject_en, host, fee, rooms),
                description_sv=_week_sv(theme, subject_sv, host, fee, rooms),
                start=start,
                days=5,
                fee=fee,
                places=rng.choice([15, 20, 25, 30, 40]),
                accommodation=rooms,
                languages=languages,
                categories=theme.categories,
                topics=(theme.topic, extra) if extra else (theme.topic,),
                faculty="ht"
                if theme.topic in {"library", "communication"}
                else rng.choice(["ht", "s"]),
            )
        elif roll < 0.7:
            theme = rng.choice(all_themes)
            host = hosts[rng.choice(universities)]
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Kind.JOB_SHADOWING,
                host=host.slug,
                title_en=f"Job shadowing in {theme.unit_en} at {host.name}",
                title_sv=f"Jobbskuggning på {theme.unit_sv} vid {host.name}",
                description_en=f"Follow colleagues in {theme.unit_en} of {host.name} for a "
                "week: their daily work, their tools and how they cooperate with the rest of "
                "the university. The programme is agreed with you beforehand.",
                description_sv=f"Följ kollegerna på {theme.unit_sv} vid {host.name} under en "
                "vecka: deras vardag, deras verktyg och hur de samarbetar med resten av "
                "universitetet. Programmet gör ni upp i förväg.",
                start=start,
                days=5,
                fee=0,
                places=rng.choice([1, 1, 2, 3]),
                accommodation=False,
                languages=("en",),
                categories=theme.categories,
                topics=(theme.topic,),
                faculty=rng.choice(["ht", "s"]),
                deadline_weeks=None if rng.random() < 0.5 else 6,
            )
        elif roll < 0.87:
            course = rng.choice(data["courses"])
            title_en, title_sv = course["title_en"], course["title_sv"]
            topics, categories = tuple(course["topics"]), tuple(course["categories"] or ALL_TA)
            host = hosts[rng.choice(course["providers"])]
            fee = rng.choice([350, 400, 450, 490, 560, 650])
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Kind.COURSE,
                host=host.slug,
                title_en=title_en,
                title_sv=title_sv,
                description_en=f"A five-day course by {host.name} for staff of universities "
                f"across Europe: short inputs, practical exercises and peer discussion. "
                f"The course fee is {fee} EUR and includes materials and lunches. An "
                "Erasmus+ staff training grant usually covers it.",
                description_sv=f"En femdagarskurs av {host.name} för personal vid universitet "
                f"i hela Europa: korta föreläsningar, praktiska övningar och samtal i grupp. "
                f"Kursavgiften är {fee} euro och inkluderar material och luncher. Ett "
                "Erasmus+-bidrag för personalfortbildning brukar täcka den.",
                start=start,
                days=5,
                fee=fee,
                places=rng.choice([10, 12, 15, 18]),
                accommodation=rng.random() < 0.1,
                languages=("en",),
                categories=categories,
                topics=topics,
                faculty=rng.choice(["ht", "s"]),
            )
        else:
            course = rng.choice(data["language_courses"])
            title_en, title_sv, language = (
                course["title_en"],
                course["title_sv"],
                course["language"],
            )
            host = hosts[rng.choice(course["providers"])]
            fee = rng.choice([300, 380, 450, 520])
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Kind.LANGUAGE_COURSE,
                host=host.slug,
                title_en=title_en,
                title_sv=title_sv,
                description_en=f"Two weeks of language lessons in small groups at {host.name}, "
                "with cultural visits in the afternoons. Placement test on the first morning.",
                description_sv=f"Två veckors språkundervisning i små grupper hos {host.name}, "
                "med kulturella besök på eftermiddagarna. Nivåtest första morgonen.",
                start=start,
                days=12,
                fee=fee,
                places=rng.choice([8, 10, 12]),
                accommodation=rng.random() < 0.3,
                languages=(language,) if language == "en" else (language, "en"),
                categories=ALL_TA,
                topics=("language", "intercultural"),
                faculty=rng.choice(["ht", "s"]),
            )
        if english_only:
            draft.title_sv = ""
            draft.description_sv = ""
        drafts.append(draft)
    return drafts


def _opportunities(
    drafts: list[Draft],
    hosts: dict[str, HostOrganisation],
    units: dict[str, OrgUnit],
    officers: dict[str, User | None],
    today: datetime.date,
) -> list[Opportunity]:
    existing = {
        o.external_id: o
        for o in Opportunity.objects.filter(external_id__in=[d.external_id for d in drafts])
    }
    result = []
    for draft in drafts:
        opportunity = existing.get(draft.external_id) or Opportunity(
            external_id=draft.external_id, slug=draft.slug
        )
        end = draft.start + datetime.timedelta(days=draft.days - 1)
        status = draft.status
        if status == Opportunity.Status.PUBLISHED and end < today:
            status = Opportunity.Status.PAST
        values: dict[str, Any] = {
            "kind": draft.kind,
            "host": hosts[draft.host],
            "title_en": draft.title_en,
            "title_sv": draft.title_sv,
            "description_en": draft.description_en,
            "description_sv": draft.description_sv,
            "start_date": draft.start,
            "end_date": end,
            "deadline": draft.start - datetime.timedelta(weeks=draft.deadline_weeks)
            if draft.deadline_weeks
            else None,
            "fee": Decimal(draft.fee),
            "currency": "EUR",
            "places": draft.places,
            "accommodation_included": draft.accommodation,
            "languages": draft.languages,
            "staff_categories": draft.categories,
            "topics": draft.topics,
            "faculty": units[draft.faculty],
            "status": status,
            "contact_name": "",
            "contact_email": f"staffweek@{hosts[draft.host].slug}.example.org",
            "registration_url": f"https://{hosts[draft.host].slug}.example.org/staff-training",
        }
        for name, value in values.items():
            setattr(opportunity, name, value)
        if opportunity.pk is None:
            opportunity.created_by = officers.get(draft.faculty)
        result.append(opportunity)
    return result


def load(count: int = 194, today: datetime.date | None = None) -> dict[str, int]:
    """Load the demo catalogue (idempotent); returns what it holds."""
    from utsikt.accounts import demo as accounts_demo

    today = today or timezone.localdate()
    with transaction.atomic():
        units = accounts_demo.load_organisation()
        officers: dict[str, User | None] = {
            code: User.objects.filter(email=email).first() for code, email in OFFICERS.items()
        }
        hosts = load_hosts()
        load_agreements(hosts, units)
        drafts = _handcrafted(today) + _generated(today, count, hosts)
        opportunities = _opportunities(drafts, hosts, units, officers, today)
        curation.save_opportunities(opportunities=opportunities, by=None)
        _load_proposals(hosts)
        search_index.bump_revision()
    return {
        "hosts": HostOrganisation.objects.count(),
        "agreements": PartnerAgreement.objects.count(),
        "opportunities": Opportunity.objects.count(),
    }


def _load_proposals(hosts: dict[str, HostOrganisation]) -> None:
    """A host proposed by a librarian, and a duplicate of a university to merge."""
    librarian = User.objects.filter(email="maja.lindqvist@example.org").first()
    if librarian is None:
        return
    portugal = Country.objects.get(iso2="PT")
    proposals = [
        ("Univ. Porto – Faculty of Arts Library", "university"),
        ("Biblioteca Municipal de Coimbra", "library"),
    ]
    for name, kind in proposals:
        if not HostOrganisation.objects.filter(name=name).exists():
            curation.propose_host(
                name=name,
                kind=kind,
                country=portugal,
                place=hosts["university-of-coimbra"].place
                if "Coimbra" in name
                else hosts["university-of-porto"].place,
                by=librarian,
                note="Proposed for a job-shadowing week (demo).",
            )
