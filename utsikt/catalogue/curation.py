"""Every change to the catalogue: opportunities, hosts, agreements and saved searches.

Views, commands and the admin call these functions and nothing else writes. Each one keeps the
full-text index in step and changes the catalogue's revision, so cached search results never
show something that changed, and writes an event per object changed (`opportunity.published`,
`host.merged` ...) in the same transaction. `by` is the person acting; None means the command
line (or, for `archive_past`, the daily task).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue.access import is_curator, may_curate
from utsikt.catalogue.models import (
    HostOrganisation,
    ImportMapping,
    Opportunity,
    PartnerAgreement,
    SavedSearch,
    SearchTerm,
    new_feed_key,
)
from utsikt.catalogue.search import index as search_index
from utsikt.core import events
from utsikt.core.actors import COMMAND_LINE, Actor
from utsikt.grants.models import Country, Place


class CurationError(Exception):
    """A change that cannot be made as asked; the message is shown to the person."""


def _actor(by: User | None) -> Actor:
    return Actor.of(by) if by is not None else COMMAND_LINE


def _require_curator(by: User | None, faculty_id: int | None = None) -> None:
    if by is None:
        return
    allowed = may_curate(by, faculty_id) if faculty_id is not None else is_curator(by)
    if not allowed:
        raise PermissionDenied


def unique_slug(
    model: type[Opportunity] | type[HostOrganisation],
    text: str,
    pk: int | None,
    reserved: set[str] | None = None,
) -> str:
    """A slug made from the text, numbered if another row (or a reserved slug) has it."""
    limit = model._meta.get_field("slug").max_length or 100
    base = (slugify(text) or "item")[: limit - 6].strip("-")
    others = model.objects.filter(slug__startswith=base)
    if pk is not None:
        others = others.exclude(pk=pk)
    taken = set(others.values_list("slug", flat=True)) | {
        slug for slug in reserved or () if slug.startswith(base)
    }
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def derive(opportunity: Opportunity) -> None:
    """Fill the fields copied from the host and dates, which facets and sorting rely on."""
    host = opportunity.host
    # Objects, not ids: the index needs their names, and ids alone would cost a query each.
    opportunity.country = host.country
    opportunity.place = host.place
    opportunity.partner_until = host.partner_until
    start = opportunity.start_date
    opportunity.start_month = start.replace(day=1) if start is not None else None


def _require_dates(opportunity: Opportunity) -> None:
    """Only a draft may lack its days: nothing without them is published."""
    if opportunity.start_date is None or opportunity.end_date is None:
        raise CurationError(
            _(
                "“%(title)s” has no first and last day yet; add the dates before "
                "publishing it. Until then it stays a draft."
            )
            % {"title": opportunity.title}
        )


# ---------------------------------------------------------------------------------------------
# Opportunities


def save_opportunity(*, opportunity: Opportunity, by: User | None) -> Opportunity:
    """Create or change an opportunity and index it; officers only for their own faculty."""
    return save_opportunities(opportunities=[opportunity], by=by)[0]


def save_opportunities(*, opportunities: list[Opportunity], by: User | None) -> list[Opportunity]:
    """Create or change many opportunities in one transaction (an import, the demo data).

    New ones are inserted in bulk; the index is written in batches and the revision changes
    once. A curator may only save opportunities of faculties they curate, and may not take
    over another faculty's opportunity by changing its faculty.
    """
    for faculty_id in {o.faculty_id for o in opportunities}:
        _require_curator(by, faculty_id)
    existing = [o.pk for o in opportunities if o.pk]
    if existing:
        stored = Opportunity.objects.filter(pk__in=existing).values_list("faculty_id", flat=True)
        for faculty_id in set(stored):
            _require_curator(by, faculty_id)
    for opportunity in opportunities:
        if opportunity.status != Opportunity.Status.DRAFT:
            _require_dates(opportunity)
    now = timezone.now()
    reserved: set[str] = set()
    for opportunity in opportunities:
        derive(opportunity)
        if not opportunity.slug:
            title = opportunity.title_en or opportunity.title_sv
            start = opportunity.start_date
            opportunity.slug = unique_slug(
                Opportunity, f"{title} {start:%Y}" if start else title, opportunity.pk, reserved
            )
        reserved.add(opportunity.slug)
        if not opportunity.pk:
            opportunity.created_by = by
            opportunity.created_at = now
            if opportunity.status == Opportunity.Status.PUBLISHED:
                opportunity.published_at = now
        opportunity.updated_at = now
    new = [o for o in opportunities if not o.pk]
    changed = [o for o in opportunities if o.pk]
    with transaction.atomic():
        Opportunity.objects.bulk_create(new, batch_size=500)
        for opportunity in changed:
            opportunity.save()
        search_index.index(opportunities)
        search_index.bump_revision()
        events.record_each(action="opportunity.created", actor=_actor(by), subjects=new)
        events.record_each(action="opportunity.updated", actor=_actor(by), subjects=changed)
    return opportunities


def _change_status(
    opportunity: Opportunity, by: User | None, allowed_from: list[str], to: str, event: str
) -> None:
    _require_curator(by, opportunity.faculty_id)
    changes: dict[str, object] = {"status": to, "updated_at": timezone.now()}
    if to == Opportunity.Status.PUBLISHED:
        changes["published_at"] = timezone.now()
    with transaction.atomic():
        # A conditional update: of two officers clicking at once, one changes the status.
        rows = Opportunity.objects.filter(pk=opportunity.pk, status__in=allowed_from)
        if to != Opportunity.Status.DRAFT:
            # The dates as stored, not as this (perhaps older) copy has them.
            rows = rows.filter(start_date__isnull=False, end_date__isnull=False)
        changed = rows.update(**changes)
        if changed != 1:
            if to != Opportunity.Status.DRAFT:
                opportunity.refresh_from_db(fields=["start_date", "end_date"])
                _require_dates(opportunity)
            raise CurationError(
                _("This opportunity is %(status)s now; reload the page and try again.")
                % {"status": Opportunity.Status(opportunity.status).label.lower()}
            )
        search_index.bump_revision()
        events.record(
            action=event,
            actor=_actor(by),
            subject=opportunity,
            payload={"from": opportunity.status, "to": to},
        )
    opportunity.refresh_from_db(fields=["status", "updated_at", "published_at"])


def publish(*, opportunity: Opportunity, by: User | None) -> None:
    """Make a draft (or a cancelled opportunity) visible to everyone and searchable."""
    _change_status(
        opportunity,
        by,
        [Opportunity.Status.DRAFT, Opportunity.Status.CANCELLED],
        Opportunity.Status.PUBLISHED,
        "opportunity.published",
    )


def unpublish(*, opportunity: Opportunity, by: User | None) -> None:
    """Take a published opportunity back to draft, hidden from everyone but its curators."""
    _change_status(
        opportunity,
        by,
        [Opportunity.Status.PUBLISHED, Opportunity.Status.CANCELLED],
        Opportunity.Status.DRAFT,
        "opportunity.unpublished",
    )


def cancel(*, opportunity: Opportunity, by: User | None) -> None:
    """Mark a published opportunity as cancelled; its page stays, so nobody is left guessing."""
    _change_status(
        opportunity,
        by,
        [Opportunity.Status.PUBLISHED],
        Opportunity.Status.CANCELLED,
        "opportunity.cancelled",
    )


def delete_opportunities(*, opportunities: QuerySet[Opportunity], by: User | None) -> int:
    """Delete opportunities (generated benchmark data, mistakes); past ones are history:
    mark them past instead. The FTS5 table on SQLite is cleaned by its trigger."""
    for faculty_id in set(opportunities.values_list("faculty_id", flat=True)):
        _require_curator(by, faculty_id)
    with transaction.atomic():
        # The events name what is gone; written first, while the rows still exist to name.
        events.record_each(
            action="opportunity.deleted", actor=_actor(by), subjects=opportunities.only("pk")
        )
        count, _by_model = opportunities.delete()
        search_index.bump_revision()
    return count


_ARCHIVE = Actor.system("archive")


def archive_past(*, today: datetime.date | None = None) -> int:
    """Mark published opportunities that have ended as past; they stay searchable as history."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ended = list(
            Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED)
            .ended(today)
            .select_for_update()
            .only("pk")
        )
        count = Opportunity.objects.filter(
            pk__in=[o.pk for o in ended], status=Opportunity.Status.PUBLISHED
        ).update(status=Opportunity.Status.PAST, updated_at=timezone.now())
        if count:
            search_index.bump_revision()
            events.record_each(action="opportunity.archived", actor=_ARCHIVE, subjects=ended)
    return count


# ---------------------------------------------------------------------------------------------
# Hosts and agreements


def _refresh_host(host: HostOrganisation) -> None:
    """Copy the host's country, city and partner status to its opportunities and reindex them."""
    Opportunity.objects.filter(host=host).update(
        country_id=host.country_id, place_id=host.place_id, partner_until=host.partner_until
    )
    ids = list(Opportunity.objects.filter(host=host).values_list("pk", flat=True))
    search_index.reindex(ids)


def propose_host(
    *,
    name: str,
    kind: str,
    country: Country,
    by: User,
    place: Place | None = None,
    local_name: str = "",
    website: str = "",
    erasmus_code: str = "",
    contact_name: str = "",
    contact_email: str = "",
    note: str = "",
) -> HostOrganisation:
    """Suggest a host that is not in the catalogue yet; a curator's proposal is approved at once."""
    host = HostOrganisation(
        name=name,
        local_name=local_name,
        kind=kind,
        country=country,
        place=place,
        website=website,
        erasmus_code=erasmus_code,
        contact_name=contact_name,
        contact_email=contact_email,
        note=note,
        proposed_by=by,
        status=HostOrganisation.Status.APPROVED
        if is_curator(by)
        else HostOrganisation.Status.PROPOSED,
    )
    host.slug = unique_slug(HostOrganisation, name, None)
    with transaction.atomic():
        host.save()
        search_index.bump_revision()
        events.record(
            action="host.proposed",
            actor=Actor.of(by),
            subject=host,
            payload={"status": host.status},
        )
    return host


def add_hosts(*, hosts: list[HostOrganisation], by: User | None) -> None:
    """Insert many new hosts at once (benchmark, demo data); slugs set and unique."""
    _require_curator(by)
    now = timezone.now()
    for host in hosts:
        host.created_at = host.updated_at = now
    with transaction.atomic():
        HostOrganisation.objects.bulk_create(hosts, batch_size=1000)
        search_index.bump_revision()
        events.record_each(action="host.created", actor=_actor(by), subjects=hosts)


def delete_hosts(*, hosts: QuerySet[HostOrganisation], by: User | None) -> None:
    """Delete hosts that nothing refers to any more (their agreements go with them)."""
    _require_curator(by)
    with transaction.atomic():
        events.record_each(action="host.deleted", actor=_actor(by), subjects=hosts.only("pk"))
        hosts.delete()
        search_index.bump_revision()


def save_host(*, host: HostOrganisation, by: User | None) -> HostOrganisation:
    """Create or change a host; its opportunities follow its country, city and name."""
    _require_curator(by)
    if not host.slug:
        host.slug = unique_slug(HostOrganisation, host.name, host.pk)
    host.updated_at = timezone.now()
    created = host.pk is None
    with transaction.atomic():
        host.save()
        _refresh_host(host)
        search_index.bump_revision()
        events.record(
            action="host.created" if created else "host.updated", actor=_actor(by), subject=host
        )
    return host


def approve_host(*, host: HostOrganisation, by: User | None) -> None:
    """Accept a proposed host into the catalogue."""
    _require_curator(by)
    with transaction.atomic():
        HostOrganisation.objects.filter(pk=host.pk).update(
            status=HostOrganisation.Status.APPROVED, updated_at=timezone.now()
        )
        search_index.bump_revision()
        events.record(action="host.approved", actor=_actor(by), subject=host)
    host.refresh_from_db(fields=["status", "updated_at"])


def merge_hosts(
    *, keep: HostOrganisation, duplicate: HostOrganisation, by: User | None
) -> HostOrganisation:
    """Fold a duplicate into the host to keep: its opportunities and agreements move over."""
    _require_curator(by)
    if keep.pk == duplicate.pk:
        raise CurationError(_("A host cannot be merged into itself."))
    with transaction.atomic():
        # What the kept host lacks, the duplicate may know (its Erasmus code, its website …).
        fields = ["local_name", "website", "erasmus_code", "oid", "pic", "contact_name"]
        fields += ["contact_email", "place"]
        missing = {f: getattr(duplicate, f) for f in fields if not getattr(keep, f)}
        events.record(
            action="host.merged",
            actor=_actor(by),
            subject=keep,
            payload={"duplicate": duplicate.pk, "name": duplicate.name},
        )
        Opportunity.objects.filter(host=duplicate).update(host=keep)
        PartnerAgreement.objects.filter(host=duplicate).update(host=keep)
        duplicate.delete()
        for name, value in missing.items():
            setattr(keep, name, value)
        keep.status = HostOrganisation.Status.APPROVED
        keep.partner_until = keep.agreements.aggregate(until=Max("valid_until"))["until"]
        keep.updated_at = timezone.now()
        keep.save()
        _refresh_host(keep)
        search_index.bump_revision()
    return keep


def _require_unit(by: User | None, unit: OrgUnit) -> None:
    if by is None or by.is_superuser:
        return
    faculty = unit.faculty
    if not may_curate(by, faculty.pk if faculty else None):
        raise PermissionDenied


def record_agreement(*, agreement: PartnerAgreement, by: User | None) -> PartnerAgreement:
    """Save a partner agreement of a faculty or department; the host becomes a partner."""
    _require_unit(by, agreement.unit)
    created = agreement.pk is None
    with transaction.atomic():
        agreement.save()
        _update_partner(agreement.host)
        events.record(
            action="agreement.recorded" if created else "agreement.updated",
            actor=_actor(by),
            subject=agreement,
            payload={"host": agreement.host_id, "unit": agreement.unit_id},
        )
    return agreement


def remove_agreement(*, agreement: PartnerAgreement, by: User | None) -> None:
    """Delete an agreement entered by mistake; an ended one simply stops being current."""
    _require_unit(by, agreement.unit)
    host = agreement.host
    with transaction.atomic():
        events.record(
            action="agreement.removed",
            actor=_actor(by),
            subject=agreement,
            payload={"host": agreement.host_id, "unit": agreement.unit_id},
        )
        agreement.delete()
        _update_partner(host)


def _update_partner(host: HostOrganisation) -> None:
    until = host.agreements.aggregate(until=Max("valid_until"))["until"]
    HostOrganisation.objects.filter(pk=host.pk).update(partner_until=until)
    Opportunity.objects.filter(host=host).update(partner_until=until)
    host.partner_until = until
    search_index.bump_revision()


# ---------------------------------------------------------------------------------------------
# Saved searches


def save_search(*, user: User, name: str, query: str) -> SavedSearch:
    """Keep a search (its query string) under a name, to come back to or follow as a calendar."""
    with transaction.atomic():
        saved = SavedSearch.objects.create(user=user, name=name[:120], query=query[:1000])
        events.record(action="search.saved", actor=Actor.of(user), subject=saved)
    return saved


def delete_saved_search(*, saved: SavedSearch, by: User) -> None:
    """Forget a saved search; its calendar address stops working."""
    if saved.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        events.record(action="search.deleted", actor=Actor.of(by), subject=saved)
        saved.delete()


def renew_feed_address(*, saved: SavedSearch, by: User) -> None:
    """Give the calendar feed a new address; copies of the old one stop working."""
    if saved.user_id != by.pk:
        raise PermissionDenied
    saved.feed_key = new_feed_key()
    with transaction.atomic():
        saved.save(update_fields=["feed_key"])
        events.record(action="search.feed_renewed", actor=Actor.of(by), subject=saved)


# ---------------------------------------------------------------------------------------------
# The search's terms across languages, and the import's saved column mappings


def save_search_term(*, term: SearchTerm, by: User | None) -> SearchTerm:
    """Save a group of words that mean the same; searches use it from the next revision."""
    with transaction.atomic():
        term.updated_at = timezone.now()
        term.save()
        search_index.bump_revision()
        events.record(
            action="search_term.saved",
            actor=_actor(by),
            subject=term,
            payload={"terms": term.phrases()},
        )
    return term


def delete_search_term(*, term: SearchTerm, by: User | None) -> None:
    with transaction.atomic():
        events.record(
            action="search_term.deleted",
            actor=_actor(by),
            subject=term,
            payload={"terms": term.phrases()},
        )
        term.delete()
        search_index.bump_revision()


def save_import_mapping(
    *, faculty: OrgUnit, name: str, columns: dict[str, str], by: User | None
) -> ImportMapping:
    """Keep how a source's headings map to the import's columns, under a name."""
    _require_curator(by, faculty.pk)
    with transaction.atomic():
        mapping, _created = ImportMapping.objects.update_or_create(
            faculty=faculty,
            name=name[:100],
            defaults={"columns": columns, "updated_at": timezone.now()},
        )
        events.record(
            action="import_mapping.saved",
            actor=_actor(by),
            subject=mapping,
            payload={"columns": columns},
        )
    return mapping
