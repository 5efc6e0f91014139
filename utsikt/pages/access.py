"""Who may see and edit what in the pages app. Gates raise 404 for what the user may not see.

Everyone reads published pages and stories, the ambassadors and the contacts. Officers and
administrators edit pages and stories; an officer edits their own faculty's office, an
administrator every office (the university's too).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from utsikt.accounts.access import ADMINISTRATOR, Role, office_faculties, roles_of
from utsikt.accounts.models import User
from utsikt.pages.models import UNIVERSITY_OFFICE, AmbassadorMessage, Office, Page, Story

Visitor = User | AnonymousUser
EDITORS = (Role.OFFICER, ADMINISTRATOR)


def is_editor(user: Visitor) -> bool:
    return bool(roles_of(user) & set(EDITORS))


def page_for(user: Visitor, slug: str) -> Page:
    """A published page, or any page for its editors."""
    pages = Page.objects.all() if is_editor(user) else Page.objects.filter(published=True)
    return get_object_or_404(pages, slug=slug)


def story_for(user: Visitor, slug: str) -> Story:
    """A published story; editors see drafts and offers too."""
    stories = Story.objects.all() if is_editor(user) else Story.objects.published()
    return get_object_or_404(stories.select_related("host", "country"), slug=slug)


def office_for(code: str) -> Office:
    """The office with this code ("university" for the university's own); 404 otherwise."""
    offices = Office.objects.select_related("faculty").order_by("pk")
    found = (
        offices.filter(faculty__isnull=True).first()
        if code == UNIVERSITY_OFFICE
        else offices.filter(faculty__code=code).first()
    )
    if found is None:
        raise Http404
    return found


def office_for_editing(user: User, code: str) -> Office:
    """An office the user may edit: their faculty's, or any for administrators; else 404."""
    office = office_for(code)
    if user.is_superuser:
        return office
    if (
        office.faculty_id is None
        or not office_faculties(user).filter(pk=office.faculty_id).exists()
    ):
        raise Http404
    return office


def editable_offices(user: User) -> list[Office]:
    offices = Office.objects.select_related("faculty")
    if not user.is_superuser:
        offices = offices.filter(faculty__in=office_faculties(user))
    return list(offices)


def message_for_ambassador(user: User, pk: int) -> AmbassadorMessage:
    """A message to the user as ambassador; 404 for anybody else, the sender included."""
    return get_object_or_404(
        AmbassadorMessage.objects.select_related("sender", "ambassador__user"),
        Q(ambassador__user=user),
        pk=pk,
    )
