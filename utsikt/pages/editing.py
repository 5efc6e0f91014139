"""Writes of the pages app's content: information pages, stories, the offices' contacts.

Each write records an event and changes the pages revision, so no cached page outlives it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from utsikt.accounts.models import User
from utsikt.core import events, revision
from utsikt.core.actors import Actor
from utsikt.mobility.models import Application, Status
from utsikt.pages.models import Contact, Office, Page, PageVersion, Story

REVISION = "pages"
PAGE_FIELDS = ("title_sv", "title_en", "summary_sv", "summary_en", "body_sv", "body_en")
# A returnee may offer the story of a mobility that has come home.
RETURNED = (Status.COMPLETED, Status.SETTLED)


class StaleVersion(Exception):
    """The page changed since the editor opened it: saving would lose the other change."""


def save_page(*, page: Page, actor: Actor, based_on: int | None = None) -> Page:
    """Save a page's text and keep it as a new version; refuses an edit of an older one."""
    with transaction.atomic():
        if page.pk is None:
            page.version = 1
            page.updated_at = timezone.now()
            page.save()
            action = "page.created"
        else:
            changed = Page.objects.filter(
                pk=page.pk, **({"version": based_on} if based_on is not None else {})
            ).update(
                **{name: getattr(page, name) for name in PAGE_FIELDS},
                slug=page.slug,
                position=page.position,
                published=page.published,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            if not changed:
                raise StaleVersion
            page.refresh_from_db()
            action = "page.edited"
        PageVersion.objects.create(
            page=page,
            number=page.version,
            saved_by_id=actor.user_id,
            **{name: getattr(page, name) for name in PAGE_FIELDS},
        )
        events.record(action=action, actor=actor, subject=page, payload={"version": page.version})
        revision.bump(REVISION)
    return page


def restore_page(*, page: Page, version: PageVersion, actor: Actor) -> Page:
    """Make an earlier text current again, as a new version (history is never rewritten)."""
    for name in PAGE_FIELDS:
        setattr(page, name, getattr(version, name))
    return save_page(page=page, actor=actor, based_on=page.version)


def unique_slug(text: str, model: type[Page] | type[Story], *, current: int | None = None) -> str:
    base = slugify(text)[:100] or "story"
    slug, n = base, 2
    others = model.objects.exclude(pk=current) if current is not None else model.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_story(*, story: Story, actor: Actor) -> Story:
    """Save a story as the office edits it (its status stays as it is)."""
    with transaction.atomic():
        created = story.pk is None
        if not story.slug:
            story.slug = unique_slug(story.title_sv or story.title_en, Story, current=story.pk)
        story.save()
        events.record(
            action="story.created" if created else "story.edited", actor=actor, subject=story
        )
        revision.bump(REVISION)
    return story


def publish_story(*, story: Story, actor: Actor) -> Story:
    """Show the story to everyone; it needs both photo descriptions if it has a photo."""
    if story.photo and not (story.photo_alt_sv and story.photo_alt_en):
        raise ValueError("A photo needs its description in both languages.")
    with transaction.atomic():
        story.status = Story.Status.PUBLISHED
        story.published_at = story.published_at or timezone.now()
        story.save(update_fields=["status", "published_at"])
        events.record(action="story.published", actor=actor, subject=story)
        revision.bump(REVISION)
    return story


def unpublish_story(*, story: Story, actor: Actor) -> Story:
    with transaction.atomic():
        story.status = Story.Status.DRAFT
        story.save(update_fields=["status"])
        events.record(action="story.unpublished", actor=actor, subject=story)
        revision.bump(REVISION)
    return story


def returned_mobilities(user: User) -> list[Application]:
    """The person's own mobilities that have come home, newest first."""
    return list(
        Application.objects.filter(applicant=user, status__in=RETURNED)
        .prefetch_related("hosts__country")
        .order_by("-end", "-pk")
    )


def offer_story(
    *, application: Application, user: User, fields: dict[str, Any], consent: bool
) -> Story:
    """The returnee offers the story of their mobility; the office edits and publishes it.

    Nothing is offered without explicit consent. Offering again replaces the text of an offer
    the office has not published yet.
    """
    if not consent:
        raise ValueError("A story is offered only with consent.")
    if application.applicant_id != user.pk or application.status not in RETURNED:
        raise PermissionError("Only the applicant offers the story of a mobility that came home.")
    host = application.hosts.select_related("country", "place").first()
    with transaction.atomic():
        story = Story.objects.filter(application=application).first() or Story(
            application=application
        )
        if story.status == Story.Status.PUBLISHED:
            raise PermissionError("The office has published this story already.")
        for name, value in fields.items():
            setattr(story, name, value)
        story.status = Story.Status.OFFERED
        story.offered_by = user
        story.consent_at = timezone.now()
        story.person_name = user.get_full_name() or user.email
        story.staff_category = user.staff_category or ""
        if host is not None:
            story.host = host
            story.country_id = host.country_id
            story.city = host.place.name if host.place else ""
        story.year = application.start.year if application.start else None
        if not story.slug:
            story.slug = unique_slug(story.title_sv or story.title_en, Story)
        story.save()
        events.record(
            action="story.offered",
            actor=Actor.of(user),
            subject=story,
            payload={"application": application.pk},
        )
        revision.bump(REVISION)
    return story


def save_office(*, office: Office, actor: Actor) -> Office:
    with transaction.atomic():
        office.save()
        events.record(action="office.edited", actor=actor, subject=office)
        revision.bump(REVISION)
    return office


def save_contact(*, contact: Contact, actor: Actor) -> Contact:
    with transaction.atomic():
        contact.save()
        events.record(action="office.contact_saved", actor=actor, subject=contact.office)
        revision.bump(REVISION)
    return contact


def remove_contact(*, contact: Contact, actor: Actor) -> None:
    with transaction.atomic():
        office = contact.office
        events.record(
            action="office.contact_removed",
            actor=actor,
            subject=office,
            payload={"name": contact.name},
        )
        contact.delete()
        revision.bump(REVISION)
