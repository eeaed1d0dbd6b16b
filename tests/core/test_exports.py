"""The one export convention, read back with the clients people use: the
`csv` module as Excel's importer does (BOM, `;`, CRLF), and openpyxl for XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from tafel.core.exports import Link, csv_cell, csv_lines, csv_response, xlsx_bytes

HEADER = ["Nummer", "Titel", "Bedrag", "Datum", "Link"]
ROWS = [
    [1, "Netcongestie in de Eemshaven: €", Decimal("1234.5"), date(2026, 3, 1),
     Link("https://tafel.example/submissions/1", "1")],
    [2, "=HYPERLINK(\"http://evil\")", -3, date(2026, 3, 2), Link("https://tafel.example/x")],
    [3, "Gelijk =", 2.75, None, None],
]  # fmt: skip


def test_csv_convention_bom_semicolon_crlf_and_numbers(app):
    with app.test_request_context():
        response = csv_response(HEADER, ROWS, "proef.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == HEADER
    assert rows[1] == ["1", "Netcongestie in de Eemshaven: €", "1234.5", "2026-03-01",
                       "https://tafel.example/submissions/1"]  # fmt: skip
    assert float(rows[1][2]) == 1234.5
    # Numbers are never guarded (a negative number stays a number), text is.
    assert rows[2][1] == '\'=HYPERLINK("http://evil")' and rows[2][2] == "-3"
    assert rows[3] == ["3", "Gelijk =", "2.75", "", ""]


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-iets", "@SUM(A1)", "\tx", "\rx"])
def test_formula_guard_on_text_only(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell(-1) == "-1" and csv_cell(-0.5) == "-0.5" and csv_cell(True) == "True"


def test_streamed_lines_are_the_same_as_the_whole_file():
    assert "".join(csv_lines(HEADER, ROWS)).startswith("\ufeffNummer;Titel")


def test_xlsx_convention_read_with_openpyxl():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("Proef", HEADER, ROWS)))
    sheet = book["Proef"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    first = [cell.value for cell in sheet[2]]
    assert first[0] == 1 and isinstance(first[0], int)
    assert first[2] == 1234.5 and sheet["C2"].number_format == "#,##0.00"
    assert first[3] == datetime(2026, 3, 1) and sheet["D2"].is_date
    assert sheet["E2"].hyperlink.target == "https://tafel.example/submissions/1"
    assert sheet["E2"].value == "1"
    # Text that looks like a formula stays text.
    assert sheet["B3"].value == '=HYPERLINK("http://evil")' and sheet["B3"].data_type == "s"
    assert sheet["C3"].value == -3
    assert sheet["D4"].value is None
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
