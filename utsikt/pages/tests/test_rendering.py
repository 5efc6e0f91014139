"""Markdown from officers (and returnees' stories) renders inert: a corpus of script
injections in Markdown and HTML keeps no script, no event handler and no dangerous link."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from utsikt.pages.rendering import to_html

INJECTIONS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<a href='javascript:alert(1)'>click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<object data='javascript:alert(1)'></object>",
    "<embed src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<base href='javascript:/'>",
    "<link rel=stylesheet href='javascript:alert(1)'>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <img src=x onerror=alert(1)>",
    "* [x](javascript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x]: javascript:alert(1)\n\n[link][x]",
    '<https://example.org/" onmouseover="alert(1)>',
    "<javascript:alert(1)>",
]

SAFE_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", INJECTIONS)
def test_script_injection_in_markdown_renders_inert(text: str) -> None:
    html = str(to_html(text))
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name in {"href", "title", "rel", "scope", "start"}, html
            if name == "href":
                assert (value or "").strip().lower().startswith(SAFE_SCHEMES), html


def test_ordinary_markdown_keeps_headings_lists_links_and_emphasis() -> None:
    html = str(to_html("# Title\n\n* **bold** and *it*\n* [link](https://example.org)"))
    assert "<h2>Title</h2>" in html  # the page's own title is the only h1
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html


def test_a_relative_link_to_another_page_survives() -> None:
    assert 'href="/info/insurance/"' in str(to_html("[insurance](/info/insurance/)"))


def test_raw_html_is_shown_as_text_not_run() -> None:
    assert "&lt;script&gt;" in str(to_html("<script>alert(1)</script>"))
