"""What a person sees and keeps: the language switch keeps the grant page's form, the
planner saving as the person types breaks no Content Security Policy rule, and a work list
on a phone shows every column of a row without running off the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, expect

from tests.browser.conftest import Site
from utsikt.mobility.factories import application
from utsikt.mobility.models import Status


@pytest.mark.parametrize(("language", "other"), [("sv", "en"), ("en", "sv")])
def test_the_language_switch_keeps_what_was_typed_on_the_grant_page(
    site: Site, language: str, other: str
) -> None:
    site.start(language)
    site.visit("/grant/")
    site.page.fill("#id_city", "Porto")
    site.page.select_option("#id_country", "PT")
    site.page.fill("#id_start", "2027-05-03")
    site.page.fill("#id_end", "2027-05-07")
    site.use_language(other)
    expect(site.page.locator("#id_city")).to_have_value("Porto")
    expect(site.page.locator("#id_country")).to_have_value("PT")
    expect(site.page.locator("#id_start")).to_have_value("2027-05-03")
    site.check()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_planner_saves_as_the_person_types_without_a_policy_violation(
    site: Site, language: str
) -> None:
    refused: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    site.page.on("console", listen)
    plan = application(applicant=site.personas["librarian"])
    site.start(language)
    site.login("librarian")
    site.visit(f"/mobility/{plan.pk}/plan/")
    with site.page.expect_response(lambda r: "autosave" in r.url):
        site.page.locator("#id_objectives").press_sequentially(" And the catalogue.", delay=20)
    # Its save answered before the test ends: a request still running would hold tables
    # that the flush after a transactional test must empty (a deadlock seen on PostgreSQL).
    with site.page.expect_response(lambda r: "autosave" in r.url):
        site.page.select_option("#id_activity", "staff_week")
    site.page.wait_for_load_state("networkidle")
    assert refused == []


LABELS = {
    "sv": ["Sökande", "Resmål", "Aktivitet", "Datum", "Status", "Bidrag (euro)"],
    "en": ["Applicant", "Destination", "Activity", "Dates", "Status", "Grant (EUR)"],
}


def test_on_a_phone_a_work_list_shows_each_row_as_a_card_with_its_column_names(
    site: Site,
) -> None:
    application(applicant=site.personas["librarian"], status=Status.MANAGER_APPROVED)
    site.login("officer_ht")
    for language, labels in LABELS.items():
        site.use_language(language)
        site.page.set_viewport_size({"width": 390, "height": 844})
        site.visit("/office/")
        table = site.page.locator("table.stack").first
        # Nothing runs off the screen: the table is no wider than its box.
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
        status = table.locator("tbody tr").first.locator(".status")
        assert status.evaluate("s => s.getBoundingClientRect().right <= window.innerWidth")
        shown = table.locator("tbody tr").first.locator(".cell-label")
        for label in labels:
            expect(shown.filter(has_text=label).first).to_be_visible()
        site.page.set_viewport_size({"width": 1280, "height": 900})
        expect(shown.first).to_be_hidden()  # on a wide screen the columns have their headings
        expect(table.locator("thead th").first).to_be_visible()
