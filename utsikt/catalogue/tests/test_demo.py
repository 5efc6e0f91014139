"""The demo catalogue: real universities, invented opportunities, loaded idempotently."""

from __future__ import annotations

import re

from utsikt.accounts.models import User
from utsikt.catalogue import demo
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.grants import rates
from utsikt.grants.eligibility import host_kind_fundable
from utsikt.grants.vocabulary import HostKind

from .conftest import TODAY

# Country prefix (one to three letters, padded to three), then city code and number.
ERASMUS_CODE = re.compile(r"^[A-Z]{1,3} {0,2}[A-Z][A-Z-]*\d{2,3}$")


def test_loading_the_demo_twice_changes_nothing(personas: dict[str, User]) -> None:
    first = demo.load()
    second = demo.load()
    assert first == second
    assert 180 <= first["opportunities"] <= 220


def test_the_demo_has_about_sixty_real_universities_with_well_formed_erasmus_codes(
    catalogue: dict[str, int],
) -> None:
    universities = HostOrganisation.objects.filter(kind="university", slug__in=[
        u["slug"] for u in demo._data("demo_hosts.json")["universities"]
    ])  # fmt: skip
    assert 55 <= universities.count() <= 70
    codes = [u.erasmus_code for u in universities if u.erasmus_code]
    assert all(ERASMUS_CODE.match(code) for code in codes), codes
    assert len(codes) == len(set(codes))
    assert universities.filter(place__isnull=True).count() <= 2


def test_the_demo_shows_hosts_the_programme_does_not_fund(catalogue: dict[str, int]) -> None:
    kinds = set(HostOrganisation.objects.values_list("kind", flat=True))
    call = rates.current()
    assert kinds >= {kind for kind in HostKind.values if not host_kind_fundable(kind, call)}


def test_the_demo_has_a_staff_week_for_librarians_in_portugal_next_spring(
    catalogue: dict[str, int],
) -> None:
    week = Opportunity.objects.get(slug=demo.PORTO_LIBRARY_WEEK)
    assert (week.kind, week.status, week.country_id) == ("staff_week", "published", "PT")
    assert "librarian" in week.staff_categories
    assert week.start_date.month in (3, 4, 5) and week.start_date > TODAY
    assert week.is_partner


def test_the_demo_has_history_and_every_eligible_country_is_visited(
    catalogue: dict[str, int],
) -> None:
    assert Opportunity.objects.filter(status="past").count() >= 50
    countries = set(Opportunity.objects.values_list("country_id", flat=True))
    assert len(countries) >= 25
