"""Code sets (staff categories, topics, languages) stored as bits and queried as sets."""

from __future__ import annotations

from collections.abc import Callable

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import CATEGORY_CODES, Opportunity


def test_every_staff_category_can_be_stored_and_filtered() -> None:
    # A category added to accounts must be appended to CATEGORY_CODES (never reordered).
    assert set(StaffCategory.values) == set(CATEGORY_CODES)


def test_code_sets_round_trip_in_their_own_order_and_match_any_code(
    make_opportunity: Callable[..., Opportunity],
) -> None:
    made = make_opportunity(staff_categories=("hr", "librarian"), languages=("pt", "en"))
    stored = Opportunity.objects.get(pk=made.pk)
    assert stored.staff_categories == ("librarian", "hr")
    assert stored.languages == ("en", "pt")
    assert Opportunity.objects.filter(staff_categories__has_any=["hr", "manager"]).count() == 1
    assert Opportunity.objects.filter(staff_categories__has_any=["manager"]).count() == 0
