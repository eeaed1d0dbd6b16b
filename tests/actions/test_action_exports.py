"""Action items as CSV (csv), Excel (openpyxl) and a calendar of due dates
(icalendar): the rows the list shows the same user, with the same filters."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import icalendar
import openpyxl

from tafel import db
from tafel.core.timefmt import local_today
from tests.conftest import login
from tests.factories import make_user
from tests.responses.factories import due_submission, make_action, make_response, ministry


def data(app) -> dict:
    with app.test_request_context():
        public = make_response(due_submission("EZK", visibility="openbaar"), status="gepubliceerd")
        hidden = make_response(
            due_submission("EZK", visibility="vertrouwelijk"), status="gepubliceerd"
        )
        late = make_action(response=public, owner=ministry("EZK"), days=-3,
                           description="=Brief aan de Kamer")  # fmt: skip
        done = make_action(response=public, owner=ministry("IenW"), status="gerealiseerd")
        secret = make_action(response=hidden, owner=ministry("EZK"), description="Geheim plan")
        make_user(email="secr@example.org", roles=("secretariaat",))
        db.session.commit()
        return {"late": late.id, "done": done.id, "secret": secret.id, "sub": public.submission_id,
                "ezk": ministry("EZK").id}  # fmt: skip


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_and_xlsx_hold_what_the_list_shows(app, client):
    ids = data(app)
    rows = csv_rows(client.get("/actions/export.csv"))
    assert rows[0][:3] == ["Nummer", "Actiepunt", "Herkomst"]
    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == {ids["late"], ids["done"]}  # the confidential one stays out
    late = by_id[ids["late"]]
    assert late[1] == "'=Brief aan de Kamer" and late[3] == str(ids["sub"])
    assert late[5] == (local_today() - timedelta(days=3)).isoformat() and late[7] == "ja"
    assert late[9] == f"http://127.0.0.1:5000/actions/{ids['late']}"
    book = openpyxl.load_workbook(io.BytesIO(client.get("/actions/export.xlsx").data))
    sheet = book.active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {ids["late"], ids["done"]}
    assert cells[ids["late"]][1].value == "=Brief aan de Kamer"
    assert cells[ids["late"]][1].data_type == "s"
    assert cells[ids["late"]][5].is_date
    assert cells[ids["late"]][9].hyperlink.target.endswith(f"/actions/{ids['late']}")
    login(client, "secr@example.org")
    everything = {int(row[0]) for row in csv_rows(client.get("/actions/export.csv"))[1:]}
    assert everything == {ids["late"], ids["done"], ids["secret"]}
    owner = csv_rows(client.get(f"/actions/export.csv?ministry={ids['ezk']}"))
    assert {int(row[0]) for row in owner[1:]} == {ids["late"], ids["secret"]}


def test_due_dates_calendar_per_owner(app, client):
    ids = data(app)
    login(client, "secr@example.org")
    response = client.get(f"/actions/due.ics?ministry={ids['ezk']}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"action-{ids['late']}@tafel.example.org",
                           f"action-{ids['secret']}@tafel.example.org"}  # fmt: skip
    late = events[f"action-{ids['late']}@tafel.example.org"]
    assert late["DTSTART"].dt == local_today() - timedelta(days=3)
    assert isinstance(late["DTSTART"].dt, date)
    assert "Brief aan de Kamer" in str(late["SUMMARY"])
