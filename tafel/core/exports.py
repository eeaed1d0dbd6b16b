"""Files for download: CSV, XLSX and PDF responses, formula-safe cells and the
one way a download names its file.

Every export of Tafel is built here, so a fix to quoting, encoding or headers
reaches all of them at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from flask import Response, current_app, request, stream_with_context

from tafel.core.uploads import content_disposition

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
BOM = "\ufeff"
NUMBERS = (int, float, Decimal)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Link(NamedTuple):
    """A cell that points at a page: the address in CSV, a hyperlink in XLSX."""

    url: str
    text: str = ""


def is_number(value: Any) -> bool:
    return isinstance(value, NUMBERS) and not isinstance(value, bool)


def csv_cell(value: Any) -> str:
    """One cell as CSV text, the same way in every export of Tafel.

    Numbers stay numbers (a decimal point, never a thousands separator, so any
    spreadsheet or `float()` reads them); days and times are ISO 8601; a link is
    its address. Only text is guarded against formulas: a text that a
    spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if is_number(value):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Link):
        return value.url
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def download(
    body: Any, mimetype: str, name: str, headers: dict[str, str] | None = None
) -> Response:
    """A response that the browser saves as `name`."""
    return Response(
        body,
        content_type=mimetype,  # as given: werkzeug would add a second charset to a mimetype
        headers={**(headers or {}), "Content-Disposition": content_disposition(name)},
    )


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The one CSV convention: UTF-8 with a byte order mark (Excel on a Dutch
    PC then reads "ë" and "€"), `;` between cells, CRLF after every line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([csv_cell(str(value)) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def csv_response(header: Iterable[Any], rows: Iterable[Iterable[Any]], name: str) -> Response:
    """A CSV download built at once."""
    return download("".join(csv_lines(header, rows)).encode("utf-8"), CSV_TYPE, name)


def csv_stream(header: Iterable[Any], rows: Iterable[Iterable[Any]], name: str) -> Response:
    """A CSV download written while the rows are read (for long lists).

    The rows are produced after the view has returned and its session is
    closed: the generator must load what it shows itself and must not touch
    ORM objects of the request (pass `accounts.roles.viewer_of(user)`, ids and
    plain values)."""
    encoded = (line.encode("utf-8") for line in csv_lines(header, rows))
    return download(stream_with_context(encoded), CSV_TYPE, name)


def _width(value: Any) -> int:
    if isinstance(value, Link):
        value = value.text or value.url
    return len(csv_cell(value))


def xlsx_bytes(sheet_name: str, header: list[str], rows: list[list]) -> bytes:
    """A header row with an autofilter, frozen; numbers as numbers (shown with
    the reader's decimal comma), days as dates, links as hyperlinks, text as
    text (never a formula), and columns as wide as their content."""
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    formats = {
        "day": book.add_format({"num_format": "dd-mm-yyyy"}),
        "moment": book.add_format({"num_format": "dd-mm-yyyy hh:mm"}),
        "integer": book.add_format({"num_format": "0"}),
        "decimal": book.add_format({"num_format": "#,##0.00"}),
    }
    widths = [len(str(title)) for title in header]
    for col, title in enumerate(header):
        sheet.write_string(0, col, str(title), bold)
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _xlsx_cell(sheet, number, col, value, formats)
            widths[col] = max(widths[col], _width(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width, 6), 60) + 2)
    book.close()
    return output.getvalue()


def _xlsx_cell(sheet, row: int, col: int, value: Any, formats: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), formats["moment"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["day"])
    elif is_number(value):
        shape = "integer" if isinstance(value, int) else "decimal"
        sheet.write_number(row, col, float(value), formats[shape])
    elif isinstance(value, Link):
        sheet.write_url(row, col, value.url, string=value.text or value.url)
    else:
        sheet.write_string(row, col, str(value))


def xlsx_response(sheet_name: str, header: list[str], rows: list[list], name: str) -> Response:
    return download(xlsx_bytes(sheet_name, header, rows), XLSX_TYPE, name)


PDF_VARIANT = "pdf/ua-1"  # tagged, with a structure tree and the document's language


def render_pdf(html: str) -> bytes:
    """Print HTML with WeasyPrint as tagged PDF/UA (the template gives
    `<html lang>` and a `<title>`)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=request.host_url).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_bytes(html: str) -> bytes:
    """The PDF of `html`, printed once per distinct content and kept on disk.

    The file is named after a hash of the HTML (and the printer), so any change
    to what the document shows (a moved meeting, an edited item, another
    reader's view) is another file, and an unchanged document is never printed
    twice, whichever worker asks. The oldest files go past PDF_CACHE_FILES."""
    import weasyprint

    key = hashlib.sha256(f"{weasyprint.__version__}|{PDF_VARIANT}|{html}".encode()).hexdigest()
    folder = Path(current_app.config["PDF_CACHE_DIR"])
    path = folder / f"{key}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render_pdf(html)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
    partial.write_bytes(data)
    os.replace(partial, path)  # atomic: a reader sees the whole file or none
    _prune(folder, int(current_app.config.get("PDF_CACHE_FILES", 500)))
    return data


def _prune(folder: Path, keep: int) -> None:
    files = list(folder.glob("*.pdf"))
    if len(files) <= keep:
        return

    def age(file: Path) -> float:
        try:
            return file.stat().st_mtime
        except FileNotFoundError:  # another worker pruned it meanwhile
            return 0.0

    files.sort(key=age)
    for old in files[: len(files) - keep]:
        old.unlink(missing_ok=True)


def pdf_response(html: str, name: str) -> Response:
    """The HTML printed by WeasyPrint, as a download."""
    return download(pdf_bytes(html), PDF_TYPE, name)
