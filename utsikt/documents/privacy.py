"""A person's documents in their data export, and what anonymising them removes.

Anonymising removes what names the person: the texts of their letters, their signatures'
names, addresses and browsers, and the files of their agreements, scans and certificates
(each of which names them). What stays counts or proves: that a letter was sent and
answered, that a party signed on a day, and a sealed document's checksum, so that the
verification page still recognises a sealed PDF someone kept.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from utsikt.accounts.models import User
from utsikt.accounts.privacy import anonymising, as_row, delete_files, exporting
from utsikt.documents.models import AgreementVersion, Letter, SealedDocument, Signature


@receiver(exporting, dispatch_uid="documents-export")
def export(sender: type[User], user: User, **kwargs: Any) -> dict[str, Any]:
    return {
        "your_signatures": [
            as_row(s, ["party", "method", "name", "position", "email", "signed_at", "voided_at"])
            | {"application": s.version.agreement.application_id, "version": s.version.number}
            for s in Signature.objects.filter(user=user).select_related("version__agreement")
        ],
        "your_letters_to_hosts": [
            as_row(
                letter,
                ["kind", "language", "to_email", "subject", "body", "status", "written_on"],
            )
            | {"application": letter.application_id}
            for letter in Letter.objects.filter(application__applicant=user).order_by("pk")
        ],
    }


@receiver(anonymising, dispatch_uid="documents-anonymise")
def anonymise(sender: type[User], user: User, **kwargs: Any) -> None:
    Letter.objects.filter(application__applicant=user).update(subject="", body="")
    signatures = Signature.objects.filter(user=user) | Signature.objects.filter(
        version__agreement__application__applicant=user
    )
    delete_files(signatures, "scan")
    Signature.objects.filter(user=user).update(
        name="", position="", email="", ip_address=None, user_agent=""
    )
    delete_files(AgreementVersion.objects.filter(agreement__application__applicant=user), "pdf")
    delete_files(SealedDocument.objects.filter(application__applicant=user), "pdf")
