"""Rendering documents to PDF with WeasyPrint, safely.

Templates are Django templates (user text escaped by the template engine). WeasyPrint gets a
URL fetcher that serves only the project's own static files under a made-up base address:
no local file, no network, no data from elsewhere.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# Documents name their stylesheets relative to this address; nothing answers it but us.
STATIC_BASE = "https://static.utsikt.invalid/"


class RefusedResource(ValueError):
    """A document asked for something outside the project's static files."""


def static_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the project's static files and nothing else."""
    from weasyprint.urls import (  # type: ignore[import-untyped]
        URLFetcher,
        URLFetcherResponse,
    )

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _static_path(url)
            found = finders.find(path)
            if not found or isinstance(found, list):
                raise RefusedResource(f"No such static file: {path}")
            with open(found, "rb") as file:
                body = file.read()
            content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    return StaticOnly(fail_on_errors=False, allowed_protocols={"https"})


def _static_path(url: str) -> str:
    if not url.startswith(STATIC_BASE):
        raise RefusedResource(f"Refused: {url[:200]}")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise RefusedResource("Refused: a query or fragment")
    path = unquote(parts.path).lstrip("/")
    normal = posixpath.normpath(path)
    if normal != path or normal.startswith(("..", "/")) or "\\" in path or "\x00" in path:
        raise RefusedResource(f"Refused: {path[:200]}")
    return normal


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(
        string=html, base_url=STATIC_BASE, url_fetcher=static_only_fetcher()
    ).write_pdf()
    return pdf


def render(template: str, context: dict[str, Any], *, language: str = "en") -> bytes:
    """A Django template rendered in `language` and printed to PDF."""
    with translation.override(language):
        html = render_to_string(template, context)
    return html_to_pdf(html)
