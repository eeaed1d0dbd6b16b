"""Invitations that calendars accept: every mail of a meeting is parsed back
with Python's e-mail parser (policy=default) and its calendar part with the
icalendar library, as a mail client would."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import icalendar
import pytest
from flask import current_app
from sqlalchemy import select

from tafel import db
from tafel.core.mail import _email
from tafel.core.models import MailMessage
from tafel.core.timefmt import AMSTERDAM
from tafel.db import utcnow
from tafel.meetings import agenda, lifecycle
from tafel.meetings.base import MeetingError
from tafel.meetings.models import Meeting
from tafel.submissions.models import Submission, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import accepted, make_meeting


def parsed(message: MailMessage) -> email.message.EmailMessage:
    raw = bytes(_email(current_app.config, message))
    return email.message_from_bytes(raw, policy=policy.default)


def mails_to(address: str) -> list[MailMessage]:
    return list(
        db.session.scalars(
            select(MailMessage).where(MailMessage.recipient == address).order_by(MailMessage.id)
        )
    )


def calendar_of(mail) -> tuple[str, icalendar.Calendar]:
    """The calendar alternative: its Content-Type and the parsed calendar;
    the attached .ics must hold the same calendar."""
    parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    attached = [p for p in mail.iter_attachments() if p.get_filename().endswith(".ics")]
    assert attached and attached[0].get_content_type() == "application/ics"
    assert attached[0].get_content().decode().replace("\r\n", "\n") == part.get_content()
    return part["Content-Type"], icalendar.Calendar.from_ical(part.get_content())


def timeline(sub_id: int) -> dict[int, TimelineEvent]:
    rows = db.session.scalars(select(TimelineEvent).where(TimelineEvent.submission_id == sub_id))
    return {row.id: row for row in rows}


@pytest.fixture
def published(app):
    """A published meeting with one report on its agenda and two members."""
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        members = [
            make_user(email="lid@example.org", roles=("tafellid",)),
            make_user(email="voorzitter@example.org", roles=("voorzitter",)),
        ]
        meeting = make_meeting(secretariat, items=1, location="Den Haag")
        sub = accepted(visibility="openbaar")
        agenda.link_submission(meeting.items[0], sub, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        db.session.commit()
        return {
            "meeting": meeting.id,
            "sub": sub.id,
            "secretariat": secretariat.email,
            "members": [m.email for m in members],
        }


def test_published_meeting_sends_a_real_invitation(app, published):
    with app.test_request_context():
        meeting = db.session.get(Meeting, published["meeting"])
        (message,) = mails_to("lid@example.org")
        mail = parsed(message)
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["List-Unsubscribe"] == "<http://127.0.0.1:5000/account/#mail-heading>"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert '<html lang="nl">' in html and "<title>" in html
        local = meeting.starts_at.astimezone(AMSTERDAM)
        assert local.strftime("%H:%M") in text and "Plaats: Den Haag" in text
        assert "Agenda:" in text and "1. Agendapunt 1" in text
        assert str(local.year) in text
        content_type, cal = calendar_of(mail)
        assert content_type.params["method"] == "REQUEST"
        assert content_type.params["charset"].lower() == "utf-8"
        assert cal["METHOD"] == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
        assert str(event["ORGANIZER"]) == "mailto:secretariaat@tafel.example.org"
        attendees = {str(a): a.params for a in event["ATTENDEE"]}
        assert set(attendees) == {f"mailto:{a}" for a in published["members"]}
        for params in attendees.values():
            assert params["PARTSTAT"] == "NEEDS-ACTION" and params["RSVP"] == "TRUE"
        (alarm,) = event.walk("VALARM")
        assert alarm["TRIGGER"].dt == timedelta(days=-1)
        assert event["DTSTART"].dt == local


def test_moving_the_meeting_raises_sequence_and_says_what_changed(app, published, monkeypatch):
    with app.test_request_context():
        meeting = db.session.get(Meeting, published["meeting"])
        secretariat = meeting.created_by
        first = calendar_of(parsed(mails_to("lid@example.org")[0]))[1].walk("VEVENT")[0]
        old_day = meeting.starts_at
        later = utcnow() + timedelta(minutes=5)
        monkeypatch.setattr("tafel.meetings.invitations.utcnow", lambda: later)
        told = lifecycle.update_meeting(
            meeting,
            secretariat,
            title=meeting.title,
            starts_at=old_day + timedelta(hours=1),
            ends_at=meeting.ends_at + timedelta(hours=1),
            location="Utrecht",
            online_url="",
            description="",
        )
        db.session.commit()
        assert told
        update = parsed(mails_to("lid@example.org")[1])
        assert update["Subject"].startswith("Gewijzigd:")
        text = update.get_body(("plain",)).get_content()
        assert "Plaats: Den Haag → Utrecht" in text and "Tijd: " in text and " → " in text
        content_type, cal = calendar_of(update)
        assert content_type.params["method"] == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert event["SEQUENCE"] == 1 and event["UID"] == first["UID"]
        assert event["DTSTAMP"].dt > first["DTSTAMP"].dt
        assert event["LOCATION"] == "Utrecht"


def test_cancelling_sends_cancel_and_puts_reports_back(app, published):
    with app.test_request_context():
        meeting = db.session.get(Meeting, published["meeting"])
        chair = make_user(roles=("voorzitter",))
        before = set(timeline(published["sub"]))
        with pytest.raises(MeetingError):
            lifecycle.cancel(meeting, chair, "   ")
        assert lifecycle.cancel(meeting, chair, "De minister is verhinderd.") == 1
        db.session.commit()
        assert meeting.status == "geannuleerd" and meeting.cancel_reason
        sub = db.session.get(Submission, published["sub"])
        assert sub.status == "aanvaard"
        new = [event for key, event in timeline(sub.id).items() if key not in before]
        assert new and all(event.data.get("meeting") == meeting.id for event in new)
        assert any(event.data.get("status") == "aanvaard" for event in new)
        cancel = parsed(mails_to("lid@example.org")[-1])
        assert cancel["Subject"].startswith("Geannuleerd:")
        assert "De minister is verhinderd." in cancel.get_body(("plain",)).get_content()
        content_type, cal = calendar_of(cancel)
        assert content_type.params["method"] == "CANCEL" and cal["METHOD"] == "CANCEL"
        (event,) = cal.walk("VEVENT")
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
        assert not event.walk("VALARM")
        # A second cancellation finds the meeting already cancelled.
        with pytest.raises(MeetingError):
            lifecycle.cancel(meeting, chair, "Nog eens.")


@pytest.mark.parametrize(
    "role, code",
    [("tafellid", 403), ("departement", 403), ("voorzitter", 302), ("secretariaat", 302)],
)
def test_cancel_route_asks_its_policy(app, client, published, role, code):
    with app.app_context():
        make_user(email="actor@example.org", roles=(role,))
    login(client, "actor@example.org")
    url = f"/meetings/{published['meeting']}/cancel"
    if code == 302:
        assert post(client, url, {"reason": ""}).status_code == 422
    response = post(client, url, {"reason": "Verplaatst naar januari."})
    assert response.status_code == code
    with app.app_context():
        status = db.session.get(Meeting, published["meeting"]).status
        assert status == ("geannuleerd" if code == 302 else "gepubliceerd")
    if code == 302:
        page = client.get(f"/meetings/{published['meeting']}").get_data(as_text=True)
        assert "Deze vergadering is geannuleerd." in page and "Verplaatst naar januari." in page
