"""After the trip: the host confirms attendance through a link; two certificates are sealed.

The certificate of attendance is the host's confirmation with the actual dates; the training
certificate, in Swedish and English, is the staff member's for their CV and appraisal talk.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.documents.agreements import DocumentError, host_actor, keep_sealed, send_host_link
from utsikt.documents.models import Attendance, HostLink, SealedDocument
from utsikt.mobility import homecoming
from utsikt.mobility.models import Application, Status

# Attendance is confirmed once the agreement is signed: during the visit or after it.
CONFIRMABLE = frozenset({Status.SIGNED, Status.TRAVELLING, Status.COMPLETED, Status.SETTLED})


def invite_host(*, application: Application, actor: Actor, email: str, name: str = "") -> HostLink:
    """E-mail the host a personal link to confirm attendance and the actual dates."""
    if application.status not in CONFIRMABLE:
        raise DocumentError(_("Attendance is confirmed once the agreement is signed."))
    with transaction.atomic():
        link = send_host_link(
            application=application,
            purpose=HostLink.Purpose.ATTENDANCE,
            email=email,
            name=name,
        )
        events.record(
            action="attendance.host_invited",
            actor=actor,
            subject=application,
            payload={"email": email, "link": link.pk},
        )
    return link


def confirm_attendance(
    *,
    link: HostLink,
    name: str,
    position: str,
    start: datetime.date,
    end: datetime.date,
    ip_address: str | None,
    user_agent: str,
) -> Attendance:
    """The host confirms that the staff member attended, from `start` to `end`.

    The one place where the host's confirmation is written; the certificates are sealed
    by a task after commit.
    """
    if end < start:
        raise DocumentError(_("The last day cannot be before the first."))
    if not name.strip():
        raise DocumentError(_("Give your name and position."))
    application = link.application
    actor = host_actor(link, name)
    with transaction.atomic():
        used = HostLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise DocumentError(_("This link has been used already."))
        attendance, _created = Attendance.objects.update_or_create(
            application=application,
            defaults={
                "start": start,
                "end": end,
                "name": name.strip()[:200],
                "position": position.strip()[:200],
                "ip_address": ip_address,
                "user_agent": user_agent[:400],
                "confirmed_at": timezone.now(),
            },
        )
        events.record(
            action="attendance.confirmed",
            actor=actor,
            subject=application,
            payload={"start": start.isoformat(), "end": end.isoformat(), "link": link.pk},
        )
        # The traveller's after-trip checklist counts the host's word as the certificate
        # once the trip is under way or over (before that, the checklist is not open).
        if application.status in homecoming.OPEN:
            homecoming.record_attendance(
                application=application, actor=actor, start=start, end=end, document=None
            )
        from utsikt.documents.tasks import seal_certificates as task

        transaction.on_commit(partial(task.enqueue, application.pk))
    return attendance


def seal_certificates(application_id: int) -> list[SealedDocument]:
    """Render and seal the certificate of attendance and the bilingual training certificate."""
    from utsikt.documents import sealing
    from utsikt.documents.agreements import content_for
    from utsikt.documents.rendering import render

    application = Application.objects.select_related("applicant", "department__parent").get(
        pk=application_id
    )
    attendance = Attendance.objects.get(application=application)
    version = int(attendance.confirmed_at.timestamp())
    context = {
        "content": content_for(application),
        "attendance": attendance,
        "days": (attendance.end - attendance.start).days + 1,
        "verify_url": settings.UTSIKT_BASE_URL + reverse("documents:verify"),
        "university_sv": settings.UTSIKT_UNIVERSITY_NAME,
        "university_en": settings.UTSIKT_UNIVERSITY_NAME_EN,
    }
    made = []
    actor = Actor.system("seal")
    for kind, template in (
        (SealedDocument.Kind.ATTENDANCE, "documents/pdf/attendance.html"),
        (SealedDocument.Kind.TRAINING, "documents/pdf/training.html"),
    ):
        existing = SealedDocument.objects.filter(
            kind=kind, application=application, version=version
        ).first()
        if existing is not None:
            made.append(existing)
            continue
        pdf = sealing.seal(render(template, context), reason=f"{kind} certificate {application.pk}")
        with transaction.atomic():
            made.append(
                keep_sealed(
                    kind=kind, application=application, version=version, pdf=pdf, actor=actor
                )
            )
    return made
