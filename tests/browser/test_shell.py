"""The shell in a real browser: every page accessible in both languages, usable by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site

LANGUAGES = ["sv", "en"]
HEADINGS = {
    "sv": {"start": "Fortbilda dig utomlands i tjänsten", "staff": "Mina mobiliteter"},
    "en": {"start": "Train abroad as a member of staff", "staff": "My mobilities"},
}
# Persona → the pages its navigation leads to, besides the profile.
ROLE_PAGES = {
    "librarian": ["/my/"],
    "head_libraries": ["/manager/", "/my/", "/departments/ht-libraries/"],
    "deputy_kultur": ["/manager/", "/departments/kultur/"],
    "officer_ht": ["/office/", "/faculties/ht/", "/departments/sol/"],
    "finance_ht": ["/finance/", "/departments/kultur/"],
    "admin": ["/administration/", "/my/"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_accessible(site: Site, language: str) -> None:
    site.start(language)
    expect(site.page.locator("h1")).to_have_text(HEADINGS[language]["start"])
    site.check()
    for path in ["/login/", "/password/reset/", "/password/reset/sent/", "/no-such-page/"]:
        site.page.goto(site.url(path))
        site.check()


def test_the_start_page_opens_in_swedish_in_an_english_browser(site: Site) -> None:
    site.open("/")
    expect(site.page.locator("html")).to_have_attribute("lang", "sv")
    site.use_language("en")
    site.page.goto(site.url("/login/"))
    expect(site.page.locator("html")).to_have_attribute("lang", "en")  # remembered


@pytest.mark.parametrize("persona", sorted(ROLE_PAGES))
def test_every_role_home_and_its_pages_are_accessible(site: Site, persona: str) -> None:
    site.start(LANGUAGES[0])
    site.login(persona)  # lands on the role's home
    home, *others = ROLE_PAGES[persona]
    assert site.page.url == site.url(home)
    for language in LANGUAGES:
        site.use_language(language)  # the header's button, on the page shown
        site.visit(home)
        # The role navigation marks where you are.
        expect(site.page.locator(".role-nav [aria-current='page']")).to_have_count(1)
        for path in [*others, "/my/profile/"]:
            site.visit(path)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(site: Site) -> None:
    site.open("/")
    site.page.keyboard.press("Tab")
    skip = site.page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    site.page.keyboard.press("Enter")
    expect(site.page.locator("#main")).to_be_focused()


def test_a_staff_member_logs_in_edits_the_profile_and_logs_out_by_keyboard(site: Site) -> None:
    site.login_with_form("librarian")
    expect(site.page.locator("h1")).to_contain_text("Välkommen, Maja")
    site.visit("/my/profile/")
    languages = site.page.get_by_label("Språk:", exact=True)
    languages.focus()
    languages.fill("svenska, engelska, portugisiska")
    site.page.keyboard.press("Enter")
    site.page.wait_for_load_state()
    expect(site.page.locator(".message-success")).to_have_text("Din profil är sparad.")
    site.check()
    logout = site.page.locator("form[action='/logout/'] button")
    logout.focus()
    site.page.keyboard.press("Enter")
    site.page.wait_for_load_state()
    expect(site.page.get_by_role("link", name="Logga in").first).to_be_visible()


def test_pages_work_without_javascript(
    browser: object, live_server: object, personas: object
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url + "/login/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", "maja.lindqvist@example.org")
    page.fill("input[name=password]", "utsikt-demo")
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_contain_text("Välkommen, Maja")
    page.click(".language-switch button")
    expect(page.locator("h1")).to_contain_text("Welcome, Maja")
    context.close()


def test_the_accessibility_check_catches_a_violation(page: Page) -> None:
    from tests.browser.conftest import axe_results

    page.set_content('<html lang="sv"><body><main><img src="x.png"></main></body></html>')
    assert axe_results(page).violations_count > 0
    # The next document gets axe from its browser context, and its own faults are found.
    page.goto("data:text/html,<html lang=sv><body><main><input></main></body></html>")
    assert page.evaluate("typeof axe.run") == "function"
    assert "label" in {v["id"] for v in axe_results(page).response["violations"]}
