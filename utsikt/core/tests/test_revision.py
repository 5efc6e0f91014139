"""Named revisions and the caches filed under them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from utsikt.accounts.models import User
from utsikt.core import cache, revision


@pytest.mark.django_db
def test_each_named_revision_changes_only_with_its_own_writes() -> None:
    assert revision.current("pages") is None  # before the first write: nothing is cached
    revision.bump("catalogue")
    catalogue = revision.current("catalogue")
    revision.bump("pages")
    assert revision.current("catalogue") == catalogue
    assert revision.current("pages") not in (None, catalogue)


def _page(user: Any, rendered: list[int], key: str | None = "k1") -> bytes:
    request = RequestFactory().get("/somewhere/", {"b": "2", "a": "1", "made_up": "x"})
    request.user = user

    def make_context() -> dict[str, Any]:
        rendered.append(1)
        return {}

    response = cache.anonymous_page(
        request,
        "errors/404.html",
        make_context,
        revision=key,
        canonical_query=lambda query: "&".join(
            sorted(p for p in query.split("&") if "made" not in p)
        ),
    )
    return response.content


@pytest.mark.django_db
def test_a_whole_page_is_cached_for_anonymous_visitors_per_revision() -> None:
    cache.pages.clear()
    rendered: list[int] = []
    first = _page(AnonymousUser(), rendered)
    assert _page(AnonymousUser(), rendered) == first
    assert len(rendered) == 1
    _page(AnonymousUser(), rendered, key="k2")  # a write changed the revision
    _page(AnonymousUser(), rendered, key=None)  # no revision yet: never cached
    _page(AnonymousUser(), rendered, key=None)
    assert len(rendered) == 4


def test_a_signed_in_person_gets_a_page_rendered_for_them(personas: dict[str, User]) -> None:
    cache.pages.clear()
    rendered: list[int] = []
    _page(personas["librarian"], rendered)
    _page(personas["librarian"], rendered)
    assert len(rendered) == 2
