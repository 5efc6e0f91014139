"""CSV and XLSX files that stream: rows are written as they are read, so memory stays flat
at any number of rows, and text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook  # type: ignore[import-untyped]

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | Decimal | datetime.date | None


def neutral(value: Cell) -> Cell:
    """The value with a text that would start a formula made harmless; numbers untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(neutral(value))


class _Echo:
    """A file that hands back what is written, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The CSV text line by line: a byte-order mark for Excel, the header, the rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_text(h) for h in header])
    for row in rows:
        yield writer.writerow([_text(cell) for cell in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_xlsx(out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """An XLSX file written row by row (openpyxl's write-only mode keeps no rows in memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([neutral(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    book.save(out)


def _xlsx_cell(value: Cell) -> Any:
    if isinstance(value, str):
        # Neutralised text stays text: openpyxl writes a leading "=" as a formula otherwise.
        return neutral(value)
    return value


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> FileResponse:
    """The XLSX file, built on disk and streamed from there."""
    # FileResponse closes the file (and so deletes it) once the response is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(spool, header, rows)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
