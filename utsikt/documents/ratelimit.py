"""A bound on what one address may do with host links (open, sign, ask, verify)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from utsikt.accounts.ratelimit import client_address

WINDOW_SECONDS = 600
LIMIT = 60


def allow(request: HttpRequest, scope: str, *, limit: int = LIMIT) -> bool:
    """Take a slot for this address in `scope`; False once the window's slots are taken."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    bucket = int(time.time() // WINDOW_SECONDS)
    key = f"documents:{scope}:{address}:{bucket}"
    if cache.add(key, 1, 2 * WINDOW_SECONDS):
        return True
    try:
        return int(cache.incr(key)) <= limit
    except ValueError:  # expired between the two calls
        return cache.add(key, 1, 2 * WINDOW_SECONDS)
