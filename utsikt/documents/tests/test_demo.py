from __future__ import annotations

import os

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.documents.demo import AGREEMENT_FOR, LETTER_FOR, OFFICER
from utsikt.documents.models import AgreementVersion, Letter, Party, Signature


def _load() -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_demo_shows_an_agreement_waiting_for_the_host_and_a_letter_not_yet_sent(
    db: None,
) -> None:
    _load()
    _load()  # loads twice without a second agreement, signature or letter
    version = AgreementVersion.objects.get()
    assert version.agreement.application.applicant.email == AGREEMENT_FOR
    assert version.pdf  # rendered, so the host can read and sign it
    assert set(Signature.objects.values_list("party", flat=True)) == {Party.STAFF, Party.SENDING}
    officer = Client()
    officer.force_login(User.objects.get(email=OFFICER))
    officer.cookies["django_language"] = "en"
    page = officer.get(reverse("documents:agreement", args=[version.agreement.application_id]))
    text = " ".join(page.content.decode().split())
    assert page.status_code == 200 and "Still to sign: Receiving organisation" in text

    letter = Letter.objects.get()
    assert letter.application.applicant.email == LETTER_FOR
    assert letter.status == Letter.Status.WRITTEN and "Porto" in letter.body
    staff = Client()
    staff.force_login(letter.application.applicant)
    letters = staff.get(reverse("documents:letters", args=[letter.application_id]))
    assert letters.status_code == 200 and letter.subject in letters.content.decode()
