"""The pages app in Chromium: every page it adds, checked by axe in Swedish and English, and
at phone width (360 px) without sideways scrolling."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from utsikt.accounts.models import User
from utsikt.core.models import OutgoingEmail
from utsikt.core.testing import transactional
from utsikt.mobility.factories import application
from utsikt.mobility.models import Status
from utsikt.pages import demo
from utsikt.pages.models import Story

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, transactional()]

PUBLIC = [
    "/",
    "/info/",
    "/info/what-is-staff-training/",
    "/info/language/",
    "/info/insurance/",
    "/stories/",
    "/stories/?category=librarian",
    "/stories/economist-in-athens/",
    "/stories/librarian-in-oxford/",
    "/ambassadors/",
    "/contact/",
    "/contact/ht/",
    "/contact/university/",
    "/newsletter/",
    "/newsletter/check-your-inbox/",
]


@pytest.fixture
def site(live_server: Any, page: Page, personas: dict[str, User]) -> Iterator[Site]:
    demo.load()
    page.set_default_timeout(10_000)
    yield Site(live_server.url, page, personas)


def fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} px"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_public_page_is_accessible_and_fits_a_phone(
    site: Site, page: Page, language: str
) -> None:
    site.start(language)
    for path in PUBLIC:
        site.visit(path)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in PUBLIC:
        site.visit(path)
        fits(page, 360)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_visitor_subscribes_confirms_and_unsubscribes(site: Site, language: str) -> None:
    page = site.page
    site.visit("/newsletter/")
    site.use_language(language)
    page.fill("#id_email", "reader@example.net")
    page.locator("input[value=librarian]").check()
    page.locator(".newsletter-form button[type=submit]").click()
    page.wait_for_load_state()
    site.check()
    email = OutgoingEmail.objects.get(to="reader@example.net")
    confirm = next(w for w in email.text.split() if "/newsletter/confirm/" in w)
    site.visit("/" + confirm.split("/", 3)[3])
    page.locator("main form button").click()
    page.wait_for_load_state()
    site.check()
    unsubscribe = next(w for w in email.text.split() if "/newsletter/unsubscribe/" in w)
    site.visit("/" + unsubscribe.split("/", 3)[3])
    page.locator("main form button").click()
    page.wait_for_load_state()
    site.check()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_returnee_offers_a_story_and_becomes_an_ambassador(site: Site, language: str) -> None:
    mobility = application(
        applicant=site.personas["librarian"],
        status=Status.COMPLETED,
        start=datetime.date(2025, 5, 5),
        end=datetime.date(2025, 5, 9),
    )
    page = site.page
    site.start(language)
    site.login("librarian")
    site.visit("/after-my-mobility/")
    site.visit(f"/stories/offer/{mobility.pk}/")
    page.fill("#id_title_en", "My week in Porto")
    page.fill("#id_body_en", "I learned a lot.")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    site.check()
    assert Story.objects.filter(application=mobility, status=Story.Status.OFFERED).exists()
    page.fill("#id_topics_en", "Research data")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    site.check()
    expect(page.locator("#id_topics_en")).to_have_value("Research data")
    site.visit("/ambassadors/")
    expect(page.locator("main")).to_contain_text("Maja Lindqvist")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_office_edits_pages_stories_and_contacts(site: Site, language: str) -> None:
    page = site.page
    site.start(language)
    site.login("officer_ht")
    site.visit("/office/content/")
    site.visit("/office/content/pages/language/")
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    site.check()
    expect(page.locator(".preview")).to_be_visible()
    site.visit("/office/content/pages/language/history/")
    site.visit("/office/content/stories/new/")
    site.visit("/office/content/stories/economist-in-athens/")
    site.visit("/office/content/contact/ht/")
    site.visit("/stories/economist-in-athens/")
