"""The planner's races in a real browser, in Swedish and English: a button clicked while an
autosave is on its way, two tabs on one plan, and the retry after a conflict.

The autosave's answer is held back (Playwright's routing) after the server has saved, so
the race the issue saw in four of eight tries happens every time.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Site
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status

WORDS = {
    "sv": {
        "saved": "Din plan är sparad.",
        "keep": "Behåll mitt",
        "draft_saved": "Utkastet är sparat.",
    },
    "en": {"saved": "Your plan is saved.", "keep": "Keep mine", "draft_saved": "Draft saved."},
}


def _planner(site: Site, language: str) -> Application:
    plan = application(applicant=site.personas["librarian"])
    site.start(language)
    site.login("librarian")
    return plan


def _hold_first_autosave(page: Page) -> list[tuple[Route, Any]]:
    """Let the first autosave reach the server, but hold its answer until released."""
    held: list[tuple[Route, Any]] = []

    def handle(route: Route) -> None:
        if held:
            route.continue_()
            return
        held.append((route, route.fetch()))

    page.route("**/autosave/", handle)
    return held


@pytest.mark.parametrize("language", ["sv", "en"])
def test_save_clicked_while_an_autosave_is_on_its_way_is_no_conflict(
    site: Site, language: str
) -> None:
    plan = _planner(site, language)
    page = site.page
    held = _hold_first_autosave(page)
    site.visit(f"/mobility/{plan.pk}/plan/")
    page.fill("#id_objectives", "Typed, and Save clicked at once.")
    page.wait_for_function("() => true")  # let the input event reach htmx
    for _ in range(100):  # the autosave waits 800 ms after typing
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the autosave never left"
    # The server saved the autosave; its answer (with the new version) has not arrived.
    assert Application.objects.get(pk=plan.pk).version == plan.version + 1
    page.locator("button[name=intent][value=save]").click()
    page.wait_for_timeout(300)
    route, response = held[0]
    route.fulfill(response=response)
    expect(page.locator(".message-success")).to_contain_text(WORDS[language]["saved"])
    expect(page.locator("[data-conflict]")).to_have_count(0)
    site.check()
    assert Application.objects.get(pk=plan.pk).objectives == "Typed, and Save clicked at once."


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_stale_tab_keeps_its_text_shows_the_difference_and_saves_only_when_chosen(
    site: Site, language: str
) -> None:
    words = WORDS[language]
    plan = _planner(site, language)
    tab_a = site.page
    site.visit(f"/mobility/{plan.pk}/plan/")
    tab_b = tab_a.context.new_page()
    tab_b.goto(site.url(f"/mobility/{plan.pk}/plan/"))

    tab_b.fill("#id_objectives", "Tab B's text, saved and acknowledged.")
    expect(tab_b.locator("#live .save-state")).to_have_text(words["draft_saved"], timeout=10_000)

    tab_a.fill("#id_objectives", "Tab A's text.")
    conflict = tab_a.locator("#live [data-conflict]")
    expect(conflict).to_be_visible(timeout=10_000)
    expect(conflict).to_contain_text("Tab B's text, saved and acknowledged.")
    site.check()
    # Typing on in the stale tab saves nothing over tab B.
    tab_a.fill("#id_outcomes", "More from tab A.")
    expect(tab_a.locator("#live [data-conflict]")).to_be_visible(timeout=10_000)
    tab_a.wait_for_timeout(1500)
    saved = Application.objects.get(pk=plan.pk)
    assert saved.objectives == "Tab B's text, saved and acknowledged."
    assert tab_a.locator("#id_objectives").input_value() == "Tab A's text."

    # Save again without choosing: still the conflict, still nothing saved.
    tab_a.locator("button[name=intent][value=save]").click()
    expect(tab_a.locator("[data-conflict]").first).to_be_visible()
    assert Application.objects.get(pk=plan.pk).objectives == saved.objectives

    # The choice resolves it, and the plan then goes through.
    tab_a.get_by_role("button", name=words["keep"]).first.click()
    expect(tab_a.locator(".message-success")).to_contain_text(words["saved"])
    site.check()
    plan.refresh_from_db()
    assert plan.objectives == "Tab A's text." and plan.outcomes == "More from tab A."
    tab_a.locator("button[name=intent][value=submit]").click()
    tab_a.wait_for_url(f"**/mobility/{plan.pk}/")
    assert Application.objects.get(pk=plan.pk).status == Status.SUBMITTED
    tab_b.close()
