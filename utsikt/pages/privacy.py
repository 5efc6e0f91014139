"""A person's stories, ambassadorship, messages and newsletter subscription in their data
export, and what anonymising them removes: the ambassadorship and the messages they wrote,
the subscription of their address, and their stories' names and photos (a story they
offered is unpublished: the office may publish it again only without them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from utsikt.accounts.models import User
from utsikt.accounts.privacy import anonymising, as_row, delete_files, exporting
from utsikt.pages.models import Ambassador, AmbassadorMessage, Story, Subscriber


@receiver(exporting, dispatch_uid="pages-export")
def export(sender: type[User], user: User, **kwargs: Any) -> dict[str, Any]:
    ambassador = Ambassador.objects.filter(user=user).first()
    return {
        "stories_you_offered": [
            as_row(s, ["title_sv", "title_en", "body_sv", "body_en", "status", "consent_at"])
            for s in Story.objects.filter(offered_by=user).order_by("pk")
        ],
        "ambassador": (
            as_row(ambassador, ["topics_sv", "topics_en", "joined_at"]) if ambassador else None
        ),
        "messages_to_ambassadors": [
            as_row(m, ["text", "answer", "sent_at", "answered_at"])
            for m in AmbassadorMessage.objects.filter(sender=user).order_by("sent_at")
        ],
        "newsletter": [
            as_row(s, ["email", "language", "staff_categories", "countries", "topics"])
            for s in Subscriber.objects.filter(email__iexact=user.email)
        ],
    }


@receiver(anonymising, dispatch_uid="pages-anonymise")
def anonymise(sender: type[User], user: User, email: str, **kwargs: Any) -> None:
    Ambassador.objects.filter(user=user).delete()  # and the messages sent to them
    AmbassadorMessage.objects.filter(sender=user).delete()
    Subscriber.objects.filter(email__iexact=email).delete()
    stories = Story.objects.filter(Q(offered_by=user) | Q(application__applicant=user))
    delete_files(stories, "photo")
    stories.update(
        status=Story.Status.DRAFT,
        person_name="",
        photo_alt_sv="",
        photo_alt_en="",
        offered_by=None,
        published_at=None,
    )
