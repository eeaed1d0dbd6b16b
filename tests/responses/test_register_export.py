"""The responses register ("pas toe of leg uit") as CSV and Excel, read back
with csv and openpyxl; only what the reader may read."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl

from tafel import db
from tests.conftest import login
from tests.factories import make_user
from tests.responses.factories import due_submission, make_response


def test_register_lists_published_responses_with_timeliness(app, client):
    with app.test_request_context():
        on_time = make_response(
            due_submission("EZK", visibility="openbaar"), status="gepubliceerd", outcome="deels",
            explanation="Deels: de regeling blijft.",
        )  # fmt: skip
        on_time.due_date = date(2026, 5, 1)
        on_time.published_at = datetime(2026, 4, 20, 10, tzinfo=UTC)
        late = make_response(due_submission("IenW", visibility="openbaar"), status="gepubliceerd")
        late.due_date = date(2026, 5, 1)
        late.published_at = datetime(2026, 5, 3, 10, tzinfo=UTC)
        table = make_response(due_submission("EZK", visibility="tafel"), status="gepubliceerd")
        make_response(due_submission("EZK", visibility="openbaar"))  # a draft
        make_user(email="lid@example.org", roles=("tafellid",))
        db.session.commit()
        ids = (on_time.submission_id, late.submission_id, table.submission_id)
    response = client.get("/responses/register.csv")
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:4] == ["Melding", "Titel", "Ministerie", "Uitkomst"]
    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == {ids[0], ids[1]}
    assert by_id[ids[0]][3:5] == ["Deels overnemen", "Deels: de regeling blijft."]
    assert by_id[ids[0]][6:9] == ["2026-05-01", "2026-04-20", "ja"]
    assert by_id[ids[1]][8] == "nee"
    login(client, "lid@example.org")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/responses/register.xlsx").data))
    sheet = book.active
    found = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert found == set(ids)
    assert sheet["G2"].is_date and sheet["J2"].hyperlink is not None
