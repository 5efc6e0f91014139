"""Journey 3 and 4 end to end: plan a blended job shadowing in Porto with a colleague,
submit it, the manager approves, the office allocates the grant. In Swedish and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from utsikt.mobility.factories import PORTO, host
from utsikt.mobility.models import Allocation, Application, Status

WORDS = {
    "sv": {
        "new": "Planera en ny mobilitet",
        "eligible": "Kan få bidrag",
        "invite": "Bjud in",
        "approve": "Godkänn",
        "grant": "Bevilja bidraget",
        "granted": "Bidrag beviljat",
        "logout": "Logga ut",
    },
    "en": {
        "new": "Plan a new mobility",
        "eligible": "Eligible",
        "invite": "Invite",
        "approve": "Approve",
        "grant": "Allocate the grant",
        "granted": "Grant allocated",
        "logout": "Log out",
    },
}


def _log_out(site: Site) -> None:
    site.page.locator("form[action='/logout/'] button").click()
    site.page.wait_for_load_state()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_blended_job_shadowing_in_porto_goes_from_plan_to_grant(
    site: Site, language: str
) -> None:
    words = WORDS[language]
    porto = host(**PORTO)
    page = site.page
    site.start(language)

    # The librarian plans: keyboard and mouse both work; the page saves as she types.
    site.login("librarian")
    page.get_by_role("button", name=words["new"]).click()
    page.wait_for_url("**/plan/")
    site.check()
    page.select_option("#id_activity", "job_shadowing")
    # The host is found by typing: the suggestions come as she types, the pick is saved.
    page.locator("#id_add_host").press_sequentially("Porto", delay=30)
    expect(page.locator("#host-options option").first).to_have_attribute(
        "value", porto.name, timeout=10_000
    )
    page.fill("#id_add_host", porto.name)
    expect(page.locator(f"#host-picker input[value='{porto.pk}']")).to_be_checked(timeout=15_000)
    expect(page.locator("#id_add_host")).to_have_value("")
    site.check()  # the host list as the autosave redrew it
    page.fill("#id_start", "2027-05-03")
    page.fill("#id_end", "2027-05-07")
    page.select_option("#id_travel_mode", "train")
    page.fill("#id_virtual_start", "2027-04-12")
    page.fill("#id_virtual_end", "2027-04-16")
    page.fill("#id_virtual_format", "Zoom")
    page.fill("#id_virtual_description", "Shadowing the data librarians' online consultations.")
    page.fill("#id_objectives", "Learn how Porto runs its research data service.")
    page.fill("#id_added_value", "We open the same service next year.")
    page.fill("#id_activities", "Shadow consultations and the help desk.")
    page.fill("#id_outcomes", "A plan for our service, shared at a staff meeting.")
    page.fill("#id_work_cover", "Anna covers the help desk.")
    page.check("#id_talked_to_manager")
    page.check("#id_visible_to_colleagues")
    # The live check beside the form (htmx) says the plan is eligible and what it pays.
    expect(page.locator("#live .verdict-yes")).to_contain_text(words["eligible"], timeout=15_000)
    site.check()
    page.locator("button[name=intent][value=save]").click()
    page.wait_for_load_state()
    plan = Application.objects.get(applicant=site.personas["librarian"])
    assert plan.virtual_description.startswith("Shadowing")

    # She invites a colleague from the overview, then submits.
    site.visit(f"/mobility/{plan.pk}/")
    page.select_option("#id_colleague", str(site.personas["economist"].pk))
    page.get_by_role("button", name=words["invite"], exact=True).click()
    page.wait_for_load_state()
    site.check()
    site.visit(f"/mobility/{plan.pk}/plan/")
    page.locator("button[name=intent][value=submit]").click()
    page.wait_for_url(f"**/mobility/{plan.pk}/")
    site.check()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.companions.get().colleague == site.personas["economist"]
    _log_out(site)

    # The manager approves from the inbox.
    site.login("head_libraries")
    expect(page.locator("main")).to_contain_text("Maja Lindqvist")
    page.get_by_role("link", name="Maja Lindqvist").first.click()
    page.wait_for_load_state()
    site.check()
    page.get_by_role("button", name=words["approve"], exact=True).click()
    page.wait_for_load_state()
    site.check()
    _log_out(site)

    # The officer allocates the grant the rules estimated.
    site.login("officer_ht")
    expect(page.locator("main")).to_contain_text("Maja Lindqvist")
    page.get_by_role("link", name="Maja Lindqvist").first.click()
    page.wait_for_load_state()
    site.check()
    page.get_by_role("button", name=words["grant"]).click()
    page.wait_for_load_state()
    expect(page.locator(".status").first).to_have_text(words["granted"])
    site.check()
    plan.refresh_from_db()
    assert plan.status == Status.GRANTED
    assert Allocation.objects.get(application=plan).amount_eur == plan.estimate["total_eur"]
    assert [t.to_status for t in plan.transitions.all()] == [
        "submitted",
        "manager_approved",
        "granted",
    ]
