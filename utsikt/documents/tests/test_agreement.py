"""The Mobility Agreement from a granted application to a sealed, three-party document."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from utsikt.accounts.models import User
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.core.models import Event
from utsikt.documents import agreements, sealing
from utsikt.documents.models import AgreementVersion, Party, SealedDocument, Signature
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]


def _text(data: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def granted(personas: dict[str, User]) -> Application:
    return application(applicant=personas["librarian"], status=Status.GRANTED)


def _prepare(plan: Application, personas: dict[str, User], capture: Any) -> AgreementVersion:
    with capture(execute=True):
        version = agreements.prepare(application=plan, actor=Actor.of(personas["officer_ht"]))
    version.refresh_from_db()
    return version


def _host_link_from_mail(kind: str = "sign") -> str:
    for message in reversed(mail.outbox):
        found = re.search(rf"http://testserver(/host/{kind}/[^/\s]+/)", message.body)
        if found:
            return found.group(1)
    raise AssertionError("No e-mail with a host link")


def test_the_agreement_carries_every_field_of_the_template(
    granted: Application, personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    assert version.number == 1 and version.pdf and version.rendered_at
    text = _text(version.pdf.read())
    for expected in [
        "Mobility Agreement",
        "S LUND01",  # the sending institution's Erasmus code
        granted.applicant.get_full_name(),
        "Learn how the library runs its research data service.",
        "We are starting the same service next year.",
        "Shadow the data librarians",
        "A plan for our own service",
        "2027-05-03",
        "Commitment of the three parties",
        "Porto",
    ]:
        assert expected in " ".join(text.split()), expected
    assert Event.objects.filter(action="agreement.version_made").count() == 1
    rendered = Event.objects.get(action="agreement.rendered")
    assert rendered.actor_kind == "system" and rendered.payload["version"] == 1


def test_user_text_is_escaped_and_local_files_are_not_read(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    plan = application(
        applicant=personas["librarian"],
        status=Status.GRANTED,
        objectives='<img src="file:///etc/passwd"><b>bold</b> <link rel=stylesheet href="/etc/x">',
    )
    version = _prepare(plan, personas, django_capture_on_commit_callbacks)
    text = " ".join(_text(version.pdf.read()).split())
    assert '<img src="file:///etc/passwd">' in text  # shown as text, never fetched
    assert "root:" not in text


def test_the_url_fetcher_serves_only_the_projects_static_files() -> None:
    from utsikt.documents.rendering import STATIC_BASE, RefusedResource, static_only_fetcher

    fetcher = static_only_fetcher()
    assert fetcher.fetch(STATIC_BASE + "documents/print.css").status == 200
    for url in [
        "file:///etc/passwd",
        "https://example.org/x.css",
        STATIC_BASE + "../config/settings.py",
        STATIC_BASE + "documents/%2e%2e/%2e%2e/secret",
        STATIC_BASE + "documents/print.css?x=1",
        STATIC_BASE + "no-such-file.css",
    ]:
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)


def test_three_parties_sign_and_the_sealed_agreement_moves_the_application_to_signed(
    granted: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    office = client_for("officer_ht")
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("documents:invite_host", args=[granted.pk]),
            {"purpose": "sign", "email": "host@example.org", "name": "Ana Costa"},
        )
    assert Application.objects.get(pk=granted.pk).status == Status.AGREEMENT_SENT
    host_url = _host_link_from_mail()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("librarian").post(
            reverse("documents:sign", args=[granted.pk]), {"party": Party.STAFF}
        )
        office.post(reverse("documents:sign", args=[granted.pk]), {"party": Party.SENDING})
    host = Client()
    page = host.get(host_url)
    assert page.status_code == 200 and b"Mobility Agreement" in page.content
    assert host.get(host_url + "agreement.pdf").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        signed = host.post(
            host_url,
            {"intent": "sign", "name": "Ana Costa", "position": "Head librarian", "consent": "on"},
            HTTP_USER_AGENT="Test browser",
        )
    assert signed.status_code == 200
    by_host = Signature.objects.get(version=version, party=Party.RECEIVING)
    assert by_host.method == Signature.Method.LINK and by_host.user_agent == "Test browser"
    assert by_host.ip_address == "127.0.0.1"
    sealed = SealedDocument.objects.get(application=granted, kind=SealedDocument.Kind.AGREEMENT)
    data = sealed.pdf.read()
    assert sealing.seal_is_intact(data)
    text = " ".join(_text(data).split())
    assert "Ana Costa, Head librarian" in text and "Signatures" in text
    core_pdf.check(data)  # the sealed file passes Utsikt's own upload check
    assert Application.objects.get(pk=granted.pk).status == Status.SIGNED
    event = Event.objects.get(action="agreement.signed", payload__party=Party.RECEIVING)
    assert event.actor_kind == "host_contact"
    # The link worked once for signing.
    again = host.get(host_url)
    assert again.status_code == 410 and b"used already" in again.content


def test_a_change_after_a_signature_makes_a_new_version_and_voids_signatures_visibly(
    granted: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _prepare(granted, personas, django_capture_on_commit_callbacks)
    agreements.sign(
        version=first, party=Party.STAFF, actor=Actor.of(personas["librarian"]), name="Lib"
    )
    assert _prepare(granted, personas, django_capture_on_commit_callbacks).pk == first.pk
    Application.objects.filter(pk=granted.pk).update(objectives="Something else entirely.")
    granted.refresh_from_db()
    mail.outbox.clear()
    second = _prepare(granted, personas, django_capture_on_commit_callbacks)
    assert second.number == 2
    first.refresh_from_db()
    assert first.voided_at is not None
    assert Signature.objects.get(version=first).voided_at is not None
    assert not Signature.objects.filter(version=second).exists()
    assert {m.to[0] for m in mail.outbox} >= {personas["librarian"].email}
    page = client_for("librarian").get(reverse("documents:agreement", args=[granted.pk]))
    assert "Version 1: replaced" in page.content.decode() or "Version 1: ersatt" in (
        page.content.decode()
    )
    with pytest.raises(agreements.DocumentError):
        agreements.sign(
            version=first, party=Party.SENDING, actor=Actor.of(personas["officer_ht"]), name="O"
        )


def test_the_host_asks_for_changes_and_the_applicant_and_office_are_told(
    granted: Application, personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        agreements.invite_host(
            version=version, actor=Actor.of(personas["officer_ht"]), email="host@example.org"
        )
    url = _host_link_from_mail()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            url,
            {"intent": "changes", "changes-name": "Ana", "changes-comment": "Start on Tuesday."},
        )
    told = {m.to[0] for m in mail.outbox}
    assert personas["librarian"].email in told and personas["officer_ht"].email in told
    assert all("Start on Tuesday." in m.body for m in mail.outbox)
    assert Event.objects.filter(action="agreement.changes_requested").count() == 1


def test_a_forged_or_expired_link_shows_a_clear_page(
    granted: Application,
    personas: dict[str, User],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        agreements.invite_host(
            version=version, actor=Actor.of(personas["officer_ht"]), email="host@example.org"
        )
    url = _host_link_from_mail()
    forged = Client().get(url.replace("/host/sign/", "/host/sign/x"))
    assert forged.status_code == 404 and b"not valid" in forged.content
    settings.UTSIKT_HOST_LINK_DAYS = -1
    expired = Client().get(url)
    assert expired.status_code == 410 and b"expired" in expired.content
    # A link to sign never opens the attendance page.
    token = url.split("/")[-2]
    assert Client().get(reverse("documents:host_attendance", args=[token])).status_code == 404


def test_the_host_pages_are_rate_limited(
    granted: Application,
    personas: dict[str, User],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from utsikt.documents import ratelimit

    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        agreements.invite_host(
            version=version, actor=Actor.of(personas["officer_ht"]), email="host@example.org"
        )
    url = _host_link_from_mail()
    client = Client(REMOTE_ADDR="192.0.2.77")
    statuses = [client.get(url).status_code for _n in range(ratelimit.LIMIT + 2)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_a_wet_signed_scan_is_checked_by_its_content(
    granted: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = _prepare(granted, personas, django_capture_on_commit_callbacks)
    office = client_for("officer_ht")
    bad = SimpleUploadedFile("scan.pdf", b"<html>hi</html>", content_type="application/pdf")
    office.post(
        reverse("documents:upload_scan", args=[granted.pk]),
        {"scan-party": Party.RECEIVING, "scan-name": "Ana", "scan-pdf": bad},
    )
    assert not Signature.objects.filter(version=version).exists()
    good = SimpleUploadedFile("scan.pdf", core_pdf.blank(), content_type="application/pdf")
    office.post(
        reverse("documents:upload_scan", args=[granted.pk]),
        {"scan-party": Party.RECEIVING, "scan-name": "Ana", "scan-pdf": good},
    )
    scan = Signature.objects.get(version=version, party=Party.RECEIVING)
    assert scan.method == Signature.Method.SCAN and scan.scan


def test_nobody_signs_for_a_party_that_is_not_theirs(
    granted: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _prepare(granted, personas, django_capture_on_commit_callbacks)
    refused = client_for("librarian").post(
        reverse("documents:sign", args=[granted.pk]), {"party": Party.SENDING}
    )
    assert refused.status_code == 404
    assert (
        client_for("librarian").post(reverse("documents:prepare", args=[granted.pk])).status_code
        == 404
    )
    assert not Signature.objects.exists()
