"""One limiter for every way to log in, and for password reset e-mails.

Each log-in attempt takes a slot before its password is checked: one of the client
address's slots (LOGIN_RATE_LIMIT × 4 per window, room for a campus behind one address)
and one of the slots of the (address, account) pair (LOGIN_RATE_LIMIT). Without a free slot
the password is not checked at all. A success gives its slots back and clears the pair, so
only failures count. Nothing is counted per account alone: failures from one address never
lock the account's owner out at another, and a correct password from an address that has
not failed always gets in.

A slot is a cache key taken with `cache.add`, which every Django cache takes atomically
(the database cache by its unique key, memcached and Redis natively): thirty concurrent
guesses take at most the limit's slots, and the rest are refused before any password is
checked. Counting with get-and-set (the database cache's `incr`) would let them all through.
Keys carry the window's number, so a new window starts with fresh keys, never with the
expired rows of the last one.

django-axes was considered and not chosen: it records a failure after the password was
checked, so concurrent guesses all pass its check (its issue #592, closed as "won't fix").
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

ADDRESS_SHARE = 4  # an address may fail this many times more often than one of its accounts


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind UTSIKT_TRUSTED_PROXIES reverse proxies
    the address the outermost trusted proxy saw, read from X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N trusted proxies
    the client is the N-th entry from the right; anything further left was written by the
    client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "-"
    proxies = settings.UTSIKT_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through all the proxies: trust only the connection
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:32]


def _window() -> int:
    return max(1, settings.LOGIN_RATE_WINDOW_SECONDS)


def _slots(base: str, limit: int, window: int | None = None) -> list[str]:
    bucket = int(time.time() // (window or _window()))
    return [f"{base}:{bucket}:{number}" for number in range(limit)]


def _take(base: str, limit: int, window: int | None = None) -> str | None:
    """Take a free slot (atomically) and return its key, or None when all are taken."""
    window = window or _window()
    keys = _slots(base, limit, window)
    taken = cache.get_many(keys)
    for key in keys:
        # Kept past the window's end: a key is never found expired within its window.
        if key not in taken and cache.add(key, 1, 2 * window):
            return key
    return None


def take_slots(limits: list[tuple[str, int, int]]) -> bool:
    """Take one slot of each (name, limit, window in seconds), all or none; False: refuse.

    The same slots as the log-in limiter's, for other things a person may do only so
    often (messages to ambassadors): a refused action gives back what it took.
    """
    held: list[str] = []
    for name, limit, window in limits:
        slot = _take(f"limit:{_digest(name)}", limit, window)
        if slot is None:
            cache.delete_many(held)
            return False
        held.append(slot)
    return True


@dataclass(frozen=True)
class Attempt:
    """The slots one log-in attempt holds while its password is checked."""

    address_slot: str
    pair: str


def _pair(address: str, email: str) -> str:
    return f"login:pair:{_digest(address + ' ' + email)}"


def begin_login(request: HttpRequest, email: str) -> Attempt | None:
    """Count a log-in attempt before its password is checked; None: refuse it unchecked."""
    address = client_address(request)
    address_slot = _take(
        f"login:address:{_digest(address)}", settings.LOGIN_RATE_LIMIT * ADDRESS_SHARE
    )
    if address_slot is None:
        return None
    pair = _pair(address, email)
    if _take(pair, settings.LOGIN_RATE_LIMIT) is None:
        cache.delete(address_slot)  # refused unchecked: nothing tried, nothing to count
        return None
    return Attempt(address_slot=address_slot, pair=pair)


def login_succeeded(attempt: Attempt) -> None:
    """Only failures count: give the address its slot back and clear the pair."""
    cache.delete_many([attempt.address_slot, *_slots(attempt.pair, settings.LOGIN_RATE_LIMIT)])


def may_send_password_reset(request: HttpRequest, email: str) -> bool:
    """Count a reset e-mail per address asked for and per client; False: send nothing."""
    limit = settings.PASSWORD_RESET_RATE_LIMIT
    client = _digest(client_address(request))
    if _take(f"reset:client:{client}", limit * ADDRESS_SHARE) is None:
        return False
    return _take(f"reset:email:{_digest(email)}", limit) is not None


def window_minutes() -> int:
    return max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
