"""After the trip in a real browser: the traveller walks the checklist, the office and
finance record the money and settle; the reports pass axe in Swedish and English."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import Site
from utsikt.core.pdf import blank as blank_pdf
from utsikt.mobility.factories import application
from utsikt.mobility.models import Allocation, Application, Homecoming, Status

PDF = blank_pdf()


def _back_home(site: Site) -> Application:
    end = timezone.localdate() - datetime.timedelta(days=3)
    plan = application(
        applicant=site.personas["librarian"],
        status=Status.COMPLETED,
        start=end - datetime.timedelta(days=4),
        end=end,
    )
    Allocation.objects.create(
        application=plan,
        amount_eur=Decimal(1500),
        estimate_eur=Decimal(1500),
        allocated_by=site.personas["officer_ht"],
    )
    return plan


def _open(site: Site, summary: str) -> None:
    site.page.locator("[data-after-trip] details summary", has_text=summary).click()


def _logout(site: Site) -> None:
    site.page.locator("form[action='/logout/'] button").click()
    site.page.wait_for_load_state()


def test_the_traveller_walks_the_after_trip_checklist_and_the_mobility_is_settled(
    site: Site,
) -> None:
    plan = _back_home(site)
    assert plan.start is not None and plan.end is not None
    site.start("en")
    site.login("librarian")
    site.visit(f"/mobility/{plan.pk}/")
    expect(site.page.locator("[data-step=costs]")).to_contain_text("to do by")

    # The dates: one day shorter, the grant shown before anything is saved.
    shorter = plan.end - datetime.timedelta(days=1)
    site.page.fill("#id_actual-end", shorter.isoformat())
    site.page.locator("[data-after-trip] button[value=preview]").click()
    site.page.wait_for_load_state()
    site.check()
    expect(site.page.locator("[data-grant-change]")).to_be_visible()
    plan.refresh_from_db()
    assert plan.end != shorter
    site.page.locator("button[value=save]").click()
    site.page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.end == shorter
    expect(site.page.locator("[data-step=dates]")).to_have_attribute("data-done", "yes")

    _open(site, "Certificate of attendance")
    site.page.set_input_files(
        "#id_attendance-document",
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    site.page.locator("form[action$='/after/attendance/'] button").click()
    site.page.wait_for_load_state()
    expect(site.page.locator("[data-step=attendance]")).to_have_attribute("data-done", "yes")

    _open(site, "Mobility Costs form")
    site.page.fill("#id_travel_sek", "3120.50")
    site.page.fill("#id_accommodation_sek", "4800")
    site.page.fill("#id_per_diem_sek", "3424")
    site.page.fill("#id_fees_sek", "0")
    site.page.fill("#id_travel_claim_reference", "RE-2026-0042")
    site.page.locator("form[action$='/after/costs/'] button").click()
    site.page.wait_for_load_state()
    expect(site.page.locator("[data-step=costs]")).to_have_attribute("data-done", "yes")

    _open(site, "What you learned")
    site.page.fill("#id_text", "How Porto runs its research data desk.")
    site.page.check("#id_offered_as_story")
    site.page.locator("form[action$='/after/learning/'] button").click()
    site.page.wait_for_load_state()
    site.check()
    expect(site.page.locator("[data-step=learning]")).to_have_attribute("data-done", "yes")
    _logout(site)

    # The office marks the EU report and records the reimbursement at the day's rate.
    site.login("officer_ht")
    site.visit(f"/mobility/{plan.pk}/")
    site.page.locator("form[action$='/after/participant-report/'] button").click()
    site.page.wait_for_load_state()
    expect(site.page.locator("[data-step=participant_report]")).to_have_attribute(
        "data-done", "yes"
    )
    today = timezone.localdate().isoformat()
    # The amount offered is the grant as the actual dates gave it.
    grant = Homecoming.objects.get(application=plan).grant_after_dates_eur
    assert grant is not None
    expect(site.page.locator("#id_amount_eur")).to_have_value(str(grant))
    site.page.fill("#id_rate", "11.4525")
    site.page.fill("#id_rate_date", today)
    site.page.fill("#id_paid_on", today)
    site.page.locator("form[action$='/money/reimbursement/'] button").click()
    site.page.wait_for_load_state()
    site.check()
    _logout(site)

    # Finance records the cost (the form offers the Mobility Costs total) and settles.
    site.login("finance_ht")
    site.visit(f"/mobility/{plan.pk}/")
    expect(site.page.locator("#id_amount_sek")).to_have_value("11344.50")
    site.page.locator("form[action$='/money/cost/'] button").click()
    site.page.wait_for_load_state()
    expect(site.page.locator("[data-settle-refusal]")).to_have_count(0)
    site.page.locator(f"form[action='/mobility/{plan.pk}/settle/'] button").click()
    site.page.wait_for_load_state()
    site.check()
    plan.refresh_from_db()
    assert plan.status == Status.SETTLED
    record = Homecoming.objects.get(application=plan)
    assert record.offered_as_story and record.costs_total_sek == Decimal("11344.50")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_reports_are_accessible(site: Site, language: str) -> None:
    plan = _back_home(site)
    application(applicant=site.personas["librarian"], status=Status.SUBMITTED)
    assert plan.pk
    site.start(language)
    site.login("officer_ht")
    for path in ("/reports/dashboard/", "/reports/ledger/", "/reports/budget/", "/reports/eu/"):
        site.visit(path)
    expect(site.page.locator("[data-precheck]")).to_be_visible()
    site.visit("/reports/late/")
    site.visit("/reports/dashboard/")
    assert site.page.locator("svg[role=img]").count() == 8
