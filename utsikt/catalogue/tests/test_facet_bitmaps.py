"""The facet bitmaps after a catalogue write: brought up to date with the opportunities the
database logged since they were read, they must be what reading them whole gives.

These tests commit (the bitmaps are never built upon inside a transaction, which may roll
back with its log).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from utsikt.catalogue import curation, search
from utsikt.catalogue.models import HostOrganisation, Opportunity, PartnerAgreement
from utsikt.catalogue.search import bitmaps
from utsikt.catalogue.search import index as search_index
from utsikt.core.testing import transactional

from .conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]

pytestmark = transactional()


def _as_read(found: bitmaps.Bitmaps) -> dict[str, Any]:
    """The bitmaps' contents, with each city's opportunities in order."""
    return {
        "listed": found.listed,
        "upcoming": found.upcoming,
        "codes": found.codes,
        "countries": found.countries,
        "months": found.months,
        "kinds": found.kinds,
        "flags": found.flags,
        "places": {place: sorted(ids) for place, ids in found.places.items()},
    }


def _current() -> tuple[bitmaps.Bitmaps, list[str]]:
    """The bitmaps under the catalogue's revision now, and the SQL that reading them took."""
    with CaptureQueriesContext(connection) as captured:
        found = bitmaps.current(search_index.current_revision(), timezone.localdate())
    return found, [query["sql"] for query in captured]


def test_bitmaps_brought_up_to_date_after_writes_are_the_bitmaps_read_whole(
    make_opportunity: MakeOpportunity, make_host: MakeHost, org: Any
) -> None:
    madrid = make_host(name="Complutense", country="ES", city="Madrid")
    made = [
        make_opportunity(
            host=madrid if number % 2 else None,
            title_en=f"Library week {number}",
            topics=("library",) if number % 3 else ("it", "finance"),
            fee=Decimal(100 * (number % 2)),
            start=TODAY + datetime.timedelta(days=10 + 40 * number),
        )
        for number in range(8)
    ]
    first, _sql = _current()
    assert _as_read(first) == _as_read(bitmaps.read(timezone.localdate()))

    # Every kind of write: added, changed, moved city and country, unpublished, deleted, a
    # bulk update of many rows (a partner agreement), a host's opportunities written anew.
    vienna = make_host(name="Universität Wien", country="AT", city="Vienna")
    make_opportunity(host=vienna, title_en="Library course", kind="course", languages=("de",))
    changed = made[0]
    changed.host = vienna
    changed.topics = ("sustainability",)
    changed.fee = Decimal(250)
    changed.deadline = None
    changed.start_date = TODAY + datetime.timedelta(days=400)
    changed.end_date = changed.start_date + datetime.timedelta(days=2)
    curation.save_opportunity(opportunity=changed, by=None)
    curation.unpublish(opportunity=made[1], by=None)
    curation.cancel(opportunity=made[2], by=None)
    curation.delete_opportunities(opportunities=Opportunity.objects.filter(pk=made[3].pk), by=None)
    agreement = PartnerAgreement(
        unit=org["ht"], host=madrid, valid_from=TODAY.year, valid_until=TODAY.year + 2
    )
    curation.record_agreement(agreement=agreement, by=None)

    after, sql = _current()
    # Only what was logged was read: no statement grouped every listed opportunity again.
    assert any("catalogue_opportunitychange" in statement for statement in sql)
    assert not any("GROUP BY" in statement for statement in sql)
    assert _as_read(after) == _as_read(bitmaps.read(timezone.localdate()))
    assert after.flags["partner"] and not first.flags["partner"]

    # The counts a search shows are those of the bitmaps read whole.
    result = search.search("library", correct=False)
    assert result.total == Opportunity.objects.upcoming().count() == 6
    countries = {v.value: v.count for f in result.facets() if f.name == "country" for v in f.values}
    upcoming = Opportunity.objects.upcoming().values_list("country_id", flat=True)
    assert countries == {country: list(upcoming).count(country) for country in set(upcoming)}
    assert set(countries) == {"AT", "ES", "PT"}


def test_bitmaps_are_read_whole_when_the_log_was_emptied(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Library week")
    _current()
    from utsikt.catalogue.models import OpportunityChange

    OpportunityChange.objects.all().delete()  # as a flush between tests does
    make_opportunity(title_en="Library course", kind="course")
    after, sql = _current()
    assert any("GROUP BY" in statement for statement in sql)
    assert _as_read(after) == _as_read(bitmaps.read(timezone.localdate()))
    assert after.listed.bit_count() == 2


def test_bitmaps_read_inside_a_transaction_are_not_built_upon(
    make_opportunity: MakeOpportunity,
) -> None:
    from django.db import transaction

    make_opportunity(title_en="Library week")
    with transaction.atomic():
        added = make_opportunity(title_en="Library course", kind="course")
        inside, _sql = _current()
        assert inside.listed.bit_count() == 2
        transaction.set_rollback(True)
    assert not Opportunity.objects.filter(pk=added.pk).exists()
    make_opportunity(title_en="Library day")
    after, sql = _current()
    assert any("GROUP BY" in statement for statement in sql)
    assert _as_read(after) == _as_read(bitmaps.read(timezone.localdate()))
    assert after.listed.bit_count() == 2


def test_the_triggers_that_log_writes_are_in_place_after_every_migration() -> None:
    # SQLite drops a table's triggers when a migration rebuilds the table: the bitmaps would
    # then be read whole after every write. A migration that does so must make them again.
    with connection.cursor() as cursor:
        cursor.execute(bitmaps._TRIGGERS[connection.vendor], list(bitmaps.LOG_TRIGGERS))
        assert cursor.fetchone()[0] == len(bitmaps.LOG_TRIGGERS)
