"""Who is told what, by e-mail in their own language, after each change commits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from utsikt.mobility.models import Companion, Transition


def transition_happened(transition: Transition) -> None:
    """Queue the e-mails a transition calls for, once the transaction commits."""
    from utsikt.mobility.tasks import notify_transition

    transaction.on_commit(lambda: notify_transition.enqueue(transition.pk))


def invitation_sent(companion: Companion) -> None:
    from utsikt.mobility.tasks import notify_invitation

    transaction.on_commit(lambda: notify_invitation.enqueue(companion.pk))
