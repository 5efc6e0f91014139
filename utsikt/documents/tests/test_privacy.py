"""A person's documents in their data export, and anonymising them: the texts, names,
addresses and files that name the person go; what proves a document stays, so the
verification page still recognises a sealed PDF someone kept."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts import privacy
from utsikt.accounts.models import User
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.documents import agreements, outreach, sealing
from utsikt.documents.models import AgreementVersion, Letter, Party, SealedDocument, Signature
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

LONG_AGO = timezone.now() - datetime.timedelta(days=10 * 365)


def _signed_with_letter(person: User, officer: User, capture: Any) -> Application:
    plan = application(applicant=person, status=Status.GRANTED)
    with capture(execute=True):
        version = agreements.prepare(application=plan, actor=Actor.of(officer))
    version.refresh_from_db()
    agreements.sign(
        version=version,
        party=Party.STAFF,
        actor=Actor.of(person),
        name="Maja Lindqvist",
        position="Bibliotekarie",
        ip_address="192.0.2.7",
        user_agent="Firefox",
    )
    agreements.sign(
        version=version,
        party=Party.SENDING,
        actor=Actor.of(officer),
        name="Sofia Almgren",
        scan=SimpleUploadedFile("scan.pdf", core_pdf.blank(), content_type="application/pdf"),
    )
    agreements.keep_sealed(
        kind=SealedDocument.Kind.AGREEMENT,
        application=plan,
        version=1,
        pdf=sealing.seal(core_pdf.blank(), reason="test"),
        actor=Actor.system("test"),
    )
    outreach.write(
        application=plan,
        actor=Actor.of(person),
        kind=Letter.Kind.JOB_SHADOWING,
        language="en",
        subject="Job shadowing in May",
        body="Dear colleague, my name is Maja Lindqvist.",
    )
    return plan


def test_the_export_holds_the_persons_signatures_and_letters(
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = personas["librarian"]
    plan = _signed_with_letter(person, personas["officer_ht"], django_capture_on_commit_callbacks)
    data = json.loads(client_for("librarian").get(reverse("accounts:my_data")).content)
    assert [(s["party"], s["name"], s["application"]) for s in data["your_signatures"]] == [
        (Party.STAFF, "Maja Lindqvist", plan.pk)
    ]
    assert data["your_letters_to_hosts"][0]["body"].endswith("Maja Lindqvist.")
    # The officer's own export holds their signature, not the librarian's letter.
    theirs = json.loads(client_for("officer_ht").get(reverse("accounts:my_data")).content)
    assert [s["party"] for s in theirs["your_signatures"]] == [Party.SENDING]
    assert theirs["your_letters_to_hosts"] == []


def test_anonymising_removes_what_names_the_person_and_keeps_the_proof(
    personas: dict[str, User],
    client_for: Callable[[str | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    person, officer = personas["librarian"], personas["officer_ht"]
    plan = _signed_with_letter(person, officer, django_capture_on_commit_callbacks)
    sealed = SealedDocument.objects.get(application=plan)
    kept_copy = sealed.pdf.read()
    files = [sealed.pdf.path, AgreementVersion.objects.get().pdf.path]
    files += [s.scan.path for s in Signature.objects.exclude(scan="")]
    User.objects.filter(pk=person.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    Application.objects.filter(pk=plan.pk).update(status=Status.SETTLED, updated_at=LONG_AGO)

    privacy.anonymise(user=person, actor=Actor.system("test"))

    mine = Signature.objects.get(party=Party.STAFF)
    assert (mine.name, mine.position, mine.email, mine.ip_address, mine.user_agent) == (
        "", "", "", None, ""
    )  # fmt: skip
    assert mine.signed_at is not None  # that the staff member signed, and when, stays
    assert Signature.objects.get(party=Party.SENDING).name == "Sofia Almgren"
    letter = Letter.objects.get()
    assert (letter.subject, letter.body, letter.status) == ("", "", Letter.Status.WRITTEN)
    assert not any(os.path.exists(path) for path in files)
    # The office's download links answer 404, not an error.
    office = client_for("officer_ht")
    for url in (
        reverse("documents:version_pdf", args=[plan.pk, 1]),
        reverse("documents:sealed_pdf", args=[plan.pk, sealed.pk]),
    ):
        assert office.get(url).status_code == 404
    # Someone who kept the sealed PDF can still have it verified.
    upload = SimpleUploadedFile("kept.pdf", kept_copy, content_type="application/pdf")
    page = Client().post(reverse("documents:verify"), {"pdf": upload}).content.decode()
    assert "Äkta och oförändrad." in page
