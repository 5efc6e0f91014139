"""The content check of an uploaded PDF, for every app that takes one.

A file is a PDF by what it contains, never by its name or the content type the browser sent.
`check` reads it whole (the upload's size is bounded before), parses it with pypdf and refuses
what a reader would run or open on its own (JavaScript, an action on opening, a launch of a
program, embedded files, rich media, forms that submit), files that are two formats at once
(a ZIP or an HTML page inside or after the PDF), encrypted and malformed files, and files
larger or longer than the caller allows. Each refusal says why, in the reader's language.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from typing import IO, Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 200
# A PDF with more objects than this is refused rather than walked (a bomb of references).
MAX_OBJECTS = 200_000

# Names that make a reader act without being asked, or that carry other files.
ACTIVE_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/Sound",
        "/Movie",
    }
)
# The same names as they appear in the bytes, with #xx escapes undone before comparing.
_NAME = re.compile(rb"/[A-Za-z0-9#]+")
# Signs of a second format: a ZIP's records, an HTML or SVG document, a script.
_OTHER_FORMATS = re.compile(
    rb"PK\x03\x04|PK\x05\x06|PK\x01\x02|<\s*(?:html|script|svg|body|iframe|!doctype)\b",
    re.IGNORECASE,
)


class PdfRefused(ValueError):
    """The upload is not a PDF Utsikt takes; `message` says why, translated on display."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedPdf:
    size: int
    pages: int
    sha256: str


def check(
    upload: IO[bytes] | bytes | Any,
    *,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
) -> CheckedPdf:
    """Check an upload (a file object or bytes) and return what was read; PdfRefused if not.

    The file object is left at its start, so the caller can save it afterwards.
    """
    data = _read(upload, max_bytes)
    if not data:
        raise PdfRefused(_("The file is empty."))
    if not data.startswith(b"%PDF-1.") and not data.startswith(b"%PDF-2."):
        raise PdfRefused(_("The file is not a PDF, whatever its name says."))
    tail = data.rstrip(b"\r\n\t \x00")
    if not tail.endswith(b"%%EOF"):
        raise PdfRefused(
            _("The file does not end like a PDF: it is cut short or has something added to it.")
        )
    if _OTHER_FORMATS.search(data):
        raise PdfRefused(_("The file is a PDF and another kind of file at once; it is refused."))
    if _active_name_in(data):
        raise PdfRefused(_active_message())
    pages = _parse(data, max_pages)
    return CheckedPdf(size=len(data), pages=pages, sha256=hashlib.sha256(data).hexdigest())


def _read(upload: IO[bytes] | bytes | Any, max_bytes: int) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise PdfRefused(_too_large(max_bytes))
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
        if hasattr(upload, "seek"):
            upload.seek(0)
    if len(data) > max_bytes:
        raise PdfRefused(_too_large(max_bytes))
    return bytes(data)


def _formatted(message: Promise, **values: Any) -> Promise:
    """A translatable message with values put in when it is shown, in the reader's language."""
    formatted: Promise = lazy(lambda: str(message) % values, str)()  # type: ignore[assignment]
    return formatted


def _too_large(max_bytes: int) -> Promise:
    return _formatted(
        _("The file is larger than %(megabytes)s MB."),
        megabytes=max(1, max_bytes // (1024 * 1024)),
    )


def _active_message() -> Promise:
    return _(
        "The PDF contains JavaScript, an action on opening, a program to launch or attached "
        "files. Print it to a new PDF, or scan the paper, and upload that."
    )


def _unescape(name: bytes) -> str:
    def replace(match: re.Match[bytes]) -> bytes:
        return bytes([int(match.group(1), 16)])

    return re.sub(rb"#([0-9A-Fa-f]{2})", replace, name).decode("latin-1")


def _active_name_in(data: bytes) -> bool:
    return any(_unescape(match.group()) in ACTIVE_NAMES for match in _NAME.finditer(data))


def _parse(data: bytes, max_pages: int) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise PdfRefused(
                _("The PDF is encrypted or protected by a password; upload one without.")
            )
        pages = len(reader.pages)
        if pages == 0:
            raise PdfRefused(_("The PDF has no pages."))
        if pages > max_pages:
            raise PdfRefused(
                _formatted(_("The PDF has more than %(pages)s pages."), pages=max_pages)
            )
        if _walk_finds_active(reader):
            raise PdfRefused(_active_message())
    except PdfRefused:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        RecursionError,
        OSError,
    ) as error:
        logger.info("A PDF upload could not be read: %r", error)
        raise PdfRefused(_("The PDF is damaged and cannot be read.")) from None
    return pages


def _walk_finds_active(reader: Any) -> bool:
    """Walk every object reachable from the trailer, object streams included."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PdfRefused(_("The PDF is too complex to check."))
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if str(name) in ACTIVE_NAMES:
                    return True
                if name in {"/Parent", "/P"}:  # back references, reached from above anyway
                    continue
                stack.append(value)
            if item.get("/S") in {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData"}:
                return True
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def blank(pages: int = 1) -> bytes:
    """A plain PDF of empty A4 pages that passes `check` (for tests and demos)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
