"""The applicant's e-mails say what happened, who decided and the amount, in their language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility import workflow
from utsikt.mobility.factories import application
from utsikt.mobility.models import Status

pytestmark = pytest.mark.django_db


def _granted_mail(
    personas: dict[str, User], capture: Any, applicant: str, manager: str
) -> mail.EmailMultiAlternatives:
    plan = application(applicant=personas[applicant], status=Status.SUBMITTED)
    workflow.approve(application=plan, actor=Actor.of(personas[manager]))
    mail.outbox.clear()
    with capture(execute=True):
        workflow.grant(
            application=plan,
            actor=Actor.of(personas["officer_ht"]),
            amount_eur=Decimal(1975),
            reason="Two days shorter than planned.",
        )
    (message,) = [m for m in mail.outbox if m.to == [personas[applicant].email]]
    return message  # type: ignore[return-value]


def test_the_grant_e_mail_in_swedish_names_the_officer_the_amount_and_the_office(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    message = _granted_mail(
        personas, django_capture_on_commit_callbacks, "librarian", "head_libraries"
    )
    assert (
        "Sofia Almgren på Internationella kontoret har beviljat dig 1\u202f975\u202f€"
        in message.body
    )
    assert "Med vänliga hälsningar\nInternationella kontoret, " in message.body
    html = message.alternatives[0].content
    assert "1\u202f975\u202f€" in str(html)
    assert "Internationella kontoret, " in str(html)


def test_the_grant_e_mail_in_english_names_the_officer_the_amount_and_the_office(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    message = _granted_mail(
        personas, django_capture_on_commit_callbacks, "study_adviser", "head_sol"
    )
    assert "Sofia Almgren at the International Office has granted you €1,975" in message.body
    assert "Kind regards,\nInternational Office, " in message.body


def test_a_return_for_changes_says_who_returned_it_and_what_to_do(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(
            application=plan, actor=Actor.of(personas["head_libraries"]), comment="Datum?"
        )
    (message,) = mail.outbox
    assert "Karin Ek har skickat tillbaka din ansökan för komplettering" in message.body
    assert "Datum?" in message.body
