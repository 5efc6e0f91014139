"""The issue's "done when", in Chromium: a new colleague finds the Porto staff week for
librarians next spring, in Swedish and in English, with the keyboard alone, in seconds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible as accessible
from utsikt.catalogue import demo
from utsikt.core.testing import transactional

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, transactional()]

WORDS = {"sv": "bibliotekarie portugal", "en": "librarian portugal"}
TITLES = {
    "sv": "Staff Week för bibliotekarier i Porto",
    "en": "Staff Week for Librarians in Porto",
}


@pytest.fixture
def catalogue_site(live_server: Any, page: Page) -> Iterator[str]:
    demo.load()
    page.set_default_timeout(10_000)
    yield live_server.url


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching the selector has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_new_colleague_finds_the_porto_staff_week_by_keyboard(
    catalogue_site: str, page: Page, language: str
) -> None:
    page.goto(catalogue_site + "/")
    if language == "en":
        page.locator(".language-switch button[value='en']").click()
        page.wait_for_load_state()

    tab_to(page, "header a[href='/catalogue/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/")
    accessible(page)
    tab_to(page, "#id_q")
    page.keyboard.type(WORDS[language])
    # htmx updates the results as one types, and the address with them.
    expect(page.locator("#result-status")).not_to_have_text("", timeout=5_000)
    page.wait_for_url("**q=" + WORDS[language].replace(" ", "%20") + "&*")
    expect(page.locator(".results h3 a").first).to_contain_text(TITLES[language])
    accessible(page)

    # Leaving the search box asks nothing more: a second answer would replace the
    # results under the person's focus.
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    tab_to(page, ".skip-to-results")
    page.wait_for_timeout(500)
    assert asked == []
    page.keyboard.press("Enter")
    tab_to(page, ".results h3 a", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{demo.PORTO_LIBRARY_WEEK}/")
    expect(page.locator("h1")).to_contain_text(TITLES[language])
    accessible(page)


def test_facets_tick_by_keyboard_and_the_count_is_announced(
    catalogue_site: str, page: Page
) -> None:
    page.goto(catalogue_site + "/catalogue/")
    before = page.locator("#result-status").inner_text()
    tab_to(page, "#f-country-PT", limit=80)
    page.keyboard.press("Space")
    expect(page.locator("#result-status")).not_to_have_text(before)
    expect(page.locator("#f-country-PT")).to_be_checked()
    assert page.evaluate("document.activeElement.id") == "f-country-PT"
    assert "country=PT" in page.url
    for link in page.locator(".results h3 a").all()[:5]:
        assert "Portugal" in link.locator("xpath=../..").inner_text()


def test_the_map_and_the_calendar_are_accessible(catalogue_site: str, page: Page) -> None:
    for path in ["/catalogue/map/?q=library", "/catalogue/calendar/", "/catalogue/hosts/"]:
        page.goto(catalogue_site + path)
        accessible(page)
    page.goto(catalogue_site + "/catalogue/map/")
    tab_to(page, ".map-svg a", limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**place=*")
    expect(page.locator(".results h3 a").first).to_be_visible()


def test_on_a_phone_the_way_past_the_filters_is_shown_and_leads_to_the_results(
    catalogue_site: str, page: Page
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(catalogue_site + "/catalogue/?q=library")
    skip = page.locator(".skip-to-results")
    expect(skip).to_be_visible()
    # The filters run a screen or more, and the link comes before them.
    link_at = skip.bounding_box()["y"]  # type: ignore[index]
    assert link_at < page.locator(".facet").first.bounding_box()["y"]  # type: ignore[index]
    assert page.locator(".results").bounding_box()["y"] > link_at + 844  # type: ignore[index]
    skip.click()
    expect(page.locator("#results-heading")).to_be_in_viewport()
    accessible(page)
    # On a wide screen the filters sit beside the results: the link waits for the keyboard.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(skip).not_to_be_in_viewport()
