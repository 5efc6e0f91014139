"""Named revisions in a shared cache (Redis in production; a local-memory cache here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from utsikt.core import revision
from utsikt.core.testing import transactional

pytestmark = transactional()


@pytest.fixture(autouse=True)
def shared_cache() -> Iterator[None]:
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        UTSIKT_REVISIONS_IN_CACHE=True,
        UTSIKT_REVISION_SECONDS=0,
    ):
        cache.clear()
        revision._last_read.clear()
        yield
        revision._last_read.clear()


def cached(name: str) -> str | None:
    value: str | None = cache.get(f"utsikt:revision:{name}")
    return value


def test_a_write_puts_its_new_key_in_the_shared_cache_once_it_commits() -> None:
    revision.bump("catalogue")
    first = cached("catalogue")
    assert first is not None and revision.current("catalogue") == first
    with transaction.atomic():
        revision.bump("catalogue")
        assert cached("catalogue") is None  # nobody files anything under the old key now
        inside = revision.current("catalogue")  # the transaction sees its own write
        assert inside != first
    assert cached("catalogue") == inside
    assert revision.current("catalogue") == inside


def test_a_write_that_rolls_back_leaves_the_committed_key() -> None:
    revision.bump("catalogue")
    committed = revision.current("catalogue")
    with pytest.raises(RuntimeError), transaction.atomic():
        revision.bump("catalogue")
        raise RuntimeError("rolled back")
    assert cached("catalogue") is None
    assert revision.current("catalogue") == committed
    assert cached("catalogue") == committed  # read from the table and shared again


def test_a_slow_reader_never_puts_an_older_key_over_a_newer_one() -> None:
    revision.bump("catalogue")
    revision.bump("catalogue")
    newest = cached("catalogue")
    cache.add("utsikt:revision:catalogue", "older", timeout=60)
    assert cached("catalogue") == newest


def test_a_cache_that_does_not_answer_falls_back_to_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    revision.bump("catalogue")
    key = revision.current("catalogue")

    class Down:
        def __getattr__(self, name: str) -> object:
            def down(*args: object, **kwargs: object) -> None:
                raise ConnectionError("Redis is down")

            return down

    monkeypatch.setattr(revision, "cache", Down())
    assert revision.current("catalogue") == key
