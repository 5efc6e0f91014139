"""Demo documents: a Mobility Agreement half signed and a letter to a host, so that the
documents pages have something to show; safe to run again."""

from __future__ import annotations

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.documents import agreements, outreach
from utsikt.documents.models import Agreement, Letter, Party
from utsikt.mobility.models import Application, Status

# Whose application gets which document, and who signs for the sending institution.
AGREEMENT_FOR = "sara.holm@example.org"
OFFICER = "ahmed.karimi@example.org"
LETTER_FOR = "maja.lindqvist@example.org"


def load() -> int:
    """An agreement signed by the staff member and the office, waiting for the host, and a
    job-shadowing enquiry written but not sent; the number made."""
    made = 0
    granted = (
        Application.objects.filter(applicant__email=AGREEMENT_FOR, status=Status.GRANTED)
        .select_related("applicant")
        .first()
    )
    officer = User.objects.filter(email=OFFICER).first()
    if (
        granted is not None
        and officer is not None
        and not Agreement.objects.filter(application=granted).exists()
    ):
        version = agreements.prepare(application=granted, actor=Actor.of(officer))
        # Rendered here, not by the worker (which may not run yet): the parties sign a PDF.
        agreements.render_version(version.pk)
        version.refresh_from_db()
        for party, person in ((Party.STAFF, granted.applicant), (Party.SENDING, officer)):
            agreements.sign(
                version=version,
                party=party,
                actor=Actor.of(person),
                name=person.get_full_name(),
                position=person.job_title,
            )
        made += 1
    planned = (
        Application.objects.filter(applicant__email=LETTER_FOR, status=Status.DRAFT)
        .select_related("applicant")
        .first()
    )
    if planned is not None and not Letter.objects.filter(application=planned).exists():
        language = outreach.language_for(planned)
        kind = Letter.Kind.JOB_SHADOWING
        subject, body = outreach.draft(planned, kind, language)
        outreach.write(
            application=planned,
            actor=Actor.of(planned.applicant),
            kind=kind,
            language=language,
            subject=subject,
            body=body,
        )
        made += 1
    return made
