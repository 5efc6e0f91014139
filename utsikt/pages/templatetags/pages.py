"""Template helpers of the pages app: Markdown, and the International Office in the footer."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from utsikt.pages import offices, rendering

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown, rendered and sanitised (rendering.to_html)."""
    return rendering.to_html(text)


@register.inclusion_tag("pages/_footer_office.html", takes_context=True)
def footer_office(context: template.Context) -> dict[str, Any]:
    """The reader's faculty's International Office, or the university's for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"office": offices.for_footer(user)}
