"""The Mobility Agreement's life: versions, signatures by three parties, the seal.

Every write is a keyword-argument function that records an event in its own transaction.
Rendering and sealing happen in tasks (tasks.py) queued after commit: no request waits for
WeasyPrint or pyHanko.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from utsikt.core import events, signing
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.core.email import send_template
from utsikt.documents.models import (
    Agreement,
    AgreementVersion,
    ChangeRequest,
    HostLink,
    Party,
    SealedDocument,
    Signature,
)
from utsikt.mobility import notifications, workflow
from utsikt.mobility.models import Application, Status

# An agreement is drawn up once the grant is decided, and changed until it is signed.
PREPARABLE = frozenset({Status.GRANTED, Status.AGREEMENT_SENT})
SIGN_PURPOSE = "documents.host-sign"
SCAN_MAX_BYTES = 10 * 1024 * 1024


class DocumentError(Exception):
    """A step that cannot be taken; the message says why, in the reader's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# ---------------------------------------------------------------------------------------
# Content


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def content_for(application: Application) -> dict[str, Any]:
    """Every field of the template, from the application as it stands (plain JSON values)."""
    applicant = application.applicant
    department = application.department
    faculty = department.parent if department.parent_id else None
    hosts = list(application.hosts.select_related("place", "country").order_by("pk"))
    host = hosts[0] if hosts else None
    with translation.override("en"):
        activity = str(application.get_activity_display())
        level = str(application.get_language_level_display()) if application.language_level else ""
        category = (
            str(applicant.get_staff_category_display())
            if getattr(applicant, "staff_category", "")
            else ""
        )
    days = (
        (application.end - application.start).days + 1
        if application.start and application.end
        else None
    )
    return {
        "reference": f"UTSIKT-{application.pk}",
        "call_year": application.call_year,
        "activity": activity,
        "staff": {
            "name": applicant.get_full_name() or applicant.email,
            "email": applicant.email,
            "position": getattr(applicant, "job_title", "") or "",
            "category": category,
            "first_time": application.first_time,
        },
        "sending": {
            "name": settings.UTSIKT_UNIVERSITY_NAME_EN,
            "erasmus_code": settings.UTSIKT_UNIVERSITY_ERASMUS_CODE,
            "address": settings.UTSIKT_UNIVERSITY_ADDRESS,
            "faculty": faculty.name_en if faculty else "",
            "department": department.name_en,
            "contact": (faculty.office_name_en if faculty else "") or "",
            "contact_email": (faculty.office_email if faculty else "") or "",
        },
        "receiving": {
            "name": host.name if host else "",
            "local_name": host.local_name if host else "",
            "erasmus_code": host.erasmus_code if host else "",
            "oid": host.oid if host else "",
            "pic": host.pic if host else "",
            "city": host.place.name if host and host.place else "",
            "country": host.country.name_en if host else "",
            "country_code": host.country_id if host else "",
            "website": host.website if host else "",
            "contact": host.contact_name if host else "",
            "contact_email": host.contact_email if host else "",
        },
        "dates": {
            "start": _day(application.start),
            "end": _day(application.end),
            "days": days,
            "travel_out": _day(application.travel_out),
            "travel_back": _day(application.travel_back),
        },
        "programme": {
            "language": application.working_language,
            "language_level": level,
            "objectives": application.objectives,
            "added_value": application.added_value,
            "activities": application.activities,
            "outcomes": application.outcomes,
        },
        "virtual": {
            "start": _day(application.virtual_start),
            "end": _day(application.virtual_end),
            "format": application.virtual_format,
            "description": application.virtual_description,
        },
    }


def _hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_version(application: Application) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(agreement__application=application, voided_at__isnull=True)
        .order_by("-number")
        .first()
    )


# ---------------------------------------------------------------------------------------
# Versions


def prepare(*, application: Application, actor: Actor) -> AgreementVersion:
    """The agreement's current version, made anew when the application's content changed.

    A new version voids the signatures on the one before (they approved other content),
    visibly: the old version stays, marked replaced, and everyone concerned is told.
    """
    if application.status not in PREPARABLE:
        raise DocumentError(
            _("A Mobility Agreement is drawn up once the grant is decided, before it is signed.")
        )
    content = content_for(application)
    digest = _hash(content)
    with transaction.atomic():
        agreement, _created = Agreement.objects.get_or_create(application=application)
        Agreement.objects.select_for_update().filter(pk=agreement.pk).get()
        latest = current_version(application)
        if latest is not None and latest.content_sha256 == digest:
            return latest
        voided = 0
        now = timezone.now()
        if latest is not None:
            AgreementVersion.objects.filter(pk=latest.pk).update(voided_at=now)
            voided = Signature.objects.filter(version=latest, voided_at__isnull=True).update(
                voided_at=now
            )
        number = (latest.number + 1) if latest is not None else _next_number(agreement)
        version = AgreementVersion.objects.create(
            agreement=agreement, number=number, content=content, content_sha256=digest
        )
        events.record(
            action="agreement.version_made",
            actor=actor,
            subject=application,
            payload={"version": number, "voided_signatures": voided},
        )
        if latest is not None:
            _tell_changed(application, version, voided)
        from utsikt.documents.tasks import render_agreement

        transaction.on_commit(partial(render_agreement.enqueue, version.pk))
    return version


def _next_number(agreement: Agreement) -> int:
    last = agreement.versions.order_by("-number").first()
    return last.number + 1 if last else 1


def _tell_changed(application: Application, version: AgreementVersion, voided: int) -> None:
    for person in [application.applicant, *notifications.officers(application)]:
        send_template(
            template="documents/email/agreement_changed",
            to=person,
            context={
                "application": application,
                "version": version.number,
                "voided": voided,
                "link": settings.UTSIKT_BASE_URL
                + reverse("documents:agreement", args=[application.pk]),
            },
            key=f"agreement-changed:{version.pk}:{person.pk}",
        )


def render_version(version_id: int) -> None:
    """Render one version's PDF (the task's work); a replaced version is not rendered."""
    from utsikt.documents.rendering import render

    version = AgreementVersion.objects.select_related("agreement__application").get(pk=version_id)
    if version.pdf:
        return
    pdf = render(
        "documents/pdf/agreement.html",
        {"content": version.content, "version": version, "signatures": []},
    )
    name = f"agreement-{version.agreement.application_id}-v{version.number}.pdf"
    version.pdf.save(name, ContentFile(pdf), save=False)
    with transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(
            pdf=version.pdf.name, rendered_at=timezone.now()
        )
        events.record(
            action="agreement.rendered",
            actor=Actor.system("render"),
            subject=version.agreement.application,
            payload={"version": version.number, "bytes": len(pdf)},
        )


# ---------------------------------------------------------------------------------------
# Signatures


def _signable(version: AgreementVersion) -> None:
    if version.voided_at is not None:
        raise DocumentError(_("This version was replaced by a newer one; sign the newer one."))
    if not version.pdf:
        raise DocumentError(_("The agreement is still being prepared; try again in a moment."))


def sign(
    *,
    version: AgreementVersion,
    party: str,
    actor: Actor,
    name: str,
    position: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    scan: Any = None,
) -> Signature:
    """One party signs the current version: in Utsikt, through the host's link, or by scan."""
    _signable(version)
    if party not in Party.values:
        raise DocumentError(_("Unknown party."))
    if scan is not None:
        try:
            core_pdf.check(scan, max_bytes=SCAN_MAX_BYTES)
        except core_pdf.PdfRefused as refused:
            raise DocumentError(refused.message) from None
        method = Signature.Method.SCAN
    elif actor.is_user:
        method = Signature.Method.ONLINE
    else:
        method = Signature.Method.LINK
    try:
        with transaction.atomic():
            signature = Signature(
                version=version,
                party=party,
                method=method,
                name=name.strip()[:200],
                position=position.strip()[:200],
                email=actor.email,
                user_id=actor.user_id,
                ip_address=ip_address,
                user_agent=user_agent[:400],
            )
            if scan is not None:
                signature.scan.save(f"scan-{version.pk}-{party}.pdf", scan, save=False)
            signature.save()
            events.record(
                action="agreement.signed",
                actor=actor,
                subject=version.agreement.application,
                payload={"version": version.number, "party": party, "method": method},
            )
            if _all_signed(version):
                from utsikt.documents.tasks import seal_agreement

                transaction.on_commit(partial(seal_agreement.enqueue, version.pk))
    except IntegrityError:
        raise DocumentError(_("This party has already signed this version.")) from None
    return signature


def _all_signed(version: AgreementVersion) -> bool:
    parties = set(
        Signature.objects.filter(version=version, voided_at__isnull=True).values_list(
            "party", flat=True
        )
    )
    return parties == set(Party.values)


def parties_who_may_sign(user: Any, application: Application) -> list[str]:
    """Which parties this person may sign for: the applicant as the staff member, an officer
    of the faculty as the sending institution (never both: nobody decides on their own)."""
    mine = workflow.relations(user, application)
    parties: list[str] = []
    if workflow.APPLICANT in mine:
        parties.append(Party.STAFF)
    if workflow.OFFICER in mine:
        parties.append(Party.SENDING)
    return parties


# ---------------------------------------------------------------------------------------
# The host's link


def link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.UTSIKT_HOST_LINK_DAYS)


def make_link_token(link: HostLink) -> str:
    return signing.make_token(
        f"documents.host-{link.purpose}", {"link": link.pk, "nonce": link.nonce}, expiring=True
    )


def send_host_link(
    *,
    application: Application,
    purpose: str,
    email: str,
    name: str = "",
    version: AgreementVersion | None = None,
) -> HostLink:
    """Make the host contact's personal link for `purpose` and e-mail it (call inside the
    transaction that records why): the page `documents:host_<purpose>`, the mail
    `documents/email/host_<purpose>`."""
    link = HostLink.objects.create(
        application=application,
        version=version,
        purpose=purpose,
        nonce=secrets.token_hex(16),
        email=email,
        name=name.strip()[:200],
    )
    url = settings.UTSIKT_BASE_URL + reverse(
        f"documents:host_{purpose}", args=[make_link_token(link)]
    )
    send_template(
        template=f"documents/email/host_{purpose}",
        to=email,
        language="en",
        context={
            "application": application,
            "name": link.name,
            "link": url,
            "days": settings.UTSIKT_HOST_LINK_DAYS,
        },
        key=f"host-{purpose}:{link.pk}",
        reply_to=application.applicant.email,
    )
    return link


def invite_host(*, version: AgreementVersion, actor: Actor, email: str, name: str = "") -> HostLink:
    """E-mail the host's contact a personal link to read and sign this version."""
    _signable(version)
    application = version.agreement.application
    with transaction.atomic():
        link = send_host_link(
            application=application,
            purpose=HostLink.Purpose.SIGN,
            email=email,
            name=name,
            version=version,
        )
        events.record(
            action="agreement.host_invited",
            actor=actor,
            subject=application,
            payload={"version": version.number, "email": email, "link": link.pk},
        )
        if application.status == Status.GRANTED:
            workflow.send_agreement(application=application, actor=actor)
    return link


class LinkProblem(Exception):
    """Why a host's link does not open: "invalid", "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def link_for(token: str, purpose: str) -> HostLink:
    """The link a token stands for; LinkProblem if forged, expired, or used up."""
    try:
        payload = signing.read_token(f"documents.host-{purpose}", token, max_age=link_max_age())
    except signing.InvalidToken as error:
        reason = "expired" if "age" in str(error).lower() else "invalid"
        raise LinkProblem(reason) from None
    link = (
        HostLink.objects.select_related("application__applicant", "version__agreement")
        .filter(pk=int(payload.get("link") or 0), nonce=str(payload.get("nonce", "")))
        .filter(purpose=purpose)
        .first()
    )
    if link is None:
        raise LinkProblem("invalid")
    if link.used_at is not None:
        raise LinkProblem("used")
    if link.version is not None and link.version.voided_at is not None:
        raise LinkProblem("replaced")
    return link


def host_actor(link: HostLink, name: str = "") -> Actor:
    return Actor.host_contact(name=name or link.name, email=link.email, token=f"link:{link.pk}")


def host_sign(
    *,
    link: HostLink,
    name: str,
    position: str,
    consent: bool,
    ip_address: str | None,
    user_agent: str,
) -> Signature:
    """The host signs through their link, which then works no more."""
    if not consent:
        raise DocumentError(_("Tick the box to confirm that you approve the agreement."))
    if not name.strip() or not position.strip():
        raise DocumentError(_("Give your name and position."))
    assert link.version is not None
    with transaction.atomic():
        used = HostLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise DocumentError(_("This link has been used already."))
        return sign(
            version=link.version,
            party=Party.RECEIVING,
            actor=host_actor(link, name),
            name=name,
            position=position,
            ip_address=ip_address,
            user_agent=user_agent,
        )


def request_changes(*, link: HostLink, name: str, comment: str) -> ChangeRequest:
    """The host asks for changes; the applicant and the office are told, with the comment."""
    comment = comment.strip()
    if not comment:
        raise DocumentError(_("Write what should change."))
    assert link.version is not None
    application = link.application
    with transaction.atomic():
        change = ChangeRequest.objects.create(
            version=link.version, name=name.strip()[:200] or link.name, comment=comment[:5000]
        )
        for person in [application.applicant, *notifications.officers(application)]:
            send_template(
                template="documents/email/changes_requested",
                to=person,
                context={
                    "application": application,
                    "name": change.name,
                    "comment": change.comment,
                    "link": settings.UTSIKT_BASE_URL
                    + reverse("documents:agreement", args=[application.pk]),
                },
                key=f"changes-requested:{change.pk}:{person.pk}",
                reply_to=link.email,
            )
        events.record(
            action="agreement.changes_requested",
            actor=host_actor(link, name),
            subject=application,
            payload={"version": link.version.number, "change_request": change.pk},
        )
    return change


# ---------------------------------------------------------------------------------------
# The seal


def seal_version(version_id: int) -> SealedDocument | None:
    """The task's work once all three have signed: render with the signature page, seal,
    keep; the application moves to "signed" through the workflow's own step."""
    from utsikt.documents import sealing
    from utsikt.documents.rendering import render

    version = AgreementVersion.objects.select_related("agreement__application").get(pk=version_id)
    application = version.agreement.application
    if version.voided_at is not None or not _all_signed(version):
        return None
    existing = SealedDocument.objects.filter(
        kind=SealedDocument.Kind.AGREEMENT, application=application, version=version.number
    ).first()
    if existing is not None:
        return existing
    signatures = list(version.signatures.filter(voided_at__isnull=True).order_by("party"))
    verify_url = settings.UTSIKT_BASE_URL + reverse("documents:verify")
    pdf = render(
        "documents/pdf/agreement.html",
        {
            "content": version.content,
            "version": version,
            "signatures": signatures,
            "final": True,
            "verify_url": verify_url,
        },
    )
    sealed = sealing.seal(pdf, reason=f"Mobility Agreement {application.pk} v{version.number}")
    actor = Actor.system("seal")
    with transaction.atomic():
        document = keep_sealed(
            kind=SealedDocument.Kind.AGREEMENT,
            application=application,
            version=version.number,
            pdf=sealed,
            actor=actor,
        )
        application.refresh_from_db()
        if application.status in {Status.GRANTED, Status.AGREEMENT_SENT}:
            workflow.record_signed_agreement(
                application=application,
                actor=actor,
                pdf=SimpleUploadedFile(
                    f"agreement-{application.pk}.pdf", sealed, content_type="application/pdf"
                ),
            )
    return document


def keep_sealed(
    *, kind: str, application: Application, version: int, pdf: bytes, actor: Actor
) -> SealedDocument:
    digest = hashlib.sha256(pdf).hexdigest()
    document = SealedDocument(kind=kind, application=application, version=version, sha256=digest)
    document.pdf.save(f"{kind}-{application.pk}-v{version}.pdf", ContentFile(pdf), save=False)
    document.save()
    events.record(
        action=f"{kind}.sealed",
        actor=actor,
        subject=application,
        payload={"version": version, "sha256": digest, "document": document.pk},
    )
    return document
