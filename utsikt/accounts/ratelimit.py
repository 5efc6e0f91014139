"""Counting failed log-ins per e-mail address and per client address, in the shared cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, client: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:email:{digest}", f"login-fail:client:{client}"]


def _limits() -> list[int]:
    # A shared address (a campus NAT) gets more room than a single account.
    return [settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_LIMIT * 4]


def is_limited(*, email: str, client: str) -> bool:
    """True when too many recent failures came for this address or from this client."""
    counts = cache.get_many(_keys(email, client))
    return any(
        counts.get(key, 0) >= limit
        for key, limit in zip(_keys(email, client), _limits(), strict=True)
    )


def record_failure(*, email: str, client: str) -> None:
    """Count one failed log-in; counts expire after the configured window."""
    for key in _keys(email, client):
        if not cache.add(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, settings.LOGIN_RATE_WINDOW_SECONDS)


def clear(*, email: str) -> None:
    """Forget an address's failures after a successful log-in."""
    cache.delete(_keys(email, "")[0])


def window_minutes() -> int:
    return max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
