"""The write functions: merging hosts, agreements and the partner badge, history, the index."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import curation, schema, search
from utsikt.catalogue.models import HostOrganisation, Opportunity, PartnerAgreement
from utsikt.grants import rates
from utsikt.grants.models import Country, InstitutionRules

from .conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]


def test_merging_moves_opportunities_and_agreements_and_keeps_what_the_duplicate_knew(
    make_opportunity: MakeOpportunity, make_host: MakeHost, org: dict[str, OrgUnit]
) -> None:
    keep = make_host(name="University of Porto")
    duplicate = make_host(name="Univ. Porto", erasmus_code="P  PORTO02", website="https://up.pt")
    week = make_opportunity(host=duplicate, title_en="Porto week")
    curation.record_agreement(
        agreement=PartnerAgreement(
            host=duplicate, unit=org["ht"], valid_from=TODAY.year, valid_until=TODAY.year + 1
        ),
        by=None,
    )
    curation.merge_hosts(keep=keep, duplicate=duplicate, by=None)
    keep.refresh_from_db()
    week.refresh_from_db()
    assert not HostOrganisation.objects.filter(pk=duplicate.pk).exists()
    assert (week.host_id, keep.erasmus_code, keep.website) == (
        keep.pk,
        "P  PORTO02",
        "https://up.pt",
    )
    assert keep.agreements.count() == 1 and keep.is_partner and week.is_partner


def test_a_current_agreement_makes_a_partner_and_an_ended_one_does_not(
    make_opportunity: MakeOpportunity, make_host: MakeHost, org: dict[str, OrgUnit]
) -> None:
    host = make_host()
    week = make_opportunity(host=host)
    ended = curation.record_agreement(
        agreement=PartnerAgreement(host=host, unit=org["sol"], valid_from=2014, valid_until=2020),
        by=None,
    )
    week.refresh_from_db()
    assert not week.is_partner
    current = curation.record_agreement(
        agreement=PartnerAgreement(
            host=host, unit=org["ht"], valid_from=TODAY.year - 2, valid_until=TODAY.year + 1
        ),
        by=None,
    )
    week.refresh_from_db()
    assert week.is_partner
    assert search.search("", search.Filters(partner_only=True)).total == 1
    curation.remove_agreement(agreement=current, by=None)
    week.refresh_from_db()
    assert week.partner_until == ended.valid_until and not week.is_partner


def test_an_officer_records_agreements_only_for_units_of_their_faculty(
    make_host: MakeHost, org: dict[str, OrgUnit], personas: dict[str, User]
) -> None:
    host = make_host()
    curation.record_agreement(
        agreement=PartnerAgreement(
            host=host, unit=org["kultur"], valid_from=2021, valid_until=2027
        ),
        by=personas["officer_ht"],
    )
    with pytest.raises(PermissionDenied):
        curation.record_agreement(
            agreement=PartnerAgreement(
                host=host, unit=org["svet"], valid_from=2021, valid_until=2027
            ),
            by=personas["officer_ht"],
        )


def test_ended_opportunities_are_marked_past_and_stay_findable(
    make_opportunity: MakeOpportunity,
) -> None:
    ended = make_opportunity(title_en="History week", start=TODAY - datetime.timedelta(days=30))
    coming = make_opportunity(title_en="Future week")
    assert curation.archive_past() == 1
    ended.refresh_from_db()
    coming.refresh_from_db()
    assert (ended.status, coming.status) == ("past", "published")
    assert search.search("history", search.Filters(include_past=True)).total == 1


def test_a_staff_proposal_waits_and_a_curators_proposal_is_approved_at_once(
    personas: dict[str, User],
) -> None:
    portugal = Country.objects.get(iso2="PT")
    staff = curation.propose_host(
        name="Casa das Letras", kind="ngo", country=portugal, by=personas["librarian"]
    )
    office = curation.propose_host(
        name="Casa dos Livros", kind="ngo", country=portugal, by=personas["officer_ht"]
    )
    assert (staff.status, office.status) == ("proposed", "approved")


def test_the_full_text_index_is_in_place_after_migrating(db: None) -> None:
    assert schema.full_text_index_exists(connection)


def test_slugs_stay_unique(make_opportunity: MakeOpportunity) -> None:
    first = make_opportunity(slug="")
    second = make_opportunity(slug="")
    assert first.slug != second.slug
    assert first.slug.startswith("international-staff-week")


def test_the_catalogue_asks_the_rules_whether_a_kind_of_host_is_fundable(db: None) -> None:
    embassy = HostOrganisation(name="Embassy", kind=HostOrganisation.Kind.DIPLOMATIC_MISSION)
    museum = HostOrganisation(name="Museum", kind=HostOrganisation.Kind.MUSEUM)
    assert museum.fundable and not embassy.fundable
    InstitutionRules.objects.update(excludes_diplomatic_missions=False)
    rates.forget()
    try:
        assert embassy.fundable
    finally:
        rates.forget()
