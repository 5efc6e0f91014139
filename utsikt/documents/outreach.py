"""Template letters to prospective hosts, and the outreach they start, per plan.

A letter is drafted from the plan in English (Swedish for a Swedish-speaking host), edited
by the staff member, then sent from Utsikt with the staff member as reply-to, or copied and
sent by hand. Each step of the outreach keeps its date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.core.email import queue_email
from utsikt.documents.models import Letter
from utsikt.mobility.models import Application

# The outreach's steps in order, and the date each one sets.
STEP_DATES = {
    Letter.Status.SENT: "sent_on",
    Letter.Status.ANSWERED: "answered_on",
    Letter.Status.ACCEPTED: "accepted_on",
    Letter.Status.DECLINED: "declined_on",
}
SWEDISH_SPEAKING = frozenset({"SE", "AX"})


class LetterError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def language_for(application: Application) -> str:
    """Swedish for a host in Sweden or Åland, English otherwise."""
    host = application.hosts.order_by("pk").first()
    return "sv" if host is not None and host.country_id in SWEDISH_SPEAKING else "en"


def draft(application: Application, kind: str, language: str) -> tuple[str, str]:
    """The letter's subject and text filled from the plan, in `language` (not yet saved)."""
    if kind not in Letter.Kind.values:
        raise LetterError(_("Unknown letter."))
    host = application.hosts.select_related("place", "country").order_by("pk").first()
    context = {
        "plan": application,
        "host": host,
        "sender": application.applicant,
        "department": application.department,
        "opportunity": application.opportunity,
    }
    engine = Engine.get_default()
    with translation.override(language if language in {"sv", "en"} else "en"):
        subject = engine.get_template(f"documents/letters/{kind}_subject.txt").render(
            Context(context, autoescape=False)
        )
        body = engine.get_template(f"documents/letters/{kind}.txt").render(
            Context(context, autoescape=False)
        )
    return " ".join(subject.split()), body.strip() + "\n"


def write(
    *,
    application: Application,
    actor: Actor,
    kind: str,
    language: str,
    subject: str,
    body: str,
    to_email: str = "",
) -> Letter:
    """Keep a letter the staff member has written (from the template, edited)."""
    if kind not in Letter.Kind.values:
        raise LetterError(_("Unknown letter."))
    if not subject.strip() or not body.strip():
        raise LetterError(_("Write a subject and a text."))
    with transaction.atomic():
        host = application.hosts.order_by("pk").first()
        letter = Letter.objects.create(
            application=application,
            host=host,
            kind=kind,
            language=language if language in {"sv", "en"} else "en",
            to_email=to_email.strip(),
            subject=" ".join(subject.split())[:200],
            body=body.strip(),
        )
        events.record(
            action="letter.written",
            actor=actor,
            subject=application,
            payload={"letter": letter.pk, "kind": kind},
        )
    return letter


def send(*, letter: Letter, actor: Actor) -> Letter:
    """Send the letter from Utsikt, replies going to the staff member."""
    if not letter.to_email:
        raise LetterError(_("Give the host's e-mail address to send from Utsikt."))
    if letter.status != Letter.Status.WRITTEN:
        raise LetterError(_("This letter has been sent already."))
    application = letter.application
    with transaction.atomic():
        updated = Letter.objects.filter(pk=letter.pk, status=Letter.Status.WRITTEN).update(
            status=Letter.Status.SENT, sent_on=timezone.localdate()
        )
        if not updated:
            raise LetterError(_("This letter has been sent already."))
        queue_email(
            to=letter.to_email,
            subject=letter.subject,
            text=letter.body,
            key=f"letter:{letter.pk}",
            reply_to=application.applicant.email,
        )
        events.record(
            action="letter.sent",
            actor=actor,
            subject=application,
            payload={"letter": letter.pk, "to": letter.to_email},
        )
    letter.refresh_from_db()
    return letter


def mark(*, letter: Letter, actor: Actor, status: str, on: datetime.date | None = None) -> Letter:
    """Record a step of the outreach (sent by hand, answered, accepted, declined) and its day."""
    if status not in STEP_DATES:
        raise LetterError(_("Unknown step."))
    day = on or timezone.localdate()
    if day < letter.written_on:
        raise LetterError(_("That day is before the letter was written."))
    with transaction.atomic():
        fields = {"status": status, STEP_DATES[Letter.Status(status)]: day}
        if status != Letter.Status.SENT and letter.sent_on is None:
            fields["sent_on"] = day  # answered means it went out
        Letter.objects.filter(pk=letter.pk).update(**fields)
        events.record(
            action=f"letter.{status}",
            actor=actor,
            subject=letter.application,
            payload={"letter": letter.pk, "on": day.isoformat()},
        )
    letter.refresh_from_db()
    return letter
