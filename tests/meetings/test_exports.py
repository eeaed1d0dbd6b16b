"""The exports of a meeting: the .ics download and invitations, the personal
feed, the agenda PDF, and documents; each shows a user only what the meeting
page shows that user."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update

from tafel import db
from tafel.accounts.models import User
from tafel.core.models import MailMessage
from tafel.meetings import agenda, lifecycle
from tafel.meetings.models import Meeting, MeetingDocument
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import accepted, make_meeting, pdf_text
from tests.submissions.helpers import PDF

# 12 December 2030, 13:30 in Amsterdam (winter time, UTC+1).
DECEMBER = datetime(2030, 12, 12, 12, 30, tzinfo=UTC)
# 12 June 2030, 13:30 in Amsterdam (summer time, UTC+2).
JUNE = datetime(2030, 6, 12, 11, 30, tzinfo=UTC)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(data: bytes):
    events = parse(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


# The .ics -------------------------------------------------------------------------------


def test_ics_times_are_the_right_instant_in_amsterdam(app, client):
    with app.app_context():
        winter = make_meeting(starts_at=DECEMBER, hours=3, items=1, status="gepubliceerd")
        summer = make_meeting(starts_at=JUNE, hours=2, items=1, status="gepubliceerd")
        ids = {"winter": winter.id, "summer": summer.id}
    for name, start, hours, local in [
        ("winter", DECEMBER, 3, "13:30"),
        ("summer", JUNE, 2, "13:30"),
    ]:
        response = client.get(f"/meetings/{ids[name]}.ics")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        cal = parse(response.data)
        event = only_event(response.data)
        dtstart, dtend = event["DTSTART"], event["DTEND"]
        assert dtstart.params["TZID"] == "Europe/Amsterdam"
        assert dtend.params["TZID"] == "Europe/Amsterdam"
        assert dtstart.dt.astimezone(UTC) == start
        assert dtend.dt.astimezone(UTC) == start + timedelta(hours=hours)
        assert dtstart.dt.strftime("%H:%M") == local
        zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
        assert zones == ["Europe/Amsterdam"]
        assert str(event["UID"]) == f"meeting-{ids[name]}@tafel.example.org"


def test_moving_a_published_meeting_raises_the_sequence_and_tells_members(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(roles=("tafellid",))
        meeting = make_meeting(
            secretariat, starts_at=DECEMBER, items=1, status="gepubliceerd", title="Najaarsoverleg"
        )
        meeting_id, email, member_email = meeting.id, secretariat.email, member.email

    first = only_event(client.get(f"/meetings/{meeting_id}.ics").data)
    assert int(first["SEQUENCE"]) == 0

    def edit(start: str, end: str, title: str = "Najaarsoverleg"):
        return post(
            client,
            f"/meetings/{meeting_id}/edit",
            {
                "title": title,
                "day": "2030-12-12",
                "start_time": start,
                "end_time": end,
                "location": "Bezuidenhoutseweg 73, Den Haag",
            },
        )

    def mails() -> list[tuple[str, str | None, str | None]]:
        with app.app_context():
            return list(
                db.session.execute(
                    select(
                        MailMessage.subject,
                        MailMessage.attachment_name,
                        MailMessage.attachment_text,
                    )
                    .where(MailMessage.recipient == member_email)
                    .order_by(MailMessage.id)
                )
            )

    assert len(mails()) == 1  # the invitation on publishing
    login(client, email)
    # A new title only: no new invitation, the same sequence.
    assert edit("13:30", "16:30", "Najaarsoverleg van de tafel").status_code == 302
    assert len(mails()) == 1
    assert int(only_event(client.get(f"/meetings/{meeting_id}.ics").data)["SEQUENCE"]) == 0
    # Half an hour later.
    response = edit("14:00", "17:00", "Najaarsoverleg van de tafel")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De wijziging is opgeslagen; de tafelleden hebben een bijgewerkte uitnodiging." in page

    moved = only_event(client.get(f"/meetings/{meeting_id}.ics").data)
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].dt.astimezone(UTC) == DECEMBER + timedelta(minutes=30)
    assert moved["DTEND"].dt.astimezone(UTC) == DECEMBER + timedelta(hours=3, minutes=30)

    sent = mails()
    assert len(sent) == 2
    subject, attachment_name, attachment_text = sent[-1]
    assert subject == "Gewijzigd: vergadering van 12 december 2030"
    assert attachment_name == f"vergadering-{meeting_id}.ics"
    attached = only_event(attachment_text.encode())
    assert str(attached["UID"]) == str(first["UID"])
    assert int(attached["SEQUENCE"]) == 1
    assert attached["DTSTART"].dt.astimezone(UTC) == DECEMBER + timedelta(minutes=30)
    assert attached["DTSTART"].params["TZID"] == "Europe/Amsterdam"


# The personal feed ----------------------------------------------------------------------

FEED_RE = re.compile(r"/meetings/feed/([A-Za-z0-9_-]+)\.ics")


def new_feed(client) -> str:
    response = post(client, "/meetings/feed")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    match = FEED_RE.search(page)
    assert match, "no feed address on the page"
    return f"/meetings/feed/{match.group(1)}.ics"


def test_personal_feed_lists_the_non_concept_meetings(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(roles=("tafellid",))
        ids = {}
        for status, days in [
            ("concept", 20),
            ("gepubliceerd", 10),
            ("gehouden", -10),
            ("notulen_vastgesteld", -40),
        ]:
            meeting = make_meeting(
                secretariat,
                days=days,
                items=1,
                status="gehouden" if status == "notulen_vastgesteld" else status,
                title=f"Vergadering {status}",
            )
            ids[status] = meeting.id
        db.session.execute(
            update(Meeting)
            .where(Meeting.id == ids["notulen_vastgesteld"])
            .values(status="notulen_vastgesteld")
        )
        db.session.commit()
        email = member.email
    login(client, email)
    url = new_feed(client)
    post(client, "/auth/logout")

    response = client.get(url)  # calendars fetch the feed without a session
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    uids = {str(event["UID"]) for event in parse(response.data).walk("VEVENT")}
    assert uids == {
        f"meeting-{ids[status]}@tafel.example.org"
        for status in ("gepubliceerd", "gehouden", "notulen_vastgesteld")
    }

    login(client, email)
    renewed = new_feed(client)
    assert renewed != url
    assert client.get(url).status_code == 404
    assert client.get(renewed).status_code == 200

    response = post(client, "/meetings/feed/revoke")
    assert response.status_code == 302
    assert "Uw agenda-adres is ingetrokken." in client.get("/meetings/").get_data(as_text=True)
    assert client.get(renewed).status_code == 404
    assert client.get("/meetings/feed/nonsense.ics").status_code == 404


def test_submitters_have_no_feed(app, client):
    with app.app_context():
        email = make_user(roles=("indiener",)).email
    login(client, email)
    assert post(client, "/meetings/feed").status_code == 403
    assert "Agenda-adres maken" not in client.get("/meetings/").get_data(as_text=True)


# The agenda PDF -------------------------------------------------------------------------


def test_agenda_pdf_lists_every_item_with_its_start_time(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, starts_at=DECEMBER, hours=3)
        for title, minutes in [
            ("Opening", 10),
            ("Netcongestie", 25),
            ("Stikstofruimte", 45),
            ("Rondvraag", 15),
        ]:
            agenda.add_item(
                meeting,
                secretariat,
                title=title,
                kind="bespreking",
                duration_minutes=minutes,
                presenter="",
                description="",
            )
        lifecycle.publish(meeting, secretariat)
        db.session.commit()
        meeting_id = meeting.id
    response = client.get(f"/meetings/{meeting_id}/agenda.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for position, (title, start, end) in enumerate(
        [
            ("Opening", "13:30", "13:40"),
            ("Netcongestie", "13:40", "14:05"),
            ("Stikstofruimte", "14:05", "14:50"),
            ("Rondvraag", "14:50", "15:05"),
        ],
        start=1,
    ):
        assert f"{position}. {title}" in text
        assert f"{start}–{end}" in text


def test_agenda_pdf_footer_prints_the_title_as_written(app, client):
    with app.app_context():
        meeting = make_meeting(
            starts_at=DECEMBER, items=1, status="gepubliceerd", title='R&D-overleg "Chips" <2030>'
        )
        meeting_id = meeting.id
    text = pdf_text(client.get(f"/meetings/{meeting_id}/agenda.pdf").data)
    assert 'R&D-overleg "Chips" <2030> · 12 december 2030' in text
    assert "&amp;" not in text


# Visibility -----------------------------------------------------------------------------


def meeting_with_table_item(app) -> dict:
    """A published meeting: item 1 about a public submission, item 2 about a
    submission only the table may read."""
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, starts_at=DECEMBER, hours=3)
        public = accepted(visibility="openbaar", title="Openbare melding over netcongestie")
        closed = accepted(visibility="tafel", title="Tafelmelding over exportvergunningen")
        for title, sub in [("Netcongestie", public), ("Exportcontrole", closed)]:
            item = agenda.add_item(
                meeting,
                secretariat,
                title=title,
                kind="bespreking",
                duration_minutes=30,
                presenter="",
                description="",
            )
            agenda.link_submission(item, sub, secretariat)
        lifecycle.publish(meeting, secretariat)
        db.session.commit()
        return {
            "meeting": meeting.id,
            "public_item": meeting.items[0].id,
            "table_item": meeting.items[1].id,
            "closed_org": closed.organisation_id,
        }


def seen(client, meeting_id: int) -> dict[str, str]:
    page = client.get(f"/meetings/{meeting_id}")
    pdf = client.get(f"/meetings/{meeting_id}/agenda.pdf")
    ics = client.get(f"/meetings/{meeting_id}.ics")
    assert page.status_code == pdf.status_code == ics.status_code == 200
    return {
        "page": page.get_data(as_text=True),
        "pdf": pdf_text(pdf.data),
        "ics": str(only_event(ics.data)["DESCRIPTION"]),
    }


def test_table_items_are_hidden_from_the_public(app, client):
    ids = meeting_with_table_item(app)
    with app.app_context():
        outsider = make_user(roles=("indiener",)).email
        member = make_user(roles=("tafellid",)).email
        own = make_user(roles=("indiener",)).email
        from tafel.accounts.models import User

        db.session.scalars(select(User).where(User.email == own)).one().organisation_id = ids[
            "closed_org"
        ]
        db.session.commit()

    for who in (None, outsider):
        if who:
            login(client, who)
        views = seen(client, ids["meeting"])
        for where, text in views.items():
            assert "Netcongestie" in text, (who, where)
            assert "Exportcontrole" not in text, (who, where)
            assert "exportvergunningen" not in text, (who, where)
        assert "1 punt is alleen zichtbaar voor de tafel." in views["page"]
        assert "Openbare melding over netcongestie" in views["page"]
        assert "14:00" not in views["ics"]  # the hidden item's start time
        if who:
            post(client, "/auth/logout")

    for who in (member, own):
        login(client, who)
        views = seen(client, ids["meeting"])
        for where, text in views.items():
            assert "Netcongestie" in text, (who, where)
            assert "Exportcontrole" in text, (who, where)
        assert "14:00  2. Exportcontrole" in views["ics"]
        assert "Tafelmelding over exportvergunningen" in views["page"]
        assert "alleen zichtbaar voor de tafel" not in views["page"]
        post(client, "/auth/logout")


# Documents ------------------------------------------------------------------------------


def upload(client, meeting_id: int, content: bytes, name: str, visibility: str, item=""):
    return post(
        client,
        f"/meetings/{meeting_id}/documents",
        {"file": (io.BytesIO(content), name), "visibility": visibility, "item": str(item)},
        content_type="multipart/form-data",
    )


def documents() -> list[MeetingDocument]:
    return list(db.session.scalars(select(MeetingDocument).order_by(MeetingDocument.id)))


def test_documents_are_checked_and_shown_only_to_their_readers(app, client):
    ids = meeting_with_table_item(app)
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",)).email
        member = make_user(roles=("tafellid",)).email
        other = make_meeting(items=1, status="gepubliceerd", days=30).id
    meeting_id = ids["meeting"]
    login(client, secretariat)

    # A text file with a PDF name is refused, with its name in the message.
    response = upload(client, meeting_id, b"Dit is geen PDF.\n", "x.pdf", "openbaar")
    assert response.status_code == 422
    assert (
        "Het bestand x.pdf heeft een type dat niet is toegestaan. "
        "Toegestaan zijn PDF, DOCX, XLSX, ODT, ODS, PNG en JPEG."
    ) in response.get_data(as_text=True)
    with app.app_context():
        assert documents() == []

    assert upload(client, meeting_id, PDF, "notitie.pdf", "tafel").status_code == 302
    assert upload(client, meeting_id, PDF, "agenda.pdf", "openbaar").status_code == 302
    # Public, but attached to the item about a table-only submission.
    response = upload(client, meeting_id, PDF, "bijlage.pdf", "openbaar", ids["table_item"])
    assert response.status_code == 302
    with app.app_context():
        rows = documents()
        assert [(d.original_name, d.visibility) for d in rows] == [
            ("notitie.pdf", "tafel"),
            ("agenda.pdf", "openbaar"),
            ("bijlage.pdf", "openbaar"),
        ]
        table_doc, public_doc, item_doc = (d.id for d in rows)
    base = f"/meetings/{meeting_id}/documents"
    assert "Het document is toegevoegd." in client.get(f"/meetings/{meeting_id}/agenda").get_data(
        as_text=True
    )
    post(client, "/auth/logout")

    # Anonymous: only the public document of the meeting as a whole.
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "agenda.pdf" in page
    assert "notitie.pdf" not in page and "bijlage.pdf" not in page
    response = client.get(f"{base}/{public_doc}")
    assert response.status_code == 200 and response.data == PDF
    assert client.get(f"{base}/{table_doc}").status_code == 404
    assert client.get(f"{base}/{item_doc}").status_code == 404

    # A table member reads all three; a guessed id is 404 for everyone.
    login(client, member)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "notitie.pdf" in page and "bijlage.pdf" in page
    for document_id in (table_doc, public_doc, item_doc):
        response = client.get(f"{base}/{document_id}")
        assert response.status_code == 200 and response.data == PDF
    assert client.get(f"/meetings/{other}/documents/{public_doc}").status_code == 404
    assert client.get(f"{base}/{item_doc + 1000}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(MeetingDocument.id))) == 3


def test_the_feed_stops_when_the_user_loses_the_role_that_granted_it(app, client):
    """Audit finding 13."""
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        make_meeting(secretariat, days=10, items=1, status="gepubliceerd")
        member = make_user(roles=("tafellid",))
        email, member_id = member.email, member.id
    login(client, email)
    url = new_feed(client)
    post(client, "/auth/logout")
    assert client.get(url).status_code == 200
    with app.app_context():
        db.session.get(User, member_id).set_roles({"indiener"})
        db.session.commit()
    assert client.get(url).status_code == 404
    with app.app_context():
        db.session.get(User, member_id).set_roles({"tafellid"})
        db.session.commit()
    assert client.get(url).status_code == 200  # the same address works again with the role


@pytest.mark.parametrize("path", ["minutes", "discussed"])
def test_a_hidden_item_is_404_before_any_403(app, client, path):
    """Audit finding 14: the minutes of an item about a submission the reader
    may not see answer 404, exactly like an item that does not exist."""
    ids = meeting_with_table_item(app)
    with app.app_context():
        outsider = make_user(roles=("indiener",)).email
    login(client, outsider)
    base = f"/meetings/{ids['meeting']}/items"
    send = client.get if path == "minutes" else (lambda url: post(client, url))
    assert send(f"{base}/{ids['public_item']}/{path}").status_code == 403  # seen, not allowed
    assert send(f"{base}/{ids['table_item']}/{path}").status_code == 404  # hidden
    assert send(f"{base}/999999/{path}").status_code == 404  # absent: the same answer


JOIN = "https://meet.example.org/tafel-geheim-123"


def _join_everywhere(client, meeting_id: int) -> dict[str, bool]:
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    pdf = pdf_text(client.get(f"/meetings/{meeting_id}/agenda.pdf").data).replace("\n", "")
    event = only_event(client.get(f"/meetings/{meeting_id}.ics").data)
    ics = str(event["DESCRIPTION"]) + str(event["LOCATION"])
    return {
        "page": "tafel-geheim-123" in page,
        "pdf": "tafel-geheim-123" in pdf,
        "ics": "tafel-geheim-123" in ics,
    }


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (None, False),
        ("indiener", False),
        ("departement", False),
        ("tafellid", True),
        ("voorzitter", True),
        ("secretariaat", True),
    ],
)
def test_the_join_link_is_only_for_invitees_the_chair_and_the_secretariat(app, client, role, sees):
    """Audit: the meeting's online join link was shown to anonymous visitors."""
    with app.app_context():
        meeting = make_meeting(
            starts_at=DECEMBER, items=1, status="gepubliceerd", location="", online_url=JOIN
        )
        meeting_id = meeting.id
        email = make_user(roles=(role,)).email if role else None
    if email:
        login(client, email)
    assert _join_everywhere(client, meeting_id) == {"page": sees, "pdf": sees, "ics": sees}
