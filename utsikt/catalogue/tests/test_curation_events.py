"""Every curation write leaves exactly one event per object, with its code, actor and object."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import curation, imports
from utsikt.catalogue.models import HostOrganisation, Opportunity, PartnerAgreement
from utsikt.core.actors import ActorKind
from utsikt.core.models import Event
from utsikt.grants.models import Country

from .conftest import TODAY
from .test_import import GOOD, csv_file

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]


def _new_events(before: int) -> list[tuple[str, str, str, str]]:
    return [
        (e.action, e.subject, e.actor_kind, e.actor_label)
        for e in Event.objects.order_by("id")[before:]
    ]


def test_opportunity_writes_leave_one_event_each(
    make_opportunity: MakeOpportunity, personas: dict[str, User]
) -> None:
    officer = personas["officer_ht"]
    week = make_opportunity(status=Opportunity.Status.DRAFT)
    subject = f"catalogue.opportunity:{week.pk}"
    assert Event.objects.about(week).get().action == "opportunity.created"
    before = Event.objects.count()
    curation.publish(opportunity=week, by=officer)
    week.title_en = "Library week"
    curation.save_opportunity(opportunity=week, by=officer)
    curation.cancel(opportunity=week, by=officer)
    curation.unpublish(opportunity=week, by=officer)
    name = str(officer)
    assert _new_events(before) == [
        ("opportunity.published", subject, ActorKind.USER, name),
        ("opportunity.updated", subject, ActorKind.USER, name),
        ("opportunity.cancelled", subject, ActorKind.USER, name),
        ("opportunity.unpublished", subject, ActorKind.USER, name),
    ]
    assert Event.objects.about(week).filter(actor_user=officer).count() == 4
    curation.delete_opportunities(opportunities=Opportunity.objects.filter(pk=week.pk), by=None)
    assert _new_events(before + 4) == [
        ("opportunity.deleted", subject, ActorKind.SYSTEM, "command line")
    ]


def test_a_refused_status_change_leaves_no_event(make_opportunity: MakeOpportunity) -> None:
    week = make_opportunity(status=Opportunity.Status.DRAFT)
    before = Event.objects.count()
    with pytest.raises(curation.CurationError):
        curation.cancel(opportunity=week, by=None)  # only a published one can be cancelled
    assert Event.objects.count() == before


def test_archiving_records_each_opportunity_it_marks_past(
    make_opportunity: MakeOpportunity,
) -> None:
    ended = make_opportunity(start=TODAY - datetime.timedelta(days=30))
    make_opportunity(title_en="Future week")
    before = Event.objects.count()
    curation.archive_past()
    assert _new_events(before) == [
        ("opportunity.archived", f"catalogue.opportunity:{ended.pk}", ActorKind.SYSTEM, "archive")
    ]


def test_host_writes_leave_one_event_each(make_host: MakeHost, personas: dict[str, User]) -> None:
    keep = make_host(name="University of Porto")
    duplicate = make_host(name="Univ. Porto")
    duplicate_id = duplicate.pk
    assert Event.objects.about(keep).get().action == "host.created"
    before = Event.objects.count()
    proposed = curation.propose_host(
        name="Casa das Letras",
        kind="ngo",
        country=Country.objects.get(iso2="PT"),
        by=personas["librarian"],
    )
    curation.approve_host(host=proposed, by=personas["officer_ht"])
    keep.website = "https://up.pt"
    curation.save_host(host=keep, by=personas["officer_ht"])
    curation.merge_hosts(keep=keep, duplicate=duplicate, by=personas["officer_ht"])
    assert [(a, s) for a, s, _kind, _label in _new_events(before)] == [
        ("host.proposed", f"catalogue.hostorganisation:{proposed.pk}"),
        ("host.approved", f"catalogue.hostorganisation:{proposed.pk}"),
        ("host.updated", f"catalogue.hostorganisation:{keep.pk}"),
        ("host.merged", f"catalogue.hostorganisation:{keep.pk}"),
    ]
    merged = Event.objects.about(keep).get(action="host.merged")
    assert merged.detail("duplicate") == duplicate_id
    assert merged.actor_user == personas["officer_ht"]


def test_agreements_are_recorded_and_removed_with_an_event_each(
    make_host: MakeHost, org: dict[str, OrgUnit], personas: dict[str, User]
) -> None:
    host = make_host()
    agreement = curation.record_agreement(
        agreement=PartnerAgreement(host=host, unit=org["ht"], valid_from=2024, valid_until=2029),
        by=personas["officer_ht"],
    )
    curation.remove_agreement(agreement=agreement, by=personas["officer_ht"])
    assert [e.action for e in Event.objects.filter(subject_type="catalogue.partneragreement")] == [
        "agreement.recorded",
        "agreement.removed",
    ]


def test_an_import_records_each_host_and_opportunity_it_creates(org: dict[str, OrgUnit]) -> None:
    report = imports.import_file(name="list.csv", data=csv_file(*GOOD), faculty=org["ht"], by=None)
    assert report.created == 2
    assert Event.objects.filter(action="opportunity.created").count() == 2
    assert Event.objects.filter(action="host.created").count() == HostOrganisation.objects.count()
    again = imports.import_file(name="list.csv", data=csv_file(*GOOD), faculty=org["ht"], by=None)
    assert again.unchanged == 2
    assert not Event.objects.filter(action="opportunity.updated").exists()


def test_saved_searches_leave_an_event_for_their_owner(personas: dict[str, User]) -> None:
    librarian = personas["librarian"]
    saved = curation.save_search(user=librarian, name="Porto", query="q=porto")
    saved_id = saved.pk
    curation.renew_feed_address(saved=saved, by=librarian)
    curation.delete_saved_search(saved=saved, by=librarian)
    assert [(e.action, e.actor_user) for e in Event.objects.filter(subject_id=saved_id)] == [
        ("search.saved", librarian),
        ("search.feed_renewed", librarian),
        ("search.deleted", librarian),
    ]
