"""Per-process caches filed under a revision (revision.py); whole pages for anonymous visitors."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language


class RevisionCache:
    """A small LRU cache whose keys start with a revision and today's date (cache_key)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.enabled = True

    def get_or_compute[T](self, key: Hashable, compute: Callable[[], T]) -> T:
        if not self.enabled or key is None:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cache_key(revision: str | None, *parts: Hashable) -> Hashable:
    """None (do not cache) until the area has a revision, i.e. before its first write."""
    if revision is None:
        return None
    return (revision, timezone.localdate(), *parts)


# Whole pages for anonymous visitors, of every app.
pages = RevisionCache()


def same_for_everyone(request: HttpRequest) -> bool:
    """Anonymous, no session (so no messages waiting), not an htmx fragment."""
    return (
        not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def anonymous_page(
    request: HttpRequest,
    template: str,
    make_context: Callable[[], dict[str, Any]],
    *,
    revision: str | None,
    canonical_query: Callable[[str], str],
) -> HttpResponse:
    """Render a page, or for anonymous visitors take it from the cache of this revision,
    language and address.

    An anonymous visitor's page holds nothing of theirs: no CSRF token (the language switch
    asks for none from them) and no CSP nonce (there is no inline script), so the cached
    bytes are the response. `canonical_query` turns the query string into the page's own
    parameters in a fixed order, so that made-up parameters make no new entries.
    """
    if not same_for_everyone(request):
        return render(request, template, make_context())
    query = canonical_query(request.META.get("QUERY_STRING", ""))
    address = f"{request.path}?{query}" if query else request.path
    key = cache_key(revision, "page", template, get_language(), address)
    # The page shows its own address (the language switch returns to it): the canonical
    # one, since the cached bytes go to every visitor whose query has the same meaning.
    content: bytes = pages.get_or_compute(
        key,
        lambda: render_to_string(
            template, {**make_context(), "page_address": address}, request
        ).encode(),
    )
    return HttpResponse(content)
