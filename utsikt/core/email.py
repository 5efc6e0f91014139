"""Every e-mail: rendered from templates in the recipient's language, written as a row with
the change it reports, sent by the task queue after commit, once, and tried again if it fails.

A rolled-back change never mails anybody (the row and its queuing roll back with it), a slow
mail server never slows a page, and a key per e-mail makes a step run twice mail once.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation

from utsikt.core.models import OutgoingEmail

# A failed send is tried this many times in all, waiting a little longer each time.
MAX_ATTEMPTS = 5
RETRY_DELAY = datetime.timedelta(minutes=2)


class Recipient(Protocol):
    """A person to write to (accounts.User is one); core imports no app."""

    email: str
    language: str


def send_template(
    *,
    template: str,
    to: Recipient | str,
    context: Mapping[str, Any],
    key: str | None = None,
    language: str | None = None,
    reply_to: str = "",
    headers: Mapping[str, str] | None = None,
) -> bool:
    """Render `template` in the recipient's language and queue it; False if `key` was used.

    `template` names three files: `<template>_subject.txt`, `<template>.txt` and, optionally,
    `<template>.html`. The language is `language`, else the person's own, else the default.
    The templates see `context` and `recipient` (the person, or None for a bare address).
    `headers` are extra header lines (a newsletter's List-Unsubscribe), sent as they are.
    """
    person = None if isinstance(to, str) else to
    address = to if isinstance(to, str) else to.email
    language = language or (person.language if person is not None else settings.LANGUAGE_CODE)
    full_context = {**context, "recipient": person}
    with translation.override(language):
        subject = _render_text(f"{template}_subject.txt", full_context)
        text = _render_text(f"{template}.txt", full_context).strip()
        try:
            html_template = Engine.get_default().get_template(f"{template}.html")
        except TemplateDoesNotExist:
            html = ""  # a plain-text e-mail
        else:
            html = html_template.render(Context(full_context))
    return queue_email(
        to=address,
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        key=key,
        reply_to=reply_to,
        headers=headers,
    )


def _render_text(name: str, context: dict[str, Any]) -> str:
    # Text parts are not HTML: a name like "O'Brien" must not arrive as "O&#x27;Brien".
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def queue_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    key: str | None = None,
    reply_to: str = "",
    headers: Mapping[str, str] | None = None,
) -> bool:
    """Write an e-mail and queue it for after the commit; False if `key` was used before.

    For e-mails already rendered elsewhere (Django's password reset); others use send_template.
    """
    # One line, whatever the caller wrote: a line break in a header makes the send fail.
    subject = " ".join(subject.split())
    # A header value is one line too; a line break would let it write headers of its own.
    lines = {str(name): " ".join(str(value).split()) for name, value in (headers or {}).items()}
    email, created = OutgoingEmail.objects.get_or_create(
        key=key or f"unique:{uuid.uuid4().hex}",
        defaults={
            "to": to,
            "subject": subject,
            "text": text,
            "html": html,
            "reply_to": reply_to,
            "headers": lines,
        },
    )
    if created:
        from utsikt.core.tasks import send_email

        # A rolled-back change must not e-mail anybody, so the task is queued on commit.
        transaction.on_commit(partial(send_email.enqueue, email.pk))
    return created


def deliver(email_id: int) -> int:
    """Send one written e-mail unless it went out already; returns how many were sent.

    A failure is recorded and the e-mail queued again later, up to MAX_ATTEMPTS in all.
    """
    email = OutgoingEmail.objects.get(pk=email_id)
    if email.sent_at is not None or email.attempts >= MAX_ATTEMPTS:
        return 0
    # Claiming the attempt with a conditional update keeps two workers from both sending it.
    claimed = OutgoingEmail.objects.filter(
        pk=email.pk, sent_at__isnull=True, attempts=email.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return 0
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else [],
        headers=dict(email.headers or {}),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email.pk).update(last_error=repr(error)[:2000])
        if email.attempts + 1 < MAX_ATTEMPTS:
            _retry_later(email.pk, attempt=email.attempts + 1)
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now(), last_error="")
    return 1


def _retry_later(email_id: int, *, attempt: int) -> None:
    # Neither django.tasks nor django-tasks-db retries a failed task, so the task queues
    # itself again; backends that cannot wait (the immediate one of the tests) retry at once.
    from utsikt.core.tasks import send_email

    task = send_email
    if send_email.get_backend().supports_defer:
        task = send_email.using(run_after=timezone.now() + RETRY_DELAY * attempt)
    task.enqueue(email_id)
