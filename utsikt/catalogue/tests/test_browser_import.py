"""The import in Chromium: an officer finds it from the menu, uploads a public listing, reads
the preview (accessible, in Swedish) and confirms it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible as accessible
from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.catalogue import curation
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.core.testing import transactional
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, transactional()]
LISTING = Path(__file__).parent / "data" / "public_staff_weeks.csv"


def test_an_officer_imports_a_public_listing_from_the_menu_with_a_preview(
    live_server: Any, page: Page, personas: dict[str, User], tmp_path: Path
) -> None:
    curation.save_host(
        host=HostOrganisation(
            name="University of Porto",
            kind=HostOrganisation.Kind.UNIVERSITY,
            country=Country.objects.get(iso2="PT"),
            place=find_places("Porto", "PT").first(),
        ),
        by=None,
    )
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username], input[type=email]", personas["officer_ht"].email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator("header a[href='/catalogue/office/import/']").first.click()
    page.wait_for_url("**/office/import/")
    # The format is explained in both languages, whatever the page's language.
    expect(page.locator("section.import-format[lang=sv] h2")).to_have_text(
        "Filens format, på svenska"
    )
    expect(page.locator("section.import-format[lang=en] h2")).to_have_text(
        "The file's format, in English"
    )
    expect(page.locator("section.import-format[lang=en]")).to_contain_text("Rows without any date")
    accessible(page)
    page.set_input_files("input[type=file]", str(LISTING))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()
    expect(page.locator("#import-counts")).to_contain_text("Nya: 10")
    expect(page.locator("#import-drafts")).to_contain_text("1 rad saknar datum")
    expect(page.locator(".import-outcomes")).to_contain_text("dubblett av rad 2")
    shots = Path(os.environ.get("UTSIKT_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / "catalogue-import-preview.png"), full_page=True)
    accessible(page)
    assert Opportunity.objects.count() == 0
    page.locator("#skip-invalid").check()
    page.get_by_role("button", name="Bekräfta och spara").click()
    page.wait_for_load_state()
    expect(page.locator(".import-report")).to_contain_text("De korrekta raderna sparades")
    assert Opportunity.objects.count() == 10
