"""The newsletter: double opt-in, one-click unsubscribe, and a weekly digest by interests.

Nothing about an address is stored until the address itself confirms (the confirmation link
carries the choices, signed), so a sign-up never reveals whether the address is subscribed:
every sign-up gets the same page and the same e-mail. Unsubscribing deletes the row. Every
newsletter e-mail carries an unsubscribe link and the List-Unsubscribe headers (RFC 8058).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from utsikt.catalogue.models import Opportunity
from utsikt.core import email, events, signing
from utsikt.core.actors import Actor
from utsikt.pages.models import Story, Subscriber

CONFIRM = "utsikt.pages.newsletter.confirm"
UNSUBSCRIBE = "utsikt.pages.newsletter.unsubscribe"
CONFIRM_WITHIN = datetime.timedelta(days=7)
SYSTEM = Actor.system("newsletter")


@dataclass(frozen=True)
class Interests:
    """What a subscriber wants to hear about; an empty list means everything."""

    staff_categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def absolute(path: str) -> str:
    return settings.UTSIKT_BASE_URL + path


def unsubscribe_url(address: str) -> str:
    token = signing.make_token(UNSUBSCRIBE, {"e": address.lower()}, expiring=False)
    return absolute(reverse("pages:newsletter_unsubscribe", kwargs={"token": token}))


def unsubscribe_headers(address: str) -> dict[str, str]:
    """The header lines that let a mail program unsubscribe with one click (RFC 8058): it
    POSTs "List-Unsubscribe=One-Click" to the link, which the unsubscribe page accepts."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def ask_to_subscribe(*, address: str, interests: Interests, language: str) -> None:
    """Send the confirmation link; the same for every address, subscribed or not.

    At most one such e-mail per address a day, so the form cannot flood anyone's inbox.
    """
    address = address.strip().lower()
    token = signing.make_token(
        CONFIRM,
        {
            "e": address,
            "l": language,
            "c": list(interests.staff_categories),
            "n": list(interests.countries),
            "t": list(interests.topics),
        },
        expiring=True,
    )
    email.send_template(
        template="pages/email/newsletter_confirm",
        to=address,
        language=language,
        context={
            "confirm_url": absolute(reverse("pages:newsletter_confirm", kwargs={"token": token})),
            "unsubscribe_url": unsubscribe_url(address),
        },
        key=f"pages.newsletter.confirm:{address}:{timezone.localdate().isoformat()}",
        headers=unsubscribe_headers(address),
    )


def read_confirmation(token: str) -> dict[str, Any]:
    """The signed choices of a confirmation link; InvalidToken when forged or too old."""
    return signing.read_token(CONFIRM, token, max_age=CONFIRM_WITHIN)


def confirm(*, token: str) -> Subscriber:
    """The address confirmed: subscribe it (or update its choices)."""
    data = read_confirmation(token)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.update_or_create(
            email=str(data["e"]),
            defaults={
                "language": "en" if data.get("l") == "en" else "sv",
                "staff_categories": [str(c) for c in data.get("c", [])][:50],
                "countries": [str(c) for c in data.get("n", [])][:60],
                "topics": [str(c) for c in data.get("t", [])][:50],
                "confirmed_at": timezone.now(),
            },
        )
        events.record(
            action="newsletter.subscribed" if created else "newsletter.choices_changed",
            actor=SYSTEM,
            subject=subscriber,
        )
    return subscriber


def unsubscribe(*, token: str) -> None:
    """Delete the subscription the link names, if there is one; silent either way."""
    address = str(signing.read_token(UNSUBSCRIBE, token, max_age=None).get("e", ""))
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(email=address).first()
        if subscriber is not None:
            # The event names no address: the person asked to be forgotten.
            events.record(action="newsletter.unsubscribed", actor=SYSTEM, subject=subscriber)
            subscriber.delete()


# ---------------------------------------------------------------------------------------------
# The digest


def week_of(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The week's first moment and the next week's, in the local time zone."""
    monday = datetime.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    return start, start + datetime.timedelta(days=7)


@dataclass(frozen=True)
class Issue:
    """What was new in one week: opportunities published and stories told."""

    week: str
    opportunities: list[Opportunity]
    stories: list[Story]

    def matching(self, interests: Interests) -> Issue:
        def wanted(opportunity: Opportunity) -> bool:
            return (
                (
                    not interests.staff_categories
                    or bool(set(opportunity.staff_categories) & set(interests.staff_categories))
                )
                and (not interests.countries or opportunity.country_id in interests.countries)
                and (not interests.topics or bool(set(opportunity.topics) & set(interests.topics)))
            )

        def story_wanted(story: Story) -> bool:
            return (
                not interests.staff_categories or story.staff_category in interests.staff_categories
            ) and (not interests.countries or story.country_id in interests.countries)

        return Issue(
            week=self.week,
            opportunities=[o for o in self.opportunities if wanted(o)],
            stories=[s for s in self.stories if story_wanted(s)],
        )

    @property
    def empty(self) -> bool:
        return not self.opportunities and not self.stories


def issue(week: str) -> Issue:
    """Everything new in the week, for everyone (the web view) or to filter by interests."""
    start, end = week_bounds(week)
    opportunities = list(
        Opportunity.objects.filter(
            status=Opportunity.Status.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
            end_date__gte=start.date(),
        )
        .select_related("host", "country", "place")
        .order_by("start_date")[:200]
    )
    stories = list(
        Story.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .select_related("country", "host")
        .order_by("-published_at")[:50]
    )
    return Issue(week=week, opportunities=opportunities, stories=stories)


def interests_of(subscriber: Subscriber) -> Interests:
    return Interests(
        staff_categories=tuple(subscriber.staff_categories or ()),
        countries=tuple(subscriber.countries or ()),
        topics=tuple(subscriber.topics or ()),
    )


def send_digests(*, week: str | None = None) -> int:
    """Write one digest per confirmed subscriber with something new for them, and queue it.

    Run by the weekly task for the week that just ended. Each digest is a core.email
    e-mail keyed by subscriber and week, so running it again mails nobody twice, and a
    failed send is tried again by core.email.
    """
    week = week or week_of(timezone.localdate() - datetime.timedelta(days=7))
    everything = issue(week)
    queued = 0
    if everything.empty:
        return 0
    web_url = absolute(reverse("pages:newsletter_issue", kwargs={"week": week}))
    for subscriber in Subscriber.objects.order_by("pk").iterator():
        theirs = everything.matching(interests_of(subscriber))
        if theirs.empty:
            continue
        with transaction.atomic():
            queued += email.send_template(
                template="pages/email/digest",
                to=subscriber.email,
                language=subscriber.language,
                context={
                    "issue": theirs,
                    "week": week,
                    "web_url": web_url,
                    "unsubscribe_url": unsubscribe_url(subscriber.email),
                    "base_url": settings.UTSIKT_BASE_URL,
                },
                key=f"pages.newsletter.digest:{subscriber.pk}:{week}",
                headers=unsubscribe_headers(subscriber.email),
            )
    return queued


def export_csv() -> str:
    """The confirmed subscribers for the office, as CSV (cells that a spreadsheet would take
    for a formula are quoted as text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "language", "staff_categories", "countries", "topics", "confirmed"])
    for s in Subscriber.objects.order_by("email"):
        writer.writerow(
            [
                _cell(s.email),
                s.language,
                " ".join(s.staff_categories),
                " ".join(s.countries),
                " ".join(s.topics),
                timezone.localtime(s.confirmed_at).date().isoformat(),
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
