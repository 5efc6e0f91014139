"""The pages: a plain form without JavaScript, htmx partials, accessibility and the CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from utsikt.catalogue.models import Opportunity
from utsikt.catalogue.views import public

MakeOpportunity = Callable[..., Opportunity]
ClientFor = Callable[[str | None], Client]


class Page(HTMLParser):
    """Headings, inputs, labels and style attributes of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self.aria_labelled: set[str] = set()
        self.styles = 0
        self.inline_scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "style" in found:
            self.styles += 1
        if tag == "script" and "src" not in found:
            self.inline_scripts += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")
        if tag in {"input", "select", "textarea"} and found.get("type") not in {
            "hidden",
            "submit",
        }:
            self.inputs.append(found.get("id") or "")
            if found.get("aria-label"):
                self.aria_labelled.add(found.get("id") or "")


PAGES = [
    ("catalogue:search", ""),
    ("catalogue:search", "?q=week&country=PT&category=international_coordinator&past=on"),
    ("catalogue:map", "?q=week"),
    ("catalogue:calendar", ""),
    ("catalogue:hosts", "?partner=1"),
    ("catalogue:saved_searches", "?q=week"),
    ("catalogue:host_propose", ""),
    ("catalogue:office", ""),
    ("catalogue:opportunity_create", ""),
    ("catalogue:import", ""),
    ("catalogue:host_review", ""),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_label_every_input_keep_headings_in_order_and_need_no_inline_style(
    make_opportunity: MakeOpportunity,
    client_for: ClientFor,
    name: str,
    query: str,
    language: str,
) -> None:
    make_opportunity(slug="week")
    client = client_for("officer_ht")
    client.cookies["django_language"] = language
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.styles == 0 and page.inline_scripts == 0
    assert page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    unlabelled = [i for i in page.inputs if i not in page.labels and i not in page.aria_labelled]
    assert unlabelled == []


def test_the_search_works_as_a_plain_get_form(make_opportunity: MakeOpportunity) -> None:
    make_opportunity(title_en="Library week", slug="library")
    make_opportunity(title_en="Finance week", slug="finance")
    body = Client().get(reverse("catalogue:search"), {"q": "library"}).content.decode()
    assert 'method="get"' in body and 'action="/catalogue/"' in body
    assert "/catalogue/opportunities/library/" in body
    assert "/catalogue/opportunities/finance/" not in body


def test_htmx_gets_the_results_and_the_count_for_the_live_region(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Library week")
    response = Client().get(reverse("catalogue:search") + "?q=library", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert '<p id="result-status" hx-swap-oob="innerHTML">1 tillfälle matchar.</p>' in body
    full = Client().get(reverse("catalogue:search") + "?q=library").content.decode()
    assert 'id="result-status" class="result-status" role="status" aria-live="polite"' in full
    assert 'hx-push-url="true"' in full


def test_nonsense_in_the_address_narrows_nothing_instead_of_failing(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity()
    response = Client().get(
        reverse("catalogue:search"),
        {
            "country": ["zz", "PT"],
            "month": "2027-13",
            "category": "wizard",
            "page": "x",
            "sort": "?",
        },
    )
    assert response.status_code == 200
    assert "1 tillfälle matchar." in response.content.decode()


def test_the_map_has_a_link_with_a_text_alternative_for_every_dot_and_a_list(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity()
    body = (
        Client(headers={"cookie": "django_language=en"})
        .get(reverse("catalogue:map"))
        .content.decode()
    )
    assert re.search(r'<a href="/catalogue/\?place=\d+" aria-label="Porto: 1 opportunity">', body)
    assert "<circle" in body and "<table" in body
    background = Client().get(reverse("catalogue:map_background"))
    assert background["Content-Type"] == "image/svg+xml"
    assert background.content.startswith(b"<svg")


def test_a_signed_in_person_is_offered_to_plan_a_mobility_from_the_opportunity(
    make_opportunity: MakeOpportunity, client_for: ClientFor
) -> None:
    week = make_opportunity(slug="week")
    body = client_for("librarian").get(
        reverse("catalogue:opportunity_detail", kwargs={"slug": "week"})
    )
    assert f'href="{public.plan_url(week)}"' in body.content.decode().replace("&amp;", "&")
    anonymous = Client().get(reverse("catalogue:opportunity_detail", kwargs={"slug": "week"}))
    assert "/login/?next=" in anonymous.content.decode()


def test_the_english_page_shows_the_english_text_and_marks_a_swedish_only_one(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="", title_sv="Vecka för ekonomer", slug="sv-only")
    client = Client()
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("catalogue:opportunity_detail", kwargs={"slug": "sv-only"})
    ).content.decode()
    assert '<h1 lang="sv">Vecka för ekonomer</h1>' in body
    assert "This opportunity is described in Swedish only." in body


@pytest.mark.parametrize("name", ["catalogue:search", "catalogue:map", "catalogue:calendar"])
def test_a_cached_page_holds_nothing_of_the_visitor_who_filled_the_cache(
    name: str, make_opportunity: MakeOpportunity
) -> None:
    """No CSRF token, cookie or nonce: the same bytes may go to every anonymous visitor."""
    make_opportunity()
    url = reverse(name) + "?q=week"
    bodies = []
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "nonce" not in response.content.decode()
        assert settings.CSRF_COOKIE_NAME not in response.cookies
        assert "'nonce-" not in response["Content-Security-Policy"]
        bodies.append(response.content)
    assert bodies[0] == bodies[1]


def test_a_signed_in_person_never_gets_a_page_cached_for_someone_else(
    make_opportunity: MakeOpportunity, client_for: ClientFor
) -> None:
    make_opportunity()
    url = reverse("catalogue:search")
    Client().get(url)
    body = client_for("librarian").get(url).content.decode()
    assert "Maja Lindqvist" in body


def test_each_page_of_results_is_its_own_page_although_cached(
    make_opportunity: MakeOpportunity,
) -> None:
    import datetime

    from .conftest import TODAY

    for number in range(23):
        make_opportunity(
            title_en=f"Week number {number:02d}",
            start=TODAY + datetime.timedelta(days=10 + number),
        )
    client = Client()
    first = client.get(reverse("catalogue:search") + "?sort=start").content.decode()
    second = client.get(reverse("catalogue:search") + "?sort=start&page=2").content.decode()
    htmx = client.get(reverse("catalogue:search") + "?sort=start&page=2", HTTP_HX_REQUEST="true")
    assert "Week number 00" in first and "Week number 22" not in first
    assert "Week number 22" in second and "Week number 00" not in second
    assert "Week number 22" in htmx.content.decode()
