"""Who may see and curate what in the catalogue. Gates raise 404 for what the user may not see.

Everyone sees published, cancelled and past opportunities and approved hosts. An opportunity
belongs to the faculty whose international office curates it: that office's officers edit it
and see its drafts; administrators curate everything.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from utsikt.accounts.access import ADMINISTRATOR, Role, office_faculties, roles_of
from utsikt.accounts.models import OrgUnit, OrgUnitQuerySet, User
from utsikt.catalogue.models import HostOrganisation, ImportRun, Opportunity, SavedSearch
from utsikt.core import signing

# The signing purpose of calendar addresses; changing it would break every subscribed one.
FEED_PURPOSE = "utsikt.catalogue.feed"
Visitor = User | AnonymousUser


def curated_faculties(user: Visitor) -> OrgUnitQuerySet:
    """Faculties whose catalogue items the user curates: their office's, or all for admins."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.is_superuser:
        return OrgUnit.objects.faculties()
    return office_faculties(user)


def is_curator(user: Visitor) -> bool:
    """Officers and administrators curate the catalogue."""
    return bool(roles_of(user) & {Role.OFFICER, ADMINISTRATOR})


def may_curate(user: Visitor, faculty_id: int | None) -> bool:
    if not user.is_authenticated or faculty_id is None:
        return False
    if user.is_superuser:
        return True
    return curated_faculties(user).filter(pk=faculty_id).exists()


def opportunity_for(user: Visitor, slug: str) -> Opportunity:
    """An opportunity the user may read: public ones, and drafts of faculties they curate."""
    visible = Q(status__in=Opportunity.PUBLIC_STATUSES)
    if user.is_authenticated:
        visible |= Q(faculty__in=curated_faculties(user))
    return get_object_or_404(
        Opportunity.objects.filter(visible).select_related(
            "host", "host__place", "country", "place", "faculty"
        ),
        slug=slug,
    )


def opportunity_for_editing(user: Visitor, slug: str) -> Opportunity:
    """An opportunity of a faculty the user curates; 404 for another faculty's officer."""
    return get_object_or_404(
        Opportunity.objects.filter(faculty__in=curated_faculties(user)).select_related(
            "host", "country", "place", "faculty"
        ),
        slug=slug,
    )


def host_for(user: Visitor, slug: str) -> HostOrganisation:
    """An approved host, or a proposed one for its proposer and the curators."""
    visible = Q(status=HostOrganisation.Status.APPROVED)
    if user.is_authenticated:
        visible |= Q(proposed_by=user)
        if is_curator(user):
            visible = Q()
    return get_object_or_404(
        HostOrganisation.objects.filter(visible).select_related("country", "place"), slug=slug
    )


def host_for_review(user: Visitor, slug: str) -> HostOrganisation:
    """Any host, for the curators who review proposals and merge duplicates."""
    if not is_curator(user):
        raise Http404
    return get_object_or_404(
        HostOrganisation.objects.select_related("country", "place", "proposed_by"), slug=slug
    )


def saved_search_for(user: Visitor, pk: int) -> SavedSearch:
    """One of the user's own saved searches."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(SavedSearch, pk=pk, user=user)


def feed_token(saved: SavedSearch) -> str:
    """The secret part of a saved search's calendar address; calendar apps cannot log in.

    It never expires (subscribed calendars keep the address); renewing the key revokes it.
    """
    return signing.make_token(FEED_PURPOSE, {"s": saved.pk, "k": saved.feed_key}, expiring=False)


def saved_search_for_feed(token: str) -> SavedSearch:
    """The saved search a feed token was made for, if the token is genuine and not revoked."""
    try:
        data = signing.read_token(FEED_PURPOSE, token, max_age=None)
    except signing.InvalidToken:
        raise Http404 from None
    return get_object_or_404(SavedSearch, pk=data.get("s"), feed_key=data.get("k"))


def import_run_for(user: Visitor, pk: int) -> ImportRun:
    """A background import into a faculty the user curates; 404 otherwise."""
    return get_object_or_404(
        ImportRun.objects.filter(faculty__in=curated_faculties(user)).defer("data"), pk=pk
    )
