"""Meeting PDFs are tagged PDF/UA (read back with pypdf), printed once per
version of the meeting and printed again after any change to it."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tafel import db
from tafel.core import exports
from tafel.meetings import lifecycle
from tafel.meetings.models import Meeting
from tests.factories import make_user
from tests.meetings.factories import make_meeting, pdf_text


def assert_tagged(data: bytes, lang: str = "nl") -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    assert reader.metadata.title
    return reader


def test_agenda_pdf_is_tagged_and_printed_once_per_version(app, client, monkeypatch):
    printed: list[int] = []
    real = exports.render_pdf

    def counting(html: str) -> bytes:
        printed.append(1)
        return real(html)

    monkeypatch.setattr(exports, "render_pdf", counting)
    with app.app_context():
        meeting = make_meeting(items=2, status="gepubliceerd", title="Tafel van december")
        meeting_id, secretariat_id = meeting.id, meeting.created_by_id
    url = f"/meetings/{meeting_id}/agenda.pdf"
    first = client.get(url)
    assert first.status_code == 200
    reader = assert_tagged(first.data)
    assert reader.metadata.title == "Tafel van december"
    assert client.get(url).data == first.data
    assert len(printed) == 1
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        lifecycle.update_meeting(
            meeting,
            db.session.get(type(meeting.created_by), secretariat_id),
            title="Tafel van december (verplaatst)",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            location="Utrecht",
            online_url="",
            description="",
        )
        db.session.commit()
    changed = client.get(url)
    assert len(printed) == 2
    assert "Utrecht" in pdf_text(changed.data) and "verplaatst" in pdf_text(changed.data)
    # In English the document says so.
    english = client.get(url, headers={"Accept-Language": "en"})
    assert_tagged(english.data, "en")


def test_minutes_pdf_is_tagged(app, client):
    with app.app_context():
        secretariat = make_user(email="secr@example.org", roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=-1, items=1, status="gehouden")
        meeting_id = meeting.id
    from tests.conftest import login

    login(client, "secr@example.org")
    response = client.get(f"/meetings/{meeting_id}/minutes.pdf")
    assert response.status_code == 200
    assert_tagged(response.data)


def test_meeting_pack_has_contents_invitees_statuses_and_documents(app, client):
    import re

    from tafel.meetings import agenda, attendance
    from tests.conftest import login
    from tests.meetings.test_exports import upload
    from tests.responses.factories import due_submission
    from tests.submissions.helpers import PDF

    with app.test_request_context():
        secretariat = make_user(email="secr@example.org", roles=("secretariaat",))
        anna = make_user(roles=("tafellid",))
        bram = make_user(roles=("tafellid",))
        meeting = make_meeting(secretariat, items=1)
        sub = due_submission("EZK", visibility="openbaar", title="Netcongestie Eemshaven")
        agenda.link_submission(meeting.items[0], sub, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        attendance.rsvp(meeting, anna, "aanwezig")
        db.session.commit()
        meeting_id, item_id, names = meeting.id, meeting.items[0].id, (anna.name, bram.name)
    login(client, "secr@example.org")
    assert (
        upload(client, meeting_id, PDF, "notitie-netcongestie.pdf", "tafel", item_id).status_code
        == 302
    )
    response = client.get(f"/meetings/{meeting_id}/agenda.pdf")
    assert_tagged(response.data)
    text = " ".join(pdf_text(response.data).split())
    assert "Inhoud" in text
    # The table of contents gives each part's page number.
    assert re.search(r"Genodigden en hun antwoord[ .]*\d+", text)
    assert f"{names[0]}" in text and "Aanwezig" in text
    assert f"{names[1]}" in text and "Nog geen antwoord" in text
    assert "Status: Geagendeerd · Reactie ministerie: Nog geen reactie, uiterlijk" in text
    assert "notitie-netcongestie.pdf" in text and "Stukken bij dit punt" in text
