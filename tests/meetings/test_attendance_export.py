"""Attendance per meeting as CSV (read with csv): every member with
organisation, constituency, reply and recorded presence; table roles only."""

from __future__ import annotations

import csv
import io

import pytest

from tafel import db
from tafel.meetings import attendance
from tests.conftest import login
from tests.factories import make_org, make_user
from tests.meetings.factories import make_meeting


@pytest.fixture
def meeting_id(app):
    with app.test_request_context():
        secretariat = make_user(email="secr@example.org", roles=("secretariaat",))
        anna = make_user(email="anna@example.org", roles=("tafellid",),
                         org=make_org("universiteit", name="TU Delft"))  # fmt: skip
        make_user(email="bram@example.org", roles=("tafellid",), org=make_org(name="Bram B.V."))
        make_user(email="indiener@example.org")
        meeting = make_meeting(secretariat, days=-0.01, items=1, status="gepubliceerd")
        attendance.rsvp(meeting, anna, "vervanger", "Dr. Jansen")
        attendance.record_presence(meeting, secretariat, {anna.id: ("vervanger", "Dr. Jansen")})
        db.session.commit()
        return meeting.id


WHO = [(None, 404), ("indiener@example.org", 404), ("anna@example.org", 200),
       ("secr@example.org", 200)]  # fmt: skip


@pytest.mark.parametrize("who, code", WHO)
def test_attendance_csv(app, client, meeting_id, who, code):
    if who:
        login(client, who)
    response = client.get(f"/meetings/{meeting_id}/attendance.csv")
    assert response.status_code == code
    if code != 200:
        return
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][1:] == ["Naam", "Organisatie", "Geleding", "Aangemeld", "Vastgelegd",
                           "Vervanger"]  # fmt: skip
    by_org = {row[2]: row for row in rows[1:]}
    assert set(by_org) == {"TU Delft", "Bram B.V."}  # the members, not the submitter
    assert by_org["TU Delft"][3:] == ["Kennisinstellingen", "Vervanger", "Vervanger", "Dr. Jansen"]
    assert by_org["Bram B.V."][4:] == ["", "", ""]
