"""Strings of Django itself that its Swedish catalogue lacks; listed here so that
`make messages` extracts them and locale/sv/core.json translates them (the project's
catalogue takes precedence over Django's)."""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGO_SV = [
    gettext_noop("- Select an option -"),
]
