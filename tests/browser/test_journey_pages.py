"""The pages this issue added, checked by axe in Swedish and English: the invitation and
the plan it shares, the actual dates after travel, a step before its dates, and the
faculty budget beside the grant form."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from utsikt.mobility import planning
from utsikt.mobility.factories import application
from utsikt.mobility.models import FacultyBudget, Status


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_invitation_and_the_shared_plan_are_accessible(site: Site, language: str) -> None:
    plan = application(applicant=site.personas["librarian"], status=Status.SUBMITTED)
    invitation = planning.invite_companion(
        application=plan, colleague=site.personas["economist"], by=site.personas["librarian"]
    )
    site.start(language)
    site.login("economist")
    site.visit(f"/invitations/{invitation.pk}/")
    expect(site.page.locator(".trip-summary")).to_contain_text("Porto")
    site.page.locator(f"a[href='/mobility/{plan.pk}/shared/']").click()
    site.page.wait_for_load_state()
    site.check()
    expect(site.page.locator("main")).to_contain_text(plan.objectives)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_dated_steps_and_the_actual_dates_are_accessible(site: Site, language: str) -> None:
    later = application(
        applicant=site.personas["librarian"],
        status=Status.SIGNED,
        start=datetime.date(2099, 5, 4),
        end=datetime.date(2099, 5, 8),
    )
    travelling = application(applicant=site.personas["librarian"], status=Status.TRAVELLING)
    site.start(language)
    site.login("librarian")
    site.visit(f"/mobility/{later.pk}/")
    expect(site.page.locator("[data-too-early=start_travel]")).to_be_visible()
    site.visit(f"/mobility/{travelling.pk}/")
    site.page.fill("#id_end", "2027-05-06")
    site.page.locator("form[action$='/dates/'] button[type=submit]").click()
    site.page.wait_for_load_state()
    site.check()
    travelling.refresh_from_db()
    assert travelling.end == datetime.date(2027, 5, 6)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_officer_sees_the_budget_beside_the_grant_form(site: Site, language: str) -> None:
    officer = site.personas["officer_ht"]
    faculty = officer.roles.get().unit
    FacultyBudget.objects.create(faculty=faculty, call_year=2026, amount_eur=20000)
    plan = application(applicant=site.personas["librarian"], status=Status.MANAGER_APPROVED)
    site.start(language)
    site.login("officer_ht")
    site.visit(f"/mobility/{plan.pk}/")
    expect(site.page.locator("[data-budget]")).to_be_visible()
    assert site.page.locator("[data-budget] dd").count() == 3
