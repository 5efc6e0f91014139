"""Reminders for decisions that have waited too long."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from utsikt.mobility import notifications
from utsikt.mobility.models import Application, Status


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind managers and officers of decisions waiting longer than the configured days.

    Each further period of waiting gives one more reminder, never two for the same period.
    """
    now = now or timezone.now()
    days = settings.UTSIKT_REMINDER_DAYS
    waiting = (
        Application.objects.filter(status__in=[Status.SUBMITTED, Status.MANAGER_APPROVED])
        .annotate(since=Max("transitions__created_at"))
        .filter(since__lte=now - datetime.timedelta(days=days))
        .select_related("applicant", "department")
    )
    sent = 0
    for application in waiting:
        waited = (now - application.since).days  # type: ignore[attr-defined]
        kind = f"reminder-{waited // days}"
        people = (
            notifications.deciders(application)
            if application.status == Status.SUBMITTED
            else notifications.officers(application)
        )
        for person in people:
            sent += notifications.remind(application, person, waited, kind)
    return sent
