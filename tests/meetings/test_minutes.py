"""Minutes approved at the next meeting, addenda afterwards, and what
recording a meeting does to the submissions on its agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tafel import db
from tafel.core.models import AuditEntry, MailMessage
from tafel.core.timefmt import local_day
from tafel.db import utcnow
from tafel.meetings import agenda, lifecycle, minutes
from tafel.meetings.models import AgendaItem, AgendaLink, Meeting, MinutesAddendum
from tafel.submissions.models import Submission, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import accepted, make_meeting, pdf_text

# 12 December 2030, 13:30 in Amsterdam.
DECEMBER = datetime(2030, 12, 12, 12, 30, tzinfo=UTC)


def test_minutes_are_approved_at_the_next_meeting(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        chair = make_user(roles=("voorzitter",))
        member = make_user(roles=("tafellid",))
        earlier = make_meeting(
            secretariat, days=-14, items=1, status="gehouden", title="Septemberoverleg"
        )
        minutes.save_minutes(earlier.items[0], secretariat, "Afgesproken: een werkgroep.", 0)
        db.session.commit()
        ids = {
            "earlier": earlier.id,
            "earlier_item": earlier.items[0].id,
            "secretariat": secretariat.email,
            "chair": chair.email,
            "chair_id": chair.id,
            "member": member.email,
        }

    # The secretariat prepares the next meeting with the standard items.
    login(client, ids["secretariat"])
    response = post(
        client,
        "/meetings/new",
        {
            "title": "Oktoberoverleg",
            "day": "2030-12-12",
            "start_time": "13:30",
            "end_time": "16:30",
            "location": "Den Haag",
            "standard_items": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        later = db.session.scalars(select(Meeting).where(Meeting.title == "Oktoberoverleg")).one()
        assert [(i.position, i.title) for i in later.items] == [
            (1, "Opening en vaststellen agenda"),
            (2, "Vaststellen notulen vorige vergadering"),
            (3, "Rondvraag en sluiting"),
        ]
        approval = later.items[1]
        assert approval.approves_meeting_id == ids["earlier"]
        ids |= {"later": later.id, "approval": approval.id}
    assert post(client, f"/meetings/{ids['later']}/publish").status_code == 302
    post(client, "/auth/logout")
    approve_url = f"/meetings/{ids['later']}/items/{ids['approval']}/approve"

    # Before the meeting has begun, not even the chair can approve.
    login(client, ids["chair"])
    page = client.get(f"/meetings/{ids['later']}").get_data(as_text=True)
    assert "Notulen van" in page and "Septemberoverleg" in page
    assert "Notulen vaststellen" not in page
    assert post(client, approve_url).status_code == 403

    # The meeting begins.
    with app.app_context():
        start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
        db.session.execute(
            update(Meeting)
            .where(Meeting.id == ids["later"])
            .values(starts_at=start, ends_at=start + timedelta(hours=3))
        )
        db.session.commit()
    post(client, "/auth/logout")
    login(client, ids["member"])
    assert post(client, approve_url).status_code == 403
    post(client, "/auth/logout")

    login(client, ids["chair"])
    page = client.get(f"/meetings/{ids['later']}").get_data(as_text=True)
    assert "Notulen vaststellen" in page
    response = post(client, approve_url)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De notulen van ‘Septemberoverleg’ zijn vastgesteld." in page
    assert "Notulen vaststellen" not in page
    with app.app_context():
        earlier = db.session.get(Meeting, ids["earlier"])
        assert earlier.status == "notulen_vastgesteld"
        assert earlier.minutes_approved_in_id == ids["later"]
        assert earlier.minutes_approved_at is not None
        assert db.session.get(AgendaItem, ids["approval"]).discussed_at is not None
        entry = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "meeting.minutes_approved",
                AuditEntry.object_type == "Meeting",
                AuditEntry.object_id == ids["earlier"],
            )
        ).one()
        assert entry.actor_id == ids["chair_id"]
        assert entry.after["status"] == "notulen_vastgesteld"
        assert entry.after["approved_in"] == ids["later"]
        day = approved_day(app, earlier.minutes_approved_at)
    # Approved once: a second time is not possible.
    assert post(client, approve_url).status_code == 403
    post(client, "/auth/logout")

    # Approved minutes are public, with where they were approved.
    page = client.get(f"/meetings/{ids['earlier']}").get_data(as_text=True)
    assert "Afgesproken: een werkgroep." in page
    assert f"Vastgesteld op {day} in" in page and "Oktoberoverleg" in page
    assert client.get(f"/meetings/{ids['earlier']}/minutes.pdf").status_code == 200

    # The chair cannot add to them; the secretariat can, as a dated addendum.
    addenda_url = f"/meetings/{ids['earlier']}/addenda"
    login(client, ids["chair"])
    assert post(client, addenda_url, {"text": "Iets", "item": ""}).status_code == 403
    post(client, "/auth/logout")
    login(client, ids["secretariat"])
    response = post(client, addenda_url, {"text": "   ", "item": ""})
    assert response.status_code == 422
    response = post(
        client,
        addenda_url,
        {"text": "Correctie: de werkgroep start in november.", "item": ""},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De aanvulling is toegevoegd aan de notulen." in page
    post(client, "/auth/logout")
    page = client.get(f"/meetings/{ids['earlier']}").get_data(as_text=True)
    assert "Correctie: de werkgroep start in november." in page
    assert "Afgesproken: een werkgroep." in page  # the approved text stays
    with app.app_context():
        assert len(db.session.scalars(select(MinutesAddendum)).all()) == 1
        assert db.session.get(AgendaItem, ids["earlier_item"]).minutes == (
            "Afgesproken: een werkgroep."
        )


def approved_day(app, when) -> str:
    with app.test_request_context():
        return local_day(when)


def test_without_a_held_meeting_the_standard_items_are_numbered_on(app, client):
    with app.app_context():
        email = make_user(roles=("secretariaat",)).email
    login(client, email)
    response = post(
        client,
        "/meetings/new",
        {
            "title": "Eerste vergadering",
            "day": "2030-12-12",
            "start_time": "13:30",
            "end_time": "16:30",
            "location": "Den Haag",
            "standard_items": "y",
        },
    )
    assert response.status_code == 302
    meeting_url = response.headers["Location"].removesuffix("/agenda")
    response = post(
        client,
        f"{meeting_url}/items",
        {"title": "Netcongestie", "kind": "bespreking", "duration_minutes": "30"},
    )
    assert response.status_code == 302
    page = client.get(meeting_url).get_data(as_text=True)
    for heading in [
        "1. Opening en vaststellen agenda",
        "2. Netcongestie",
        "3. Rondvraag en sluiting",
    ]:
        assert heading in page
    with app.app_context():
        meeting = db.session.scalars(select(Meeting)).one()
        assert [(i.position, i.title) for i in meeting.items] == [
            (1, "Opening en vaststellen agenda"),
            (2, "Netcongestie"),
            (3, "Rondvraag en sluiting"),
        ]


def test_addenda_of_hidden_items_stay_hidden(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=-14, items=2, status="gehouden")
        hidden = meeting.items[1]
        link = AgendaLink(agenda_item_id=hidden.id, submission_id=accepted(visibility="tafel").id)
        db.session.add(link)
        meeting.status = "notulen_vastgesteld"
        meeting.minutes_approved_at = utcnow()
        minutes.add_addendum(meeting, secretariat, "Aanvulling bij het openbare punt.")
        minutes.add_addendum(meeting, secretariat, "Aanvulling over de exportvergunning.", hidden)
        db.session.commit()
        meeting_id = meeting.id
        member = make_user(roles=("tafellid",)).email
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Aanvulling bij het openbare punt." in page
    assert "Aanvulling over de exportvergunning." not in page
    text = pdf_text(client.get(f"/meetings/{meeting_id}/minutes.pdf").data)
    assert "Aanvulling bij het openbare punt." in text
    assert "exportvergunning" not in text
    login(client, member)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Aanvulling over de exportvergunning." in page


def timeline(sub_id: int) -> list[dict]:
    return [
        event.data
        for event in db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "meeting")
            .order_by(TimelineEvent.id)
        )
    ]


def test_marking_an_item_discussed_moves_its_submissions(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=-0.01, items=2)
        first, second = meeting.items
        scheduled = accepted(visibility="openbaar", title="Netcongestie in Brainport")
        also = accepted(visibility="openbaar")
        elsewhere = accepted(visibility="openbaar")
        agenda.link_submission(first, scheduled, secretariat)
        agenda.link_submission(first, also, secretariat)
        agenda.link_submission(second, elsewhere, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        db.session.commit()
        assert scheduled.status == also.status == elsewhere.status == "geagendeerd"
        ids = (meeting.id, first.id, scheduled.id, also.id, elsewhere.id)
        email, author = secretariat.email, scheduled.author.email
        day = approved_day(app, meeting.starts_at)
    meeting_id, item_id, sub_id, also_id, elsewhere_id = ids
    login(client, email)
    response = post(client, f"/meetings/{meeting_id}/items/{item_id}/discussed")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Punt 1 is besproken; 2 melding(en) bijgewerkt." in page
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "besproken"
        assert db.session.get(Submission, also_id).status == "besproken"
        assert db.session.get(Submission, elsewhere_id).status == "geagendeerd"
        assert [e["action"] for e in timeline(sub_id)] == ["schedule", "discuss"]
        assert [e["action"] for e in timeline(elsewhere_id)] == ["schedule"]
        mail = db.session.scalars(
            select(MailMessage.body)
            .where(MailMessage.recipient == author)
            .order_by(MailMessage.id.desc())
        ).first()
        assert f"Uw melding is besproken in de vergadering van {day}." in mail
    detail = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert f"Besproken in de vergadering van {day}" in detail
    # Once is enough.
    response = post(client, f"/meetings/{meeting_id}/items/{item_id}/discussed")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dit punt is al als besproken gemarkeerd." in page
    with app.app_context():
        assert len(timeline(sub_id)) == 2


def test_unlinking_from_a_published_meeting_returns_the_submission(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, starts_at=DECEMBER, items=1)
        other = make_meeting(secretariat, starts_at=DECEMBER + timedelta(days=28), items=1)
        item, other_item = meeting.items[0], other.items[0]
        sub = accepted(visibility="openbaar", title="Netcongestie in Brainport")
        twice = accepted(visibility="openbaar")
        agenda.link_submission(item, sub, secretariat)
        agenda.link_submission(item, twice, secretariat)
        agenda.link_submission(other_item, twice, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        lifecycle.publish(other, secretariat, accept_overlap=True)
        db.session.commit()
        ids = (meeting.id, item.id, sub.id, twice.id)
        email, author = secretariat.email, sub.author.email
    meeting_id, item_id, sub_id, twice_id = ids
    login(client, email)
    for linked in (sub_id, twice_id):
        response = post(client, f"/meetings/{meeting_id}/items/{item_id}/unlink/{linked}")
        assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De melding is losgekoppeld." in page
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "aanvaard"
        assert [e["action"] for e in timeline(sub_id)] == ["schedule", "unschedule"]
        # Still on the agenda of the other published meeting.
        assert db.session.get(Submission, twice_id).status == "geagendeerd"
        assert [e["action"] for e in timeline(twice_id)] == ["schedule"]
        assert (
            db.session.scalars(
                select(AgendaLink.submission_id).where(AgendaLink.agenda_item_id == item_id)
            ).all()
            == []
        )
        mail = db.session.scalars(
            select(MailMessage.body)
            .where(MailMessage.recipient == author)
            .order_by(MailMessage.id.desc())
        ).first()
        assert (
            "Uw melding staat niet meer op de agenda van de vergadering van 12 december 2030."
            in mail
        )
    detail = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Van de agenda van de vergadering van 12 december 2030 gehaald" in detail
    # Back in the panel of submissions ready to be scheduled.
    panel = client.get(f"/meetings/{meeting_id}/agenda").get_data(as_text=True)
    assert f'id="ready-{sub_id}"' in panel


def test_holding_a_meeting_returns_undiscussed_submissions(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=-0.01, items=2)
        first, second = meeting.items
        discussed = accepted(visibility="openbaar")
        postponed = accepted(visibility="openbaar", title="Stikstofruimte voor uitbreiding")
        agenda.link_submission(first, discussed, secretariat)
        agenda.link_submission(second, postponed, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        minutes.mark_discussed(first, secretariat)
        db.session.commit()
        ids = (meeting.id, discussed.id, postponed.id)
        email, author = secretariat.email, postponed.author.email
        day = approved_day(app, meeting.starts_at)
    meeting_id, discussed_id, postponed_id = ids
    login(client, email)
    assert post(client, f"/meetings/{meeting_id}/held").status_code == 302
    with app.app_context():
        assert db.session.get(Submission, discussed_id).status == "besproken"
        assert db.session.get(Submission, postponed_id).status == "aanvaard"
        assert [e["action"] for e in timeline(postponed_id)] == ["schedule", "unschedule"]
        mail = db.session.scalars(
            select(MailMessage.body)
            .where(MailMessage.recipient == author)
            .order_by(MailMessage.id.desc())
        ).first()
        assert f"Uw melding is in de vergadering van {day} niet behandeld." in mail
        later = make_meeting(secretariat, days=30)
        later_id = later.id
    # Ready to be scheduled again at the next meeting.
    panel = client.get(f"/meetings/{later_id}/agenda").get_data(as_text=True)
    assert "Stikstofruimte voor uitbreiding" in panel


def test_cosigners_hear_that_a_report_is_scheduled(app):
    from tafel.submissions.models import CoSignature
    from tests.factories import make_org

    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=10, items=1)
        sub = accepted(visibility="openbaar")
        supporter = make_user(org=make_org())
        db.session.add(
            CoSignature(submission_id=sub.id, organisation_id=supporter.organisation_id,
                        user_id=supporter.id, evidence="")
        )  # fmt: skip
        db.session.commit()
        agenda.link_submission(meeting.items[0], sub, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        db.session.commit()
        bodies = db.session.scalars(
            select(MailMessage.body).where(MailMessage.recipient == supporter.email)
        ).all()
        assert any("Uw melding is geagendeerd" in body for body in bodies)
        # The submitter is told once, not twice.
        assert (
            len(
                db.session.scalars(
                    select(MailMessage.id).where(
                        MailMessage.recipient == sub.author.email,
                        MailMessage.body.like("%geagendeerd%"),
                    )
                ).all()
            )
            == 1
        )
