"""Validators shared by every app's models and forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def refuse_control_characters(value: str) -> None:
    """Names and titles are one line of text: a line break or other control character in a
    name would break the e-mail headers it is written into (a subject, a "To: Name <…>")."""
    # Cc: control characters (line breaks, tabs, NUL); Zl, Zp: the line and paragraph separators.
    if any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="control_characters",
        )
