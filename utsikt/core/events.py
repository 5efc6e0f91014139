"""Writing the event log: every write function calls `record` inside its own transaction.

The event is written in the same transaction as the change it records, so a change that rolls
back leaves no event, and an event always stands for a change that happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from utsikt.core.actors import Actor
from utsikt.core.models import Event


def _event(action: str, actor: Actor, subject: models.Model, payload: dict[str, Any]) -> Event:
    if subject.pk is None:
        raise ValueError("Record an event about an object once it is saved.")
    return Event(
        action=action,
        actor_kind=actor.kind,
        actor_user_id=actor.user_id,
        actor_label=actor.name[:200],
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        payload=payload,
    )


def record(
    *, action: str, actor: Actor, subject: models.Model, payload: dict[str, Any] | None = None
) -> Event:
    """Write one event: `actor` did `action` ("application.approved") to `subject`."""
    event = _event(action, actor, subject, payload or {})
    event.save()
    return event


def record_each(
    *,
    action: str,
    actor: Actor,
    subjects: Iterable[models.Model],
    payload: dict[str, Any] | None = None,
) -> int:
    """The same event for many objects at once (an import, a clean-up), in bulk."""
    now = timezone.now()
    made = []
    for subject in subjects:
        event = _event(action, actor, subject, payload or {})
        event.created_at = now
        made.append(event)
    Event.objects.bulk_create(made, batch_size=1000)
    return len(made)
