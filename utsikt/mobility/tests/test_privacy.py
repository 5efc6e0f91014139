"""What a traveller handed in after the trip is in their data export, and anonymising removes
the learning report and the certificate (it names them) while dates and amounts stay."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts import privacy
from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility import factories
from utsikt.mobility.models import Application, Homecoming, Status

LONG_AGO = timezone.now() - datetime.timedelta(days=10 * 365)


def test_the_after_trip_report_is_exported_and_anonymising_removes_it(
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
    settings: object,
    tmp_path: object,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    person = personas["librarian"]
    plan = factories.application(applicant=person, status=Status.COMPLETED)
    homecoming = Homecoming.objects.create(
        application=plan,
        learning_report="I learned how Porto runs its research data service.",
        travel_sek=Decimal("3120.50"),
        travel_claim_reference="RE-2027-118",
        attendance_recorded_by="Ana Costa",
    )
    homecoming.attendance_document.save("certificate.pdf", ContentFile(b"%PDF-1.7 Maja"))
    data = json.loads(client_for("librarian").get(reverse("accounts:my_data")).content)
    (exported,) = data["after_your_trips"]
    assert exported["learning_report"].startswith("I learned how Porto")
    assert (exported["travel_sek"], exported["application"]) == ("3120.50", plan.pk)

    path = homecoming.attendance_document.path
    User.objects.filter(pk=person.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    Application.objects.filter(pk=plan.pk).update(status=Status.SETTLED, updated_at=LONG_AGO)
    privacy.anonymise(user=person, actor=Actor.system("test"))
    homecoming.refresh_from_db()
    assert (homecoming.learning_report, homecoming.attendance_recorded_by) == ("", "")
    assert not homecoming.attendance_document and not os.path.exists(path)
    assert homecoming.travel_sek == Decimal("3120.50")  # the ledger's figures stay
