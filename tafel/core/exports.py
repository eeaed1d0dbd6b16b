"""Files for download: CSV, XLSX and PDF responses, formula-safe cells and the
one way a download names its file.

Every export of Tafel is built here, so a fix to quoting, encoding or headers
reaches all of them at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from flask import Response, request, stream_with_context

from tafel.core.uploads import content_disposition

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
BOM = "\ufeff"


def csv_cell(value: Any) -> str:
    """Neutralise cells a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def download(
    body: Any, mimetype: str, name: str, headers: dict[str, str] | None = None
) -> Response:
    """A response that the browser saves as `name`."""
    return Response(
        body,
        content_type=mimetype,  # as given: werkzeug would add a second charset to a mimetype
        headers={**(headers or {}), "Content-Disposition": content_disposition(name)},
    )


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, bom: bool) -> Iterator[str]:
    """Semicolon-separated lines, every cell formula-safe, each day in ISO form."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if bom:
        buffer.write(BOM)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(_plain(value)) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def csv_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], name: str, *, bom: bool = True
) -> Response:
    """A CSV download built at once (with a byte order mark, so Excel reads UTF-8)."""
    return download("".join(csv_lines(header, rows, bom=bom)).encode("utf-8"), CSV_TYPE, name)


def csv_stream(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], name: str, *, bom: bool = True
) -> Response:
    """A CSV download written while the rows are read (for long lists)."""
    return download(stream_with_context(csv_lines(header, rows, bom=bom)), CSV_TYPE, name)


def xlsx_bytes(sheet_name: str, header: list[str], rows: list[list]) -> bytes:
    """Every text is written as a string (never a formula), every day as a date."""
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, bold)
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(number, col, value, day)
            else:
                sheet.write_string(number, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, len(header) - 1, 20)
    book.close()
    return output.getvalue()


def xlsx_response(sheet_name: str, header: list[str], rows: list[list], name: str) -> Response:
    return download(xlsx_bytes(sheet_name, header, rows), XLSX_TYPE, name)


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=request.host_url).write_pdf()


def pdf_response(html: str, name: str) -> Response:
    """The HTML printed by WeasyPrint, as a download."""
    return download(pdf_bytes(html), PDF_TYPE, name)
