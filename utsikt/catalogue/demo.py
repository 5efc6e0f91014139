"""Demo catalogue: real partner universities, invented hosts and about 200 invented opportunities.

The data is in data/demo_hosts.json (hosts, partner agreements, proposed hosts) and
data/demo_opportunities.json (the handwritten opportunities, and the themes, texts and choices
the others are drawn from); this module only loads it. Dates are set relative to today, so the
demo always has upcoming staff weeks (among them a staff week for librarians in Porto next
spring) and a history of past ones. Loading is idempotent: hosts are found by slug and
opportunities by external id, and everything is written through curation.py like any other
change.
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
# The staff week a new colleague should find in seconds (the "done when"); its slug
# in data/demo_opportunities.json.
PORTO_LIBRARY_WEEK = "library-staff-week-porto"


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
        hosts[host.slug] = host
    # New hosts in one insert (and one revision change); saved one by one, each with its
    # opportunities' refresh and reindex (none yet) and its own revision change, the 82 hosts
    # were a third of the CPU time of every `load_demo`.
    new = [host for host in hosts.values() if host.pk is None]
    stored = [host for host in hosts.values() if host.pk is not None]
    if new:
        curation.add_hosts(hosts=new, by=None)
    for host in stored:
        curation.save_host(host=host, by=None)
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


def _texts() -> dict[str, str]:
    return _data("demo_opportunities.json")["texts"]  # type: ignore[no-any-return]


def _all_ta_staff() -> tuple[str, ...]:
    return tuple(_data("demo_opportunities.json")["all_ta_staff"])


def _week(language: str, theme: Theme, subject: str, host: str, fee: int, rooms: bool) -> str:
    """The description of a staff week, in "en" or "sv"."""
    texts = _texts()
    return texts[f"staff_week_{language}"].format(
        host=host,
        subject=subject,
        unit=theme.unit_en if language == "en" else theme.unit_sv,
        fee=texts[f"fee_{language}"].format(fee=fee) if fee else texts[f"no_fee_{language}"],
        rooms=texts[f"rooms_{language}"] if rooms else texts[f"own_rooms_{language}"],
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


def _start(when: dict[str, Any], today: datetime.date) -> datetime.date:
    if "spring" in when:
        month, day = when["spring"]
        return _monday_on_or_after(datetime.date(spring(today), month, day))
    return _monday_on_or_after(today + datetime.timedelta(days=when["days_from_today"]))


def _handcrafted(today: datetime.date) -> list[Draft]:
    """The opportunities written by hand, the Porto week for librarians first."""
    return [
        Draft(
            external_id=row["external_id"],
            slug=row["slug"],
            kind=row["kind"],
            host=row["host"],
            title_en=row["title_en"],
            title_sv=row["title_sv"],
            description_en=row["description_en"],
            description_sv=row["description_sv"],
            start=_start(row["start"], today),
            days=row["days"],
            fee=row["fee"],
            places=row["places"],
            accommodation=row["accommodation"],
            languages=tuple(row["languages"]),
            categories=tuple(row["categories"]) or _all_ta_staff(),
            topics=tuple(row["topics"]),
            faculty=row["faculty"],
            deadline_weeks=row["deadline_weeks"],
            status=row["status"],
        )
        for row in _data("demo_opportunities.json")["handcrafted"]
    ]


def _generated(today: datetime.date, count: int, hosts: dict[str, HostOrganisation]) -> list[Draft]:
    """Invented but plausible opportunities, the same every time for the same day."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    data = _data("demo_opportunities.json")
    texts, choices, all_ta = data["texts"], data["choices"], _all_ta_staff()
    faculties, faculty_of_topic = data["faculties"], data["faculty_of_topic"]
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
            fee = rng.choice(choices["staff_week"]["fees"])
            rooms = rng.random() < 0.2
            local = data["local_language"].get(host.country_id, "en")
            languages = ("en",) if rng.random() < 0.6 else ("en", local)
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Opportunity.Kind.STAFF_WEEK,
                host=host.slug,
                title_en=f"{theme.week_en}: {subject_en[0].upper()}{subject_en[1:]}",
                title_sv=f"{theme.week_sv}: {subject_sv}",
                description_en=_week("en", theme, subject_en, host.name, fee, rooms),
                description_sv=_week("sv", theme, subject_sv, host.name, fee, rooms),
                start=start,
                days=5,
                fee=fee,
                places=rng.choice(choices["staff_week"]["places"]),
                accommodation=rooms,
                languages=languages,
                categories=theme.categories,
                topics=(theme.topic, extra) if extra else (theme.topic,),
                faculty=faculty_of_topic.get(theme.topic) or rng.choice(faculties),
            )
        elif roll < 0.7:
            theme = rng.choice(all_themes)
            host = hosts[rng.choice(universities)]
            en = {"unit": theme.unit_en, "host": host.name}
            sv = {"unit": theme.unit_sv, "host": host.name}
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Opportunity.Kind.JOB_SHADOWING,
                host=host.slug,
                title_en=texts["job_shadowing_title_en"].format(**en),
                title_sv=texts["job_shadowing_title_sv"].format(**sv),
                description_en=texts["job_shadowing_en"].format(**en),
                description_sv=texts["job_shadowing_sv"].format(**sv),
                start=start,
                days=5,
                fee=0,
                places=rng.choice(choices["job_shadowing"]["places"]),
                accommodation=False,
                languages=("en",),
                categories=theme.categories,
                topics=(theme.topic,),
                faculty=rng.choice(faculties),
                deadline_weeks=None if rng.random() < 0.5 else 6,
            )
        elif roll < 0.87:
            course = rng.choice(data["courses"])
            host = hosts[rng.choice(course["providers"])]
            fee = rng.choice(choices["course"]["fees"])
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Opportunity.Kind.COURSE,
                host=host.slug,
                title_en=course["title_en"],
                title_sv=course["title_sv"],
                description_en=texts["course_en"].format(host=host.name, fee=fee),
                description_sv=texts["course_sv"].format(host=host.name, fee=fee),
                start=start,
                days=5,
                fee=fee,
                places=rng.choice(choices["course"]["places"]),
                accommodation=rng.random() < 0.1,
                languages=("en",),
                categories=tuple(course["categories"]) or all_ta,
                topics=tuple(course["topics"]),
                faculty=rng.choice(faculties),
            )
        else:
            course = rng.choice(data["language_courses"])
            language = course["language"]
            host = hosts[rng.choice(course["providers"])]
            fee = rng.choice(choices["language_course"]["fees"])
            draft = Draft(
                external_id=f"demo-{number:03d}",
                kind=Opportunity.Kind.LANGUAGE_COURSE,
                host=host.slug,
                title_en=course["title_en"],
                title_sv=course["title_sv"],
                description_en=texts["language_course_en"].format(host=host.name),
                description_sv=texts["language_course_sv"].format(host=host.name),
                start=start,
                days=12,
                fee=fee,
                places=rng.choice(choices["language_course"]["places"]),
                accommodation=rng.random() < 0.3,
                languages=(language,) if language == "en" else (language, "en"),
                categories=all_ta,
                topics=("language", "intercultural"),
                faculty=rng.choice(faculties),
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
    texts = _texts()
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
            "contact_email": texts["contact_email"].format(host=hosts[draft.host].slug),
            "registration_url": texts["registration_url"].format(host=hosts[draft.host].slug),
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
            code: User.objects.filter(email=email).first()
            for code, email in _data("demo_opportunities.json")["curators"].items()
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
    """Hosts proposed by a librarian: a new one, and a duplicate of a university to merge."""
    proposals = _data("demo_hosts.json")["proposals"]
    librarian = User.objects.filter(email=proposals["proposed_by"]).first()
    if librarian is None:
        return
    country = Country.objects.get(iso2=proposals["country"])
    for row in proposals["hosts"]:
        if not HostOrganisation.objects.filter(name=row["name"]).exists():
            curation.propose_host(
                name=row["name"],
                kind=row["kind"],
                country=country,
                place=hosts[row["place_of"]].place,
                by=librarian,
                note=proposals["note"],
            )
