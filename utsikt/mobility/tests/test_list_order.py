"""The work lists over several departments page in the same order as one sorted list would.

The lists read each department's applications along its own index and merge them in one
query (views._by_department); these tests hold them to the plain ORDER BY, ties included.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts.models import User
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]
# Three departments of the humanities faculty, all followed by finance_ht.
APPLICANTS = ("librarian", "economist", "study_adviser")


def _listed(client: Client, url: str, page: int) -> list[int]:
    response = client.get(url, {"page": page})
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def test_finance_pages_through_three_departments_by_start_as_one_sorted_list(
    personas: dict[str, User], client_for: Clients
) -> None:
    first = datetime.date(2027, 3, 1)
    for number in range(32):
        application(
            applicant=personas[APPLICANTS[number % 3]],
            status=(Status.SUBMITTED, Status.GRANTED, Status.SIGNED)[number % 3],
            start=first + datetime.timedelta(days=(number * 7) % 11),  # many on one day
            end=first + datetime.timedelta(days=20),
        )
    application(applicant=personas["librarian"], status=Status.REJECTED, start=first, end=first)
    expected = list(
        Application.objects.filter(department__code__in=["ht-libraries", "kultur", "sol"])
        .exclude(status__in=[Status.DRAFT, *Application.ENDED])
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 32
    finance = client_for("finance_ht")
    url = reverse("mobility:finance_home")
    assert _listed(finance, url, 1) + _listed(finance, url, 2) == expected


def test_the_pipeline_puts_first_timers_first_then_the_longest_waiting_across_departments(
    personas: dict[str, User], client_for: Clients
) -> None:
    now = timezone.now()
    for number in range(30):
        application(
            applicant=personas[APPLICANTS[number % 3]],
            status=Status.SUBMITTED,
            first_time=number % 4 == 0,
            updated_at=now - datetime.timedelta(hours=(number * 5) % 13),  # ties as well
        )
    expected = list(
        Application.objects.filter(department__parent__code="ht")
        .exclude(status=Status.DRAFT)
        .order_by("-first_time", "updated_at", "pk")
        .values_list("pk", flat=True)
    )
    office = client_for("officer_ht")
    url = reverse("mobility:office_home")
    assert _listed(office, url, 1) + _listed(office, url, 2) == expected
    assert _listed(office, url, 3) == expected[-5:]  # past the end: the last page
