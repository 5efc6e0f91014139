"""The issue's "done when", in Chromium: an approved (granted) application becomes a sealed,
three-party-signed Mobility Agreement through the host's link, and the host confirms
attendance through a second link. The host's pages are checked with axe on a phone, in
English and in Swedish; the verification page takes the sealed file and refuses it changed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible as accessible
from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.core.testing import transactional
from utsikt.documents.models import SealedDocument
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, transactional()]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def base(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[str]:
    settings.UTSIKT_BASE_URL = live_server.url
    yield live_server.url


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def log_in(browser: Browser, base: str, user: User) -> Page:
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = context.new_page()
    page.set_default_timeout(60_000)  # the test backend renders and seals inside the request
    page.goto(base + "/login/")
    page.keyboard.type(user.email)  # the e-mail field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("form[action='/logout/'] button")).to_be_visible()
    return page


def host_page(browser: Browser, base: str, language: str | None = None) -> Page:
    context = browser.new_context(viewport=PHONE, locale="pt-PT")
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(60_000)  # the test backend renders and seals inside the request
    return page


def link_in_mail(kind: str, base: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(rf"{re.escape(base)}(/host/{kind}/[^/\s]+/)", message.body)
        if found:
            return base + found.group(1)
    raise AssertionError(f"no {kind} link was e-mailed")


def test_from_a_granted_application_to_a_sealed_agreement_and_attendance(
    base: str, browser: Browser, personas: dict[str, User], tmp_path: Path
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    agreement_page = f"{base}/documents/{plan.pk}/"

    # The office draws up the agreement, signs for the university and sends the host a link.
    office = log_in(browser, base, personas["officer_ht"])
    office.goto(f"{base}/mobility/{plan.pk}/")
    office.get_by_role("link", name="Mobility Agreement, signatures and certificates").click()
    office.get_by_role("button", name="Draw up the agreement").click()
    office.wait_for_load_state()
    office.goto(agreement_page)  # rendered by the task after commit
    expect(office.get_by_role("link", name="Download version 1 (PDF)")).to_be_visible()
    accessible(office)
    office.get_by_role("button", name="Sign as: Sending institution").click()
    office.wait_for_load_state()
    office.fill("#id_email", "ana.costa@example.org")
    office.fill("#id_name", "Ana Costa")
    office.get_by_role("button", name="Send the link").click()
    office.wait_for_load_state()
    expect(office.get_by_text("The host has been sent a personal link.")).to_be_visible()

    # The staff member signs in Utsikt.
    staff = log_in(browser, base, personas["librarian"])
    staff.goto(agreement_page)
    accessible(staff)
    staff.get_by_role("button", name="Sign as: Staff member").click()
    staff.wait_for_load_state()
    expect(staff.get_by_text("You have signed the agreement.")).to_be_visible()

    # The host, on a phone and without an account, reads the page in Swedish and in English
    # (English by default), then signs.
    sign_url = link_in_mail("sign", base)
    swedish = host_page(browser, base, "sv")
    swedish.goto(sign_url)
    expect(swedish.locator("html")).to_have_attribute("lang", "sv")
    accessible(swedish)
    no_sideways_scroll(swedish)
    host = host_page(browser, base)
    host.goto(sign_url)
    expect(host.locator("html")).to_have_attribute("lang", "en")
    expect(host.get_by_role("heading", name="Mobility Agreement to sign")).to_be_visible()
    accessible(host)
    no_sideways_scroll(host)
    host.get_by_label("Your name").first.fill("Ana Costa")
    host.get_by_label("Your position").fill("Head librarian")
    host.get_by_label("I have read the Mobility Agreement").check()
    host.get_by_role("button", name="Sign the agreement").click()
    expect(host.get_by_role("heading", name="Thank you")).to_be_visible()
    accessible(host)
    host.goto(sign_url)
    expect(host.get_by_role("heading", name="This link does not work")).to_be_visible()
    accessible(host)

    sealed = SealedDocument.objects.get(application=plan, kind=SealedDocument.Kind.AGREEMENT)
    assert Application.objects.get(pk=plan.pk).status == Status.SIGNED

    # The office asks the host to confirm attendance; the host does, on the phone.
    office.goto(agreement_page)
    expect(office.get_by_role("link", name="Mobility Agreement (PDF)")).to_be_visible()
    office.fill("#id_email", "ana.costa@example.org")
    office.get_by_role("button", name="Send the link").click()
    office.wait_for_load_state()
    attendance = host_page(browser, base)
    attendance.goto(link_in_mail("attendance", base))
    accessible(attendance)
    no_sideways_scroll(attendance)
    attendance.get_by_label("Your name").fill("Ana Costa")
    attendance.get_by_label("Your position").fill("Head librarian")
    attendance.get_by_label("Last day of the activity").fill("2027-05-06")
    attendance.get_by_role("button", name="Confirm attendance").click()
    expect(attendance.get_by_role("heading", name="Thank you")).to_be_visible()
    kinds = set(SealedDocument.objects.filter(application=plan).values_list("kind", flat=True))
    assert kinds == {"agreement", "attendance", "training"}

    # Anyone can check the sealed file; a one-byte change is refused.
    original = tmp_path / "sealed.pdf"
    original.write_bytes(sealed.pdf.read())
    changed = tmp_path / "changed.pdf"
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    checker = host_page(browser, base, "en")
    checker.goto(base + "/verify/")
    accessible(checker)
    checker.set_input_files("#id_pdf", str(original))
    checker.get_by_role("button", name="Check", exact=True).click()
    expect(checker.get_by_text("Authentic and unchanged.", exact=True)).to_be_visible()
    accessible(checker)
    checker.set_input_files("#id_pdf", str(changed))
    checker.get_by_role("button", name="Check", exact=True).click()
    refused = checker.get_by_text("Not an unchanged document sealed by Utsikt.", exact=True)
    expect(refused).to_be_visible()
