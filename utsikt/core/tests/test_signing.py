"""Signed tokens work for their one purpose, until they expire, and not when altered."""

from __future__ import annotations

import datetime
import time

import pytest

from utsikt.core import signing

DAY = datetime.timedelta(days=1)


def test_a_token_reads_back_its_payload_for_its_purpose() -> None:
    token = signing.make_token("documents.host-link", {"agreement": 7}, expiring=True)
    assert signing.read_token("documents.host-link", token, max_age=DAY) == {"agreement": 7}


def test_an_expired_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    token = signing.make_token("documents.host-link", {"agreement": 7}, expiring=True)
    two_days_later = time.time() + 2 * DAY.total_seconds()
    monkeypatch.setattr(signing.signing.time, "time", lambda: two_days_later)
    with pytest.raises(signing.InvalidToken):
        signing.read_token("documents.host-link", token, max_age=DAY)
    assert signing.read_token("documents.host-link", token, max_age=3 * DAY) == {"agreement": 7}


@pytest.mark.parametrize("expiring", [True, False])
def test_a_token_for_one_purpose_never_works_for_another(expiring: bool) -> None:
    token = signing.make_token("catalogue.feed", {"s": 1}, expiring=expiring)
    max_age = DAY if expiring else None
    with pytest.raises(signing.InvalidToken):
        signing.read_token("documents.host-link", token, max_age=max_age)


def test_a_token_without_expiry_is_refused_where_one_is_required() -> None:
    lasting = signing.make_token("documents.host-link", {"agreement": 7}, expiring=False)
    expiring = signing.make_token("documents.host-link", {"agreement": 7}, expiring=True)
    with pytest.raises(signing.InvalidToken):
        signing.read_token("documents.host-link", lasting, max_age=DAY)
    with pytest.raises(signing.InvalidToken):
        signing.read_token("documents.host-link", expiring, max_age=None)


@pytest.mark.parametrize("expiring", [True, False])
def test_a_tampered_token_is_refused(expiring: bool) -> None:
    token = signing.make_token("catalogue.feed", {"s": 1}, expiring=expiring)
    max_age = DAY if expiring else None
    other_payload = signing.make_token("catalogue.feed", {"s": 2}, expiring=expiring)
    swapped = other_payload.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    damaged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for tampered in (swapped, damaged):
        with pytest.raises(signing.InvalidToken):
            signing.read_token("catalogue.feed", tampered, max_age=max_age)
