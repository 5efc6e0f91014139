"""Background work: tasks take plain values and call a domain function."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task


@task
def send_email(*, to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Send one plain-text e-mail; returns how many were sent."""
    return EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or []).send()
