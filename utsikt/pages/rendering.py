"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only an allow-list.

Raw HTML in the Markdown is escaped by the renderer (html=False) and whatever still reaches
nh3 loses every tag, attribute and scheme not listed here: no script, no inline event
handlers, no style, no `javascript:` or `data:` links. Headings start at level 2, since the
page's own title is its h1.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _shift_headings(html: str) -> str:
    # The page's own title is its only h1: the text's largest heading becomes h2, whether
    # the writer began with "#" or "##", and the others follow (no deeper than h4).
    levels = [int(level) for level in re.findall(r"<h([1-6])>", html)]
    if not levels:
        return html
    offset = 2 - min(levels)

    def shifted(match: re.Match[str]) -> str:
        level = min(max(int(match.group(2)) + offset, 2), 4)
        return f"<{match.group(1)}h{level}>"

    return re.sub(r"<(/?)h([1-6])>", shifted, html)


@lru_cache(maxsize=512)
def to_html(text: str) -> SafeString:
    """The Markdown `text` as HTML that is safe to put in a page."""
    html = _shift_headings(_markdown.render(text or ""))
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3 has just reduced it to the allow-list
