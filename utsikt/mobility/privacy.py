"""What the person handed in after their trips, in their data export, and what anonymising
removes of it: the learning report and the certificate of attendance (it names them). The
dates and the amounts stay, as the applications' do."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from utsikt.accounts.models import User
from utsikt.accounts.privacy import anonymising, as_row, delete_files, exporting
from utsikt.mobility.models import Homecoming


@receiver(exporting, dispatch_uid="mobility-export")
def export(sender: type[User], user: User, **kwargs: Any) -> dict[str, Any]:
    fields = [
        "attendance_start",
        "attendance_end",
        "travel_sek",
        "accommodation_sek",
        "per_diem_sek",
        "fees_sek",
        "travel_claim_reference",
        "learning_report",
        "offered_as_story",
    ]
    return {
        "after_your_trips": [
            as_row(h, fields) | {"application": h.application_id}
            for h in Homecoming.objects.filter(application__applicant=user).order_by("pk")
        ]
    }


@receiver(anonymising, dispatch_uid="mobility-anonymise")
def anonymise(sender: type[User], user: User, **kwargs: Any) -> None:
    mine = Homecoming.objects.filter(application__applicant=user)
    delete_files(mine, "attendance_document")
    mine.update(
        learning_report="",
        attendance_recorded_by="",
        travel_claim_reference="",
    )
