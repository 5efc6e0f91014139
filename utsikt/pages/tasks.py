"""Background work of the pages app: the weekly newsletter."""

from __future__ import annotations

from django.tasks import task

from utsikt.pages import newsletter


@task
def send_digests(week: str | None = None) -> int:
    """Write and queue the week's digests (newsletter.send_digests); returns how many."""
    return newsletter.send_digests(week=week)
