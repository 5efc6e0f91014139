"""The account's self-service pages in a real browser: API tokens (made, shown once,
revoked) and the data download, checked with axe in Swedish and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from utsikt.accounts import tokens


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_person_makes_and_revokes_a_token_by_keyboard(site: Site, language: str) -> None:
    site.login("librarian")
    site.use_language(language)
    page = site.visit("/my/profile/")
    expect(page.locator("a[href='/my/data.json']")).to_be_visible()
    page.locator("a[href='/my/api-tokens/']").click()
    page.wait_for_load_state()
    site.check()
    page.locator("#id_name").fill("Kalenderskript")
    page.locator("#id_name").press("Enter")
    page.wait_for_load_state()
    site.check()
    shown = page.locator("#new-token").input_value()
    assert shown.startswith(tokens.PREFIX)
    site.visit("/my/api-tokens/")  # shown once: not again
    assert shown not in page.content()
    page.locator("form[action$='/revoke/'] button").click()
    page.wait_for_load_state()
    site.check()
    assert tokens.ApiToken.objects.get().revoked_at is not None
