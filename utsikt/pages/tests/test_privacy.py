"""A returnee's story, ambassadorship, messages and newsletter subscription are in their data
export; anonymising ends the ambassadorship, deletes their messages and subscription, and
unpublishes their story without their name or photo."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts import privacy
from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility.models import Application, Status
from utsikt.pages.models import Ambassador, AmbassadorMessage, Story, Subscriber

LONG_AGO = timezone.now() - datetime.timedelta(days=10 * 365)


def test_a_returnees_pages_data_is_exported_and_anonymising_removes_it(
    returned: Application,
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
) -> None:
    person = returned.applicant
    ambassador = Ambassador.objects.create(user=person, topics_en="Research data and Porto")
    AmbassadorMessage.objects.create(ambassador=ambassador, sender=personas["economist"], text="Hi")
    someone = Ambassador.objects.create(user=personas["economist"], topics_en="Athens")
    AmbassadorMessage.objects.create(ambassador=someone, sender=person, text="How was Athens?")
    Subscriber.objects.create(email=person.email.upper(), topics=["libraries"])
    story = Story.objects.create(
        slug="porto",
        status=Story.Status.PUBLISHED,
        title_sv="Porto",
        title_en="Porto",
        body_en="Maja spent a week in Porto.",
        person_name="Maja Lindqvist",
        offered_by=person,
        application=returned,
        published_at=timezone.now(),
    )
    data = json.loads(client_for("librarian").get(reverse("accounts:my_data")).content)
    assert data["ambassador"]["topics_en"] == "Research data and Porto"
    assert [m["text"] for m in data["messages_to_ambassadors"]] == ["How was Athens?"]
    assert data["newsletter"][0]["topics"] == ["libraries"]
    assert data["stories_you_offered"][0]["body_en"] == "Maja spent a week in Porto."

    User.objects.filter(pk=person.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    Application.objects.filter(pk=returned.pk).update(status=Status.SETTLED, updated_at=LONG_AGO)
    privacy.anonymise(user=person, actor=Actor.system("test"))

    assert list(Ambassador.objects.all()) == [someone]
    assert not AmbassadorMessage.objects.exists()  # theirs, and the ones sent to them
    assert not Subscriber.objects.exists()
    story.refresh_from_db()
    assert (story.status, story.person_name, story.offered_by) == (Story.Status.DRAFT, "", None)
    assert Client().get(reverse("pages:story", args=[story.slug])).status_code == 404
