"""The outreach beside a plan: `{% outreach_summary application %}` (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from utsikt.documents.models import Letter

register = template.Library()


@register.inclusion_tag("documents/_outreach.html")
def outreach_summary(application: Any) -> dict[str, Any]:
    return {
        "application": application,
        "letters": list(Letter.objects.filter(application=application).select_related("host")),
    }
