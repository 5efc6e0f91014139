"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

Fixtures:
- `site`: the live server with helpers. `site.visit(path)` opens a page and fails the test
  on any axe violation; `site.open(path)` opens one without axe (a page passed on the way);
  `site.start(language)` opens the start page and chooses the language with the header
  button, as `site.use_language("en")` does; `site.login("librarian")` signs in by handing
  the browser a session made on the server (and opens, unchecked, the home page it lands on),
  `site.login_with_form(...)` logs in through the form by keyboard, as the tests of logging in
  do.
- `page`: the Playwright page (pytest-playwright), in Debian's Chromium (the root conftest).

Every browser test is transactional (the server thread must see committed data) and keeps
the reference data (see utsikt.core.testing.transactional).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.core.language import LANGUAGE_FROM_LOG_IN

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make
# here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Only the violations come back, not the list of every rule that passed or did not apply.
RUN_AXE = """typeof axe === 'undefined' ? null : axe.run({resultTypes: ['violations']})
    .then(results => ({violations: results.violations}))"""
_CONTEXTS_WITH_AXE: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from utsikt.core.testing import transactional

    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(transactional())


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # An English-speaking browser: the pages must still open in Swedish.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


def axe_results(page: Page) -> AxeResults:
    """What axe-core finds on the page now shown.

    Its 550 kB script is handed to each browser context once, which then runs it in every
    document it opens, rather than sent again for each page checked.
    """
    if page.context not in _CONTEXTS_WITH_AXE:
        page.context.add_init_script(script=AXE_SCRIPT)
        _CONTEXTS_WITH_AXE.add(page.context)
    response = page.evaluate(RUN_AXE)
    if response is None:  # a document opened before its context had the script
        page.evaluate(AXE_SCRIPT)
        response = page.evaluate(RUN_AXE)
    return AxeResults(response)


def assert_accessible(page: Page) -> None:
    """Fail with axe's own report when the page has any accessibility violation."""
    results = axe_results(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


class Site:
    def __init__(self, base: str, page: Page, personas: dict[str, User]) -> None:
        self.base = base
        self.page = page
        self.personas = personas
        self.visited: list[str] = []

    def url(self, path: str) -> str:
        return self.base + path

    def open(self, path: str) -> Page:
        """Open a page and check that it answered: a page passed on the way, which axe checks
        in the tests that are about it."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        return self.page

    def visit(self, path: str) -> Page:
        """Open a page, check it answered and that axe finds nothing."""
        self.open(path)
        self.check()
        return self.page

    def start(self, language: str) -> None:
        """Open the start page and choose the language with the header's button."""
        self.open("/")
        self.use_language(language)

    def check(self) -> None:
        """Check the page now shown (after a click or a form)."""
        assert_accessible(self.page)
        self.visited.append(self.page.url)

    def login(self, key: str) -> None:
        """Sign in as this persona and open the page a log-in lands on, without the form.

        The session is made on the server (the test client's force_login, which runs Django's
        own login()) and its cookies handed to the browser. Like the form, it remembers the
        person's language when this browser has chosen none. The form itself is tested through
        `login_with_form`.
        """
        person = User.objects.get(pk=self.personas[key].pk)  # as stored now (load_demo resets it)
        client = Client()
        client.force_login(person)
        context = self.page.context
        cookies = []
        if settings.LANGUAGE_COOKIE_NAME not in {c["name"] for c in context.cookies(self.base)}:
            session = client.session
            session[LANGUAGE_FROM_LOG_IN] = True  # so that log-out takes the cookie back
            session.save()
            cookies.append(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": person.language, "url": self.base}
            )
        cookies += [
            {"name": name, "value": morsel.value, "url": self.base}
            for name, morsel in client.cookies.items()
        ]
        context.add_cookies(cookies)  # type: ignore[arg-type]
        self.open(reverse(settings.LOGIN_REDIRECT_URL))  # each role's home: test_shell checks it
        expect(self.page.locator("form[action='/logout/'] button")).to_be_visible()

    def login_with_form(self, key: str) -> None:
        """Log in through the form using the keyboard only."""
        self.visit("/login/")
        self.page.keyboard.type(self.personas[key].email)  # the e-mail field has focus
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(DEMO_PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()
        expect(self.page.locator("form[action='/logout/'] button")).to_be_visible()
        self.check()

    def use_language(self, language: str) -> None:
        button = self.page.locator(f".language-switch button[value='{language}']")
        if button.count():
            button.click()
            self.page.wait_for_load_state()
        expect(self.page.locator("html")).to_have_attribute("lang", language)


@pytest.fixture
def site(live_server: Any, page: Page, personas: dict[str, User]) -> Iterator[Site]:
    page.set_default_timeout(10_000)
    yield Site(live_server.url, page, personas)
