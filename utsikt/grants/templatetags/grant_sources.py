"""`{{ source|citations }}`: a rate's research note as readable citations."""

from __future__ import annotations

from django import template

from utsikt.grants.citations import Citation, cite

register = template.Library()


@register.filter
def citations(source: str) -> list[Citation]:
    return cite(source or "")
