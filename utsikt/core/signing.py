"""Signed tokens for addresses that carry their own permission (calendar feeds, host links).

A token is made for one purpose, and the purpose is the signing salt: a token made for one
purpose never reads as another's. A purpose either expires or does not, decided by the
reader (`max_age`); tokens that expire are signed under a salt of their own, so a token
without a date can never be read where a date is required, nor the other way round.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import signing

# Every token's payload is a small JSON object, so readers can look up its keys safely.
Payload = dict[str, Any]


class InvalidToken(Exception):
    """The token is forged, damaged, made for another purpose, or has expired."""


def _salt(purpose: str, *, expiring: bool) -> str:
    # Tokens that never expire keep the bare purpose as their salt: the saved-search calendar
    # addresses made before this module existed were signed that way and must keep working.
    return f"{purpose}:expiring" if expiring else purpose


def make_token(purpose: str, payload: Payload, *, expiring: bool) -> str:
    """A URL-safe token carrying `payload` for one purpose; `expiring` adds the signing time."""
    if expiring:
        signer: signing.Signer = signing.TimestampSigner(salt=_salt(purpose, expiring=True))
    else:
        signer = signing.Signer(salt=_salt(purpose, expiring=False))
    return signer.sign_object(payload)


def read_token(purpose: str, token: str, *, max_age: datetime.timedelta | None) -> Payload:
    """The payload of a genuine token made for this purpose, younger than `max_age`.

    `max_age=None` reads tokens made with `expiring=False`; raises InvalidToken otherwise.
    """
    try:
        if max_age is None:
            payload = signing.Signer(salt=_salt(purpose, expiring=False)).unsign_object(token)
        else:
            payload = signing.TimestampSigner(salt=_salt(purpose, expiring=True)).unsign_object(
                token, max_age=max_age
            )
    except (signing.BadSignature, ValueError) as error:
        # SignatureExpired is a BadSignature; ValueError covers a signed value that is not JSON.
        raise InvalidToken(str(error)) from None
    if not isinstance(payload, dict):
        raise InvalidToken("The payload is not an object.")
    return payload
