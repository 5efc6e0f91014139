"""Every page reachable from each persona's home, and the demo data's object pages, in both
languages on a phone: axe finds nothing, nothing scrolls sideways, and the browser console
reports no Content Security Policy violation.

The crawl follows the links of each page it opens (GET only, never log-out or downloads) and
opens at most a few pages of each kind of address, so that a catalogue of 200 opportunities
costs as much as one of ten; the public pages are opened signed out and by the first persona
signed in, and the other personas' turns go to their own pages. Every problem found is
reported at once.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page

from tests.browser.conftest import Site, axe_results
from utsikt.accounts.demo import PERSONAS as DEMO_PERSONAS
from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.documents.models import Agreement, Letter
from utsikt.mobility.models import Application, Status

PHONE = {"width": 360, "height": 780}
GRANT_PAGE_WITH_A_TRIP = (
    "/grant/?call_year=2026&city=Porto&country=PT&kind=university&activity=job_shadowing"
    "&start=2027-05-03&end=2027-05-07&origin_city=Lund&origin_country=SE&meals_provided=none"
    "&travel_sek=4000&accommodation_sek=6000"
)
# None: a visitor who has not logged in.
PERSONAS: list[str | None] = [
    None,
    "librarian",
    "head_libraries",
    "officer_ht",
    "officer_s",
    "finance_ht",
    "admin",
]
PAGES_PER_PERSONA = 6
PAGES_PER_KIND = 1
# Pages each persona opens besides its crawl, which its turns do not reach.
ALSO = {
    None: ["/info/where-can-i-go/"],
    "librarian": ["/mobility/together/"],
    "head_libraries": ["/departments/ht-libraries/"],
    "officer_ht": ["/faculties/ht/"],
}
# Addresses a crawl must not follow: they log out, download, or are Django's own admin
# (whose pages the admin persona's user form below stands for).
NOT_FOLLOWED = re.compile(r"^/(logout|static|media|admin)/|\.(ics|csv|pdf|json)$|/export")


def _kind(url: str) -> str:
    """Addresses of one kind share their first segment, their depth and their query's keys."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return f"{segments[:1]}{len(segments)}{keys}"


def _links(page: Page, base: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
    )
    found = []
    for href in hrefs:
        address = href.split("#")[0]
        if not address.startswith(base):
            continue
        path = address[len(base) :] or "/"
        if not NOT_FOLLOWED.search(urlsplit(path).path):
            found.append(path)
    return found


class Inspector:
    """Opens pages and writes down every problem on them."""

    def __init__(self, site: Site, language: str) -> None:
        self.site = site
        self.language = language
        self.problems: list[str] = []
        self.csp: list[str] = []
        site.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.csp.append(text)

    def inspect(self, path: str) -> bool:
        page = self.site.page
        response = page.goto(self.site.url(path))
        if response is None or response.status >= 400:
            self.problems.append(f"{path}: answered {response and response.status}")
            return False
        where = f"[{self.language}] {path}"
        results = axe_results(page)
        if results.violations_count:
            rules = sorted({v["id"] for v in results.response["violations"]})
            self.problems.append(f"{where}: axe {', '.join(rules)}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            self.problems.append(f"{where}: {width} px wide at {PHONE['width']} px")
        if self.csp:
            self.problems.append(f"{where}: CSP {self.csp[0][:160]}")
            self.csp.clear()
        return True

    def crawl(self, start: str, seen: set[str]) -> set[str]:
        """Open pages breadth-first from `start`, none of `seen`; the addresses opened."""
        kinds: Counter[str] = Counter()
        queue = deque([start])
        opened: set[str] = set()
        while queue and len(opened) < PAGES_PER_PERSONA:
            path = queue.popleft()
            if path in seen or path in opened or kinds[_kind(path)] >= PAGES_PER_KIND:
                continue
            kinds[_kind(path)] += 1
            opened.add(path)
            if self.inspect(path):
                # Where it landed (/home/ leads to the role's home), so as not to open it again.
                landed = self.site.page.url[len(self.site.base) :] or "/"
                if landed != path:
                    kinds[_kind(landed)] += 1
                    opened.add(landed)
                queue.extend(_links(self.site.page, self.site.base))
        return opened


def _object_pages() -> list[str]:
    """A few of each kind of object in the demo data: hosts (with local names in other
    scripts), opportunities (a cancelled one too) and applications in every state."""
    hosts = list(HostOrganisation.objects.exclude(local_name="").order_by("country_id")[:4])
    published = Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED)
    cancelled = Opportunity.objects.filter(status=Opportunity.Status.CANCELLED)
    opportunities = [*published.order_by("pk")[:2], *cancelled.order_by("pk")[:1]]
    return [
        GRANT_PAGE_WITH_A_TRIP,
        *(f"/catalogue/hosts/{h.slug}/" for h in hosts),
        *(f"/catalogue/opportunities/{o.slug}/" for o in opportunities),
    ]


def _email(key: str | None) -> str:
    return next((p.email for p in DEMO_PERSONAS if p.key == key), "")


def _log_in_as(site: Site, key: str | None, language: str) -> None:
    site.page.context.clear_cookies()
    site.page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": site.base}]
    )
    if key is not None:
        site.login(key)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_is_accessible_fits_a_phone_and_keeps_the_policy(
    site: Site, language: str, personas: dict[str, User]
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site.page.set_viewport_size(PHONE)
    inspector = Inspector(site, language)
    _log_in_as(site, None, language)
    for path in _object_pages():
        inspector.inspect(path)
    # The public pages, which show the same to everyone but for the header, are checked
    # once signed out and once signed in (by the first persona), so that the others' pages
    # get the crawl's turns.
    public: set[str] = set()
    signed_in: set[str] = set()
    for key in PERSONAS:
        _log_in_as(site, key, language)
        if key is None:
            public = inspector.crawl("/", seen=set())
        else:
            signed_in |= inspector.crawl("/home/", seen=public & signed_in)
        for path in ALSO.get(key, []):
            inspector.inspect(path)
        if key == "admin":
            user = personas["librarian"]
            inspector.inspect(f"/admin/accounts/user/{user.pk}/change/")
        if key == "officer_ht":
            faculty_applications = Application.objects.filter(
                department__parent__code="ht"
            ).exclude(status=Status.DRAFT)
            for application in faculty_applications.order_by("status")[:4]:
                inspector.inspect(f"/mobility/{application.pk}/")
        for agreement in Agreement.objects.filter(application__applicant__email=_email(key)):
            inspector.inspect(f"/documents/{agreement.application_id}/")
        if key == "officer_s":  # the demo's agreement waits for the host in this faculty
            for agreement in Agreement.objects.filter(application__department__parent__code="s"):
                inspector.inspect(f"/documents/{agreement.application_id}/")
        for letter in Letter.objects.filter(application__applicant__email=_email(key)):
            inspector.inspect(f"/documents/{letter.application_id}/letters/")
    assert inspector.problems == [], "\n".join(inspector.problems)
