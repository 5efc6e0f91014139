"""The content check of uploaded PDFs: a corpus of hostile files, each refused with a reason."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from utsikt.core import pdf


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def _with_javascript() -> bytes:
    writer = _writer()
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(script)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _write(writer)


def _with_open_action() -> bytes:
    writer = _writer()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): TextStringObject("https://example.org/"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _write(writer)


def _with_launch() -> bytes:
    writer = _writer()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    return _write(writer)


def _with_attachment() -> bytes:
    writer = _writer()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return _write(writer)


def _encrypted() -> bytes:
    writer = _writer()
    writer.encrypt(user_password="secret", owner_password="owner")
    return _write(writer)


def _zip(name: str = "a.txt") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "hello")
    return out.getvalue()


def _escaped_javascript_name() -> bytes:
    # /J#61vaScript is /JavaScript with one letter escaped: readers treat them alike.
    return pdf.blank().replace(b"/Type /Catalog", b"/Type /Catalog /J#61vaScript 1", 1)


def _html_in_a_comment() -> bytes:
    body = pdf.blank()
    return body.replace(b"\n", b"\n%<html><script>alert(1)</script></html>\n", 1)


CORPUS: dict[str, Callable[[], bytes]] = {
    "a renamed Windows program": lambda: b"MZ\x90\x00\x03" + b"\x00" * 200,
    "an HTML page": lambda: b"<!doctype html><html><script>alert(1)</script></html>",
    "an SVG image": lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
    "a ZIP archive": _zip,
    "a text file": lambda: b"Just some words, not a document.\n",
    "a PDF with JavaScript": _with_javascript,
    "a PDF with an action on opening": _with_open_action,
    "a PDF that launches a program": _with_launch,
    "a PDF with an attached file": _with_attachment,
    "a PDF with an escaped JavaScript name": _escaped_javascript_name,
    "a PDF followed by a ZIP": lambda: pdf.blank() + _zip(),
    "a PDF with HTML inside": _html_in_a_comment,
    "a PDF followed by HTML": lambda: pdf.blank() + b"<html><body>hi</body></html>",
    "%PDF- then noise": lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
    "a truncated PDF": lambda: pdf.blank()[:-60],
    "an encrypted PDF": _encrypted,
    "an oversized file": lambda: pdf.blank() + b" " * (pdf.MAX_BYTES + 1),
    "zero bytes": lambda: b"",
    "a PDF with too many pages": lambda: _write(_writer(pdf.MAX_PAGES + 1)),
    "a PDF header without a body": lambda: b"%PDF-1.4\n%%EOF\n",
}


# The reason each file is refused for, in a word of its English message.
REASONS = {
    "a renamed Windows program": "not a PDF",
    "an HTML page": "not a PDF",
    "an SVG image": "not a PDF",
    "a ZIP archive": "not a PDF",
    "a text file": "not a PDF",
    "a PDF with JavaScript": "JavaScript",
    "a PDF with an action on opening": "JavaScript",
    "a PDF that launches a program": "JavaScript",
    "a PDF with an attached file": "JavaScript",
    "a PDF with an escaped JavaScript name": "JavaScript",
    "a PDF followed by a ZIP": "does not end",
    "a PDF with HTML inside": "another kind",
    "a PDF followed by HTML": "does not end",
    "%PDF- then noise": "damaged",
    "a truncated PDF": "does not end",
    "an encrypted PDF": "encrypted",
    "an oversized file": "larger than",
    "zero bytes": "empty",
    "a PDF with too many pages": "more than",
    "a PDF header without a body": "damaged",
}


@pytest.mark.parametrize("kind", list(CORPUS))
def test_every_hostile_file_is_refused_with_a_reason(kind: str) -> None:
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.check(CORPUS[kind]())
    with translation.override("en"):
        assert REASONS[kind] in str(refused.value.message)
    with translation.override("en"):
        english = str(refused.value.message)
    with translation.override("sv"):
        swedish = str(refused.value.message)
    assert english and swedish and english != swedish


def test_the_corpus_has_at_least_fifteen_files() -> None:
    assert len(CORPUS) >= 15


def test_a_plain_pdf_passes_and_reports_its_pages() -> None:
    checked = pdf.check(pdf.blank(pages=3))
    assert checked.pages == 3 and checked.size > 0 and len(checked.sha256) == 64


def test_a_file_object_is_left_at_its_start_for_saving() -> None:
    upload = io.BytesIO(pdf.blank())
    upload.read(10)
    pdf.check(upload)
    assert upload.tell() == 0


def test_the_size_bound_is_the_callers() -> None:
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.check(pdf.blank() + b" " * (1024 * 1024), max_bytes=1024 * 1024)
    with translation.override("en"):
        assert str(refused.value.message) == "The file is larger than 1 MB."
