"""Background tasks of the mobility workflow: they take ids and call domain functions."""

from __future__ import annotations

from django.tasks import task

from utsikt.mobility import messages


@task
def notify_transition(transition_id: int) -> int:
    """E-mail everyone who must act or know after a transition; returns how many were sent."""
    return messages.send_for_transition(transition_id)


@task
def notify_invitation(companion_id: int) -> int:
    return messages.send_invitation(companion_id)
