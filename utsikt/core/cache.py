"""Per-process caches filed under a revision (revision.py); whole pages for anonymous visitors
and signed-in people's repeated pages (private_page)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from utsikt.core import revision


class RevisionCache:
    """A small thread-safe LRU cache. Most keys start with a revision and today's date
    (cache_key); a key that stands for its value alone (a session's stored text) needs
    neither."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.enabled = True

    def get_or_compute[T](self, key: Hashable, compute: Callable[[], T]) -> T:
        if not self.enabled or key is None:
            return compute()
        found = self.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        self.put(key, value)
        return value

    def get(self, key: Hashable) -> Any:
        """The value filed under the key, or None."""
        if not self.enabled or key is None:
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        if not self.enabled or key is None:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def cache_key(revision: str | None, *parts: Hashable) -> tuple[Hashable, ...] | None:
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


# Signed-in people's pages (private_page): a work list is some 20-60 KB, so at most about
# 15 MB per server process.
private_pages = RevisionCache(size=256)


def _private_key(request: HttpRequest, name: str) -> tuple[Hashable, ...] | None:
    """What a signed-in person's page is filed under, or None: render it afresh.

    The page shows the person (their id), carries CSRF tokens masked from the secret in their
    csrftoken cookie (valid while the secret is; Django makes a new one at log-in), is in
    their language and answers its full address. Without a CSRF cookie, with messages
    waiting (they are shown once), for htmx fragments and for anything but GET it is
    rendered afresh. The revision is read here, before any of the page's data, so that a
    write committed meanwhile can only leave newer data under an older key, never older
    data under the newer key.
    """
    secret = request.META.get("CSRF_COOKIE")
    if (
        request.method != "GET"
        or not secret
        or getattr(request, "htmx", False)
        or not request.user.is_authenticated
        or len(get_messages(request))
    ):
        return None
    # The signed-in person was read under the workflow revision (accounts.backends.signed_in)
    # and is no older than the key they were read under: that key serves here too.
    read_under = getattr(request.user, "read_under", None)
    return cache_key(
        read_under if name == revision.WORKFLOW and read_under else revision.latest(name),
        "private",
        request.user.pk,
        hashlib.sha256(secret.encode()).hexdigest(),
        get_language(),
        request.get_full_path(),
    )


def private_page[View: Callable[..., HttpResponseBase]](name: str) -> Callable[[View], View]:
    """Serve a signed-in person's repeated page from this process's cache while the named
    revision (revision.latest, read on every request) has not changed.

    Goes inside the view's access decision (`@access.holds_role(...)` above it), so that the
    decision is made on every request before the cache is asked. The revision must change
    with every write to every table the page reads: database triggers do that for the
    "workflow" revision (mobility migration 0010), and a test derives the tables from the
    pages' SQL. The page must hold nothing finer than the day (cache_key adds the date): no
    "x minutes ago", no CSP nonce.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            key = _private_key(request, name)
            content = private_pages.get(key)
            if content is not None:
                return HttpResponse(content)
            # (cache_key puts the revision first.)
            if key is not None and key[0] != getattr(request.user, "read_under", None):
                # The user (name, roles) was read before the revision: read it again, so
                # that what is filed under the key is no older than the key.
                users = get_user_model()._default_manager
                fresh = users.filter(pk=cast(int, request.user.pk)).first()
                if fresh is None:  # deleted meanwhile: this request's page, never filed
                    key = None
                else:
                    request.user = fresh
            response = view(request, *args, **kwargs)
            if (
                key is not None
                and type(response) is HttpResponse
                and response.status_code == 200
                and not getattr(get_messages(request), "used", False)  # shown once, not again
            ):
                private_pages.put(key, response.content)
            return response

        return wrapper  # type: ignore[return-value]

    return decorator
