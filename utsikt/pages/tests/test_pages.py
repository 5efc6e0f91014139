"""Information pages: versions, preview, restore, the caches; the footer's office; the start
page's truth; the planner's links to the insurance and language pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.pages import demo
from utsikt.pages.models import Page

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]


def form(page: Page, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        name: getattr(page, name)
        for name in ("slug", "title_sv", "title_en", "summary_sv", "summary_en", "body_sv",
                     "body_en", "position")
    }  # fmt: skip
    return {**data, "published": "on", "version": page.version, **changes}


@pytest.fixture
def pages(personas: dict[str, User]) -> None:
    demo.load_pages()
    demo.load_offices()


def test_the_demo_covers_every_item_of_the_seed(pages: None) -> None:
    slugs = set(Page.objects.values_list("slug", flat=True))
    assert {"application", "insurance", "language", "where-can-i-go", "find-staff-weeks"} <= slugs
    assert {"blended-mobility", "ideas", "what-is-not-funded", "why-go"} <= slugs
    text = " ".join(Page.objects.values_list("body_sv", flat=True))
    for item in (
        "Canvas",
        "inte arbeta in tiden",
        "interkulturell",
        "engelskkurs",
        "iMotion",
        "DOREA",
        "BEST+",
        "breddad rekrytering",
        "ledningsperson",
        "EU-institutioner",
    ):
        assert item in text, item  # fmt: skip


def test_an_edit_is_a_new_version_and_the_old_one_can_be_restored(
    pages: None, client_for: Clients
) -> None:
    page = Page.objects.get(slug="language")
    officer = client_for("officer_ht")
    url = reverse("pages:page_edit", kwargs={"slug": page.slug})
    response = officer.post(url, form(page, body_sv="Ny text om **språk**."))
    assert response.status_code == 302
    public = Client().get(reverse("pages:page", kwargs={"slug": "language"})).content.decode()
    assert "<strong>språk</strong>" in public
    page.refresh_from_db()
    assert page.version == 2 and page.versions.count() == 2
    officer.post(reverse("pages:page_restore", kwargs={"slug": page.slug, "number": 1}))
    page.refresh_from_db()
    assert page.version == 3 and "engelskkurs" in page.body_sv


def test_an_edit_of_an_older_version_is_refused_not_lost(pages: None, client_for: Clients) -> None:
    page = Page.objects.get(slug="language")
    officer = client_for("officer_ht")
    url = reverse("pages:page_edit", kwargs={"slug": page.slug})
    officer.post(url, form(page, body_sv="Först."))
    stale = officer.post(url, form(page, body_sv="Sent."))  # based on version 1
    assert stale.status_code == 200 and "Sent." in stale.content.decode()
    page.refresh_from_db()
    assert page.body_sv == "Först."


def test_preview_renders_both_languages_without_saving(pages: None, client_for: Clients) -> None:
    page = Page.objects.get(slug="language")
    url = reverse("pages:page_edit", kwargs={"slug": page.slug})
    response = client_for("officer_ht").post(
        url, form(page, body_en="*new*<script>x</script>", preview="1")
    )
    html = response.content.decode()
    assert "<em>new</em>" in html and "<script>x" not in html
    page.refresh_from_db()
    assert page.version == 1


def test_the_footer_shows_the_readers_faculty_office_or_the_universitys(
    pages: None, client_for: Clients
) -> None:
    anonymous = Client().get(reverse("pages:index")).content.decode()
    assert "international@example.org" in anonymous
    social = client_for("it_technician").get(reverse("pages:index")).content.decode()
    assert "international.s@example.org" in social
    humanities = client_for("librarian").get(reverse("catalogue:search")).content.decode()
    assert "international.ht@example.org" in humanities


def test_the_office_page_has_people_addresses_and_a_map_without_tiles(pages: None) -> None:
    html = Client().get(reverse("pages:office", kwargs={"code": "ht"})).content.decode()
    assert "Helgonabacken 12" in html and "Box 201" in html
    assert "046-000 20 12" in html and "<svg" in html
    assert "tile" not in html.lower() and "openstreetmap" not in html.lower()


def test_an_officer_edits_only_their_own_faculty_office(pages: None, client_for: Clients) -> None:
    own = reverse("pages:office_edit", kwargs={"code": "ht"})
    other = reverse("pages:office_edit", kwargs={"code": "s"})
    assert client_for("officer_ht").get(own).status_code == 200
    assert client_for("officer_ht").get(other).status_code == 404
    assert client_for("admin").get(other).status_code == 200


def test_the_start_page_shows_only_what_exists(
    personas: dict[str, User], client_for: Clients
) -> None:
    bare = Client().get("/").content.decode()
    assert reverse("pages:ambassadors") not in bare
    demo.load()
    full = Client().get("/").content.decode()
    assert "Ekonomen som lärde sig prognoser i Aten" in full
    assert "Oskar Falk" in full  # the demo's ambassador, on his own settled mobility


def test_the_planner_links_to_the_insurance_and_language_pages(
    pages: None, client_for: Clients
) -> None:
    from utsikt.mobility.factories import application

    plan = application(applicant=client_for("librarian") and User.objects.get(
        email="maja.lindqvist@example.org"))  # fmt: skip
    html = (
        client_for("librarian")
        .get(reverse("mobility:application_plan", kwargs={"pk": plan.pk}))
        .content.decode()
    )
    assert reverse("pages:page", kwargs={"slug": "insurance"}) in html
    assert reverse("pages:page", kwargs={"slug": "language"}) in html
    assert Client().get(reverse("pages:page", kwargs={"slug": "insurance"})).status_code == 200


def test_the_demos_settled_mobility_has_money_in_a_balanced_ledger(
    personas: dict[str, User],
) -> None:
    from utsikt.mobility import money
    from utsikt.mobility.models import Application, Status

    demo.load()
    demo.load()  # again: nothing is recorded twice
    (trip,) = Application.objects.filter(applicant=personas["finance_ht"])
    assert trip.status == Status.SETTLED
    assert trip.allocation.amount_eur == demo.DEMO_GRANT_EUR
    assert trip.actual_cost.amount_sek == demo.DEMO_COST_SEK
    assert trip.reimbursement.amount_eur == demo.DEMO_GRANT_EUR
    assert money.why_not_settled(trip) is None  # the ledger balances
