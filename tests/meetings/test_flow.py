"""The meeting's life through the pages: create, build, publish, reply, record."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.core.models import MailMessage
from tafel.meetings.models import AgendaItem, Meeting
from tafel.submissions.models import Submission, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import accepted, make_meeting


def test_secretariat_creates_builds_and_publishes(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(roles=("tafellid",))
        sub = accepted(visibility="openbaar")
        sub_id, sub_title, email, member_email = sub.id, sub.title, secretariat.email, member.email
    run_creation(app, client, sub_id, sub_title, email, member_email)


def run_creation(app, client, sub_id, sub_title, email, member_email):
    login(client, email)
    response = post(
        client,
        "/meetings/new",
        {
            "title": "Derde vergadering",
            "day": "2030-12-12",
            "start_time": "13:30",
            "end_time": "16:30",
            "location": "Den Haag",
            "standard_items": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        meeting = db.session.scalars(select(Meeting)).one()
        assert [i.title for i in meeting.items] == [
            "Opening en vaststellen agenda",
            "Rondvraag en sluiting",
        ]
        meeting_id = meeting.id
    page = client.get(f"/meetings/{meeting_id}/agenda").get_data(as_text=True)
    assert sub_title in page
    response = post(client, f"/meetings/{meeting_id}/schedule", {"submission": sub_id, "item": ""})
    assert response.status_code == 302
    with app.app_context():
        titles = db.session.scalars(
            select(AgendaItem.title)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
        assert titles == ["Opening en vaststellen agenda", sub_title, "Rondvraag en sluiting"]
    response = post(client, f"/meetings/{meeting_id}/publish", {})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "geagendeerd"
        event = db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.submission_id == sub_id)
            .order_by(TimelineEvent.id)
        ).all()[-1]
        assert event.kind == "meeting" and event.data["day"] == "2030-12-12"
        mails = db.session.scalars(
            select(MailMessage).where(MailMessage.recipient == member_email)
        ).all()
        assert mails and mails[0].attachment_name.endswith(".ics")
    detail = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Geagendeerd voor de vergadering van 12 december 2030" in detail
    assert client.get(f"/meetings/{meeting_id}").status_code == 200
    assert client.get(f"/meetings/{meeting_id}/agenda.pdf").status_code == 200
    assert client.get(f"/meetings/{meeting_id}.ics").status_code == 200
    assert client.get("/meetings/").status_code == 200


def test_member_replies_and_secretariat_records(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(roles=("tafellid",))
        meeting = make_meeting(secretariat, items=2, status="gepubliceerd", days=-0.01)
        first_item = meeting.items[0].id
        ids = (secretariat.email, member.email, member.id, meeting.id, first_item)
    run_recording(client, *ids)


def run_recording(client, secretariat_email, member_email, member_id, meeting_id, item_id):
    login(client, member_email)
    response = post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "vervanger"})
    assert response.status_code == 422
    assert "Geef de naam van uw vervanger." in response.get_data(as_text=True)
    response = post(
        client, f"/meetings/{meeting_id}/rsvp", {"answer": "vervanger", "substitute": "Piet"}
    )
    assert response.status_code == 302
    post(client, "/auth/logout")
    login(client, secretariat_email)
    assert client.get(f"/meetings/{meeting_id}/attendance").status_code == 200
    response = post(
        client, f"/meetings/{meeting_id}/attendance", {f"presence-{member_id}": "aanwezig"}
    )
    assert response.status_code == 302
    response = post(
        client,
        f"/meetings/{meeting_id}/items/{item_id}/minutes",
        {"text": "Eerste versie", "base_revision": "0"},
    )
    assert response.status_code == 302
    response = post(
        client,
        f"/meetings/{meeting_id}/items/{item_id}/minutes",
        {"text": "Tweede versie", "base_revision": "1"},
    )
    assert response.status_code == 302
    page = client.get(f"/meetings/{meeting_id}/items/{item_id}/minutes").get_data(as_text=True)
    assert "Versie 2" in page and "<del>" in page
    assert post(client, f"/meetings/{meeting_id}/items/{item_id}/discussed").status_code == 302
    assert post(client, f"/meetings/{meeting_id}/held").status_code == 302
    assert client.get(f"/meetings/{meeting_id}/minutes.pdf").status_code == 200
