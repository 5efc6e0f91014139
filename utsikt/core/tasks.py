"""Background work: tasks take ids and call a domain function."""

from __future__ import annotations

from django.tasks import task

from utsikt.core import email


@task
def send_email(email_id: int) -> int:
    """Send one queued e-mail (core.email.OutgoingEmail); returns how many were sent."""
    return email.deliver(email_id)
