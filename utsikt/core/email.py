"""Sending e-mail after the surrounding transaction commits, through the task queue."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from utsikt.core.tasks import send_email


def queue_email(
    *, to: list[str], subject: str, body: str, reply_to: list[str] | None = None
) -> None:
    """Queue an e-mail once the current transaction commits (at once outside one)."""
    # A rolled-back change must not e-mail anybody, so the task is queued on commit.
    transaction.on_commit(
        partial(send_email.enqueue, to=to, subject=subject, body=body, reply_to=reply_to)
    )
