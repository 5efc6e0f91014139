"""The public verification page, the host's attendance link and the two certificates, and the
hostile upload corpus through the pages that take PDFs."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from utsikt.accounts.models import User
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.core.models import Event
from utsikt.core.tests.test_pdf import CORPUS
from utsikt.documents import attendance, sealing
from utsikt.documents.agreements import keep_sealed
from utsikt.documents.models import Attendance, SealedDocument
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]


def _sealed(plan: Application) -> SealedDocument:
    data = sealing.seal(core_pdf.blank(), reason="test")
    return keep_sealed(
        kind=SealedDocument.Kind.AGREEMENT,
        application=plan,
        version=3,
        pdf=data,
        actor=Actor.system("test"),
    )


def _verify(data: bytes, name: str = "document.pdf") -> str:
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = Client().post(reverse("documents:verify"), {"pdf": upload}, HTTP_COOKIE="")
    assert response.status_code == 200
    return response.content.decode()


def test_the_verification_page_accepts_the_sealed_file_and_names_its_application(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    document = _sealed(plan)
    page = _verify(document.pdf.read())
    assert "Äkta och oförändrad." in page
    assert f"ansökan {plan.pk}, version 3" in page


def test_the_verification_page_rejects_a_one_byte_change(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    data = bytearray(_sealed(plan).pdf.read())
    for position in (len(data) // 2, 40, len(data) - 20):
        changed = bytearray(data)
        changed[position] ^= 0x01
        page = _verify(bytes(changed))
        assert "Inte ett oförändrat dokument förseglat av Utsikt." in page
        assert "Äkta och oförändrad." not in page


def test_a_file_utsikt_never_sealed_is_not_authentic_even_with_a_valid_seal(
    personas: dict[str, User],
) -> None:
    # Sealed with our key but never kept: someone else's copy of the key would do this.
    page = _verify(sealing.seal(core_pdf.blank(pages=2), reason="not ours"))
    assert "Inte ett oförändrat dokument" in page
    assert "Inte ett oförändrat dokument" in _verify(b"not a pdf at all")


def test_the_host_confirms_attendance_once_and_two_sealed_certificates_follow(
    personas: dict[str, User], client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("officer_ht").post(
            reverse("documents:invite_host", args=[plan.pk]),
            {"purpose": "attendance", "email": "host@example.org", "name": "Ana Costa"},
        )
    found = re.search(r"http://testserver(/host/attendance/[^/\s]+/)", mail.outbox[-1].body)
    assert found and mail.outbox[-1].to == ["host@example.org"]
    host = Client()
    page = host.get(found.group(1))
    assert page.status_code == 200 and page["Content-Language"] == "en"
    assert b"Confirm attendance" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        done = host.post(
            found.group(1),
            {
                "name": "Ana Costa",
                "position": "Librarian",
                "start": "2027-05-03",
                "end": "2027-05-06",
            },
        )
    assert done.status_code == 200
    confirmed = Attendance.objects.get(application=plan)
    assert (confirmed.start.day, confirmed.end.day) == (3, 6)
    event = Event.objects.get(action="attendance.confirmed")
    assert event.actor_kind == "host_contact"
    kinds = {d.kind: d for d in SealedDocument.objects.filter(application=plan)}
    assert set(kinds) == {SealedDocument.Kind.ATTENDANCE, SealedDocument.Kind.TRAINING}
    files = {kind: document.pdf.read() for kind, document in kinds.items()}
    assert all(sealing.seal_is_intact(data) for data in files.values())
    training = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(files[SealedDocument.Kind.TRAINING])).pages
    )
    assert "Intyg om kompetensutveckling" in training and "Certificate of training" in training
    assert host.get(found.group(1)).status_code == 410  # the link worked once
    # The staff member downloads their certificate.
    download = client_for("librarian").get(
        reverse("documents:sealed_pdf", args=[plan.pk, kinds[SealedDocument.Kind.TRAINING].pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        client_for("deputy_kultur")
        .get(
            reverse("documents:sealed_pdf", args=[plan.pk, kinds[SealedDocument.Kind.TRAINING].pk])
        )
        .status_code
        == 404
    )


def test_attendance_dates_in_the_wrong_order_are_refused_and_the_link_still_works(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        link = attendance.invite_host(
            application=plan, actor=Actor.of(personas["officer_ht"]), email="host@example.org"
        )
    found = re.search(r"http://testserver(/host/attendance/[^/\s]+/)", mail.outbox[-1].body)
    assert found
    refused = Client().post(
        found.group(1),
        {"name": "Ana", "position": "Librarian", "start": "2027-05-06", "end": "2027-05-03"},
    )
    assert refused.status_code == 200 and b"cannot be before" in refused.content
    link.refresh_from_db()
    assert link.used_at is None and not Attendance.objects.exists()


def test_attendance_is_not_asked_before_the_agreement_is_signed(
    personas: dict[str, User],
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    with pytest.raises(attendance.DocumentError):
        attendance.invite_host(
            application=plan, actor=Actor.of(personas["officer_ht"]), email="host@example.org"
        )


@pytest.mark.parametrize("kind", list(CORPUS))
def test_every_hostile_upload_is_refused_and_the_saved_agreement_is_kept(
    kind: str, personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    office = client_for("officer_ht")
    name = "x" * 240 + "<script>..\\..//evil.pdf.exe" if "HTML" in kind else "signed.pdf"
    bad = SimpleUploadedFile(name, CORPUS[kind](), content_type="application/pdf")
    response = office.post(
        reverse("mobility:application_act", args=[plan.pk, "record_signed_agreement"]),
        {"pdf": bad},
        follow=True,
    )
    assert response.status_code in {200, 413}
    plan.refresh_from_db()
    assert plan.status == Status.GRANTED and not plan.agreement_pdf
    if response.status_code == 200:
        with translation.override("sv"):
            assert "PDF" in response.content.decode() or "fil" in response.content.decode()


def test_a_refused_upload_keeps_the_agreement_saved_before(
    personas: dict[str, User], client_for: Clients
) -> None:
    from django.core.files.base import ContentFile

    plan = application(applicant=personas["librarian"], status=Status.AGREEMENT_SENT)
    plan.agreement_pdf.save("earlier.pdf", ContentFile(core_pdf.blank()), save=True)
    saved = plan.agreement_pdf.name
    bad = SimpleUploadedFile(
        "signed.pdf", CORPUS["a PDF followed by a ZIP"](), content_type="application/pdf"
    )
    client_for("officer_ht").post(
        reverse("mobility:application_act", args=[plan.pk, "record_signed_agreement"]),
        {"pdf": bad},
    )
    plan.refresh_from_db()
    assert plan.status == Status.AGREEMENT_SENT
    assert plan.agreement_pdf.name == saved and plan.agreement_pdf.read() == core_pdf.blank()
