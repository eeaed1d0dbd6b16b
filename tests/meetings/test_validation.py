"""Bad input is refused with a clear message, and what was typed stays in the form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from tafel import db
from tafel.meetings import agenda, minutes
from tafel.meetings.models import AgendaItem, AgendaLink, Attendance, Meeting, MinutesRevision
from tests.conftest import login, post
from tests.factories import make_submission, make_user
from tests.meetings.factories import accepted, make_meeting

# 12 December 2030, 13:30 in Amsterdam (winter time, UTC+1).
DECEMBER = datetime(2030, 12, 12, 12, 30, tzinfo=UTC)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def secretariat_logged_in(app, client) -> str:
    with app.app_context():
        email = make_user(roles=("secretariaat",)).email
    login(client, email)
    return email


def field_error(page: str, field_id: str) -> str:
    """The error message shown at a field (without the hidden 'Fout:' prefix)."""
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error at {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fout:", "").strip()


def test_meeting_ending_before_it_starts_is_refused(app, client):
    secretariat_logged_in(app, client)
    response = post(
        client,
        "/meetings/new",
        {
            "title": "Omgekeerde vergadering",
            "day": "2030-12-12",
            "start_time": "16:30",
            "end_time": "13:30",
            "location": "Den Haag",
            "standard_items": "y",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "end_time") == "Het einde moet na het begin liggen."
    assert 'value="Omgekeerde vergadering"' in page
    assert 'value="2030-12-12"' in page
    assert 'value="16:30"' in page and 'value="13:30"' in page
    assert 'value="Den Haag"' in page
    with app.app_context():
        assert count(Meeting) == 0


def test_shortening_a_meeting_below_its_longest_item_is_refused(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, starts_at=DECEMBER, hours=3, title="Lang overleg")
        agenda.add_item(
            meeting,
            secretariat,
            title="Werkbezoek",
            kind="informatie",
            duration_minutes=60,
            presenter="",
            description="",
        )
        db.session.commit()
        meeting_id, email = meeting.id, secretariat.email
    login(client, email)
    response = post(
        client,
        f"/meetings/{meeting_id}/edit",
        {
            "title": "Kort overleg",
            "day": "2030-12-12",
            "start_time": "13:30",
            "end_time": "14:00",
            "location": "Den Haag",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "end_time") == (
        "Een agendapunt duurt 60 minuten; dat past niet in deze vergadering."
    )
    assert 'value="Kort overleg"' in page and 'value="14:00"' in page
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.title == "Lang overleg"
        assert meeting.ends_at == DECEMBER.replace(hour=15, minute=30)


def test_online_link_must_be_a_web_address(app, client):
    secretariat_logged_in(app, client)
    for link in ["javascript://example.com/%0Aalert(1)", "ftp://example.com/vergadering"]:
        response = post(
            client,
            "/meetings/new",
            {
                "title": "Online overleg",
                "day": "2030-12-12",
                "start_time": "13:30",
                "end_time": "16:30",
                "online_url": link,
            },
        )
        assert response.status_code == 422, link
        page = response.get_data(as_text=True)
        assert field_error(page, "online_url") == "Vul een volledige link in, met https://."
        assert 'value="Online overleg"' in page
    with app.app_context():
        assert count(Meeting) == 0
    response = post(
        client,
        "/meetings/new",
        {
            "title": "Online overleg",
            "day": "2030-12-12",
            "start_time": "13:30",
            "end_time": "16:30",
            "online_url": "https://teams.example.org/overleg",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Meeting.online_url)).one() == (
            "https://teams.example.org/overleg"
        )


def test_item_duration_must_fit(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting_id = make_meeting(secretariat, hours=3).id
        email = secretariat.email
    login(client, email)
    cases = {
        "0": "Geef een duur van ten minste 1 minuut.",
        "181": "Een punt kan niet langer duren dan de vergadering (180 minuten).",
    }
    for duration, message in cases.items():
        response = post(
            client,
            f"/meetings/{meeting_id}/items",
            {
                "title": "Stikstofruimte voor de chipfabriek",
                "kind": "besluitvorming",
                "duration_minutes": duration,
                "presenter": "Mevrouw De Vries",
            },
        )
        assert response.status_code == 422, duration
        page = response.get_data(as_text=True)
        assert field_error(page, "duration_minutes") == message
        assert 'value="Stikstofruimte voor de chipfabriek"' in page
        assert f'value="{duration}"' in page
        assert 'value="Mevrouw De Vries"' in page
        assert re.search(r'<option selected value="besluitvorming">', page)
    with app.app_context():
        assert count(AgendaItem, AgendaItem.meeting_id == meeting_id) == 0
    # The whole meeting is allowed.
    response = post(
        client,
        f"/meetings/{meeting_id}/items",
        {"title": "Lang punt", "kind": "bespreking", "duration_minutes": "180"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert count(AgendaItem, AgendaItem.meeting_id == meeting_id) == 1


def test_publishing_an_empty_agenda_is_refused(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        make_user(roles=("tafellid",))
        meeting_id = make_meeting(secretariat).id
        email = secretariat.email
    login(client, email)
    response = post(client, f"/meetings/{meeting_id}/publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Niet gepubliceerd" in page
    assert "Zet eerst ten minste één punt op de agenda." in page
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "concept"
        from tafel.core.models import MailMessage

        assert count(MailMessage) == 0


def test_overlapping_meeting_needs_confirmation(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        make_meeting(
            secretariat, starts_at=DECEMBER, items=1, status="gepubliceerd", title="Eerste overleg"
        )
        # Starts an hour later, while the first (three hours) is still going on.
        second = make_meeting(
            secretariat,
            starts_at=DECEMBER.replace(hour=13, minute=30),
            items=1,
            title="Tweede overleg",
        )
        second_id, email = second.id, secretariat.email
    login(client, email)
    response = post(client, f"/meetings/{second_id}/publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "Deze vergadering overlapt met ‘Eerste overleg’ op 12 december 2030. "
        "Pas de tijd aan, of bevestig dat u toch wilt publiceren."
    ) in page
    assert "Toch publiceren, ondanks de overlap" in page
    with app.app_context():
        assert db.session.get(Meeting, second_id).status == "concept"
    response = post(client, f"/meetings/{second_id}/publish", {"accept_overlap": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, second_id).status == "gepubliceerd"


def test_meetings_back_to_back_do_not_overlap(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        make_meeting(secretariat, starts_at=DECEMBER, hours=3, items=1, status="gepubliceerd")
        second = make_meeting(secretariat, starts_at=DECEMBER.replace(hour=15), items=1)
        second_id, email = second.id, secretariat.email
    login(client, email)
    assert post(client, f"/meetings/{second_id}/publish").status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, second_id).status == "gepubliceerd"


def held_meeting_with_minutes(app, text: str = "") -> tuple[int, int, str]:
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, days=-2, items=1, status="gehouden")
        item = meeting.items[0]
        if text:
            minutes.save_minutes(item, secretariat, text, 0)
            db.session.commit()
        return meeting.id, item.id, secretariat.email


def test_approved_minutes_cannot_be_edited(app, client):
    meeting_id, item_id, email = held_meeting_with_minutes(app, "Zo is het besproken.")
    with app.app_context():
        db.session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(status="notulen_vastgesteld")
        )
        db.session.commit()
    login(client, email)
    response = post(
        client,
        f"/meetings/{meeting_id}/items/{item_id}/minutes",
        {"text": "Toch anders besproken.", "base_revision": "1"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "De notulen zijn vastgesteld en kunnen niet meer worden gewijzigd. Voeg een aanvulling toe."
    ) in page
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        assert item.minutes == "Zo is het besproken."
        assert item.minutes_revision == 1
        assert count(MinutesRevision, MinutesRevision.agenda_item_id == item_id) == 1


def test_every_change_of_draft_minutes_is_a_revision(app, client):
    meeting_id, item_id, email = held_meeting_with_minutes(app)
    login(client, email)
    url = f"/meetings/{meeting_id}/items/{item_id}/minutes"

    def revisions() -> list[tuple[int, str]]:
        with app.app_context():
            return [
                (r.number, r.text)
                for r in db.session.scalars(
                    select(MinutesRevision)
                    .where(MinutesRevision.agenda_item_id == item_id)
                    .order_by(MinutesRevision.number)
                )
            ]

    response = post(client, url, {"text": "Eerste versie.", "base_revision": "0"})
    assert response.status_code == 302
    assert revisions() == [(1, "Eerste versie.")]
    response = post(client, url, {"text": "Tweede versie.", "base_revision": "1"})
    assert response.status_code == 302
    assert "De notulen zijn opgeslagen als versie 2." in client.get(url).get_data(as_text=True)
    assert revisions() == [(1, "Eerste versie."), (2, "Tweede versie.")]
    # The same text again (surrounding white space and Windows line ends aside).
    response = post(client, url, {"text": "  Tweede versie.\r\n", "base_revision": "2"})
    assert response.status_code == 302
    assert "Er was niets gewijzigd." in client.get(url).get_data(as_text=True)
    assert revisions() == [(1, "Eerste versie."), (2, "Tweede versie.")]


def test_stale_minutes_are_refused_and_kept(app, client):
    meeting_id, item_id, email = held_meeting_with_minutes(app, "Versie van de collega.")
    login(client, email)
    url = f"/meetings/{meeting_id}/items/{item_id}/minutes"
    # Written on top of revision 0, while a colleague saved revision 1.
    response = post(client, url, {"text": "Mijn eigen verslag.", "base_revision": "0"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "Iemand anders heeft de notulen van dit punt intussen gewijzigd. Uw tekst staat "
        "hieronder; vergelijk hem met de nieuwe versie."
    ) in page
    assert "Mijn eigen verslag.</textarea>" in page
    assert "Versie van de collega." in page  # the newer version, to compare with
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        assert (item.minutes, item.minutes_revision) == ("Versie van de collega.", 1)
        assert count(MinutesRevision, MinutesRevision.agenda_item_id == item_id) == 1
    # Having compared, the secretary saves the form as shown: it now builds on version 1.
    base = re.search(r'name="base_revision" type="hidden" value="(\d+)"', page) or re.search(
        r'name="base_revision"[^>]*value="(\d+)"', page
    )
    assert base and base.group(1) == "1"
    response = post(client, url, {"text": "Mijn eigen verslag.", "base_revision": base.group(1)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(AgendaItem, item_id).minutes == "Mijn eigen verslag."
        assert count(MinutesRevision, MinutesRevision.agenda_item_id == item_id) == 2


def test_substitute_reply_needs_a_name(app, client):
    with app.app_context():
        member = make_user(roles=("tafellid",))
        meeting_id = make_meeting(items=1, status="gepubliceerd").id
        email = member.email
    login(client, email)
    response = post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "vervanger"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "substitute") == "Geef de naam van uw vervanger."
    assert re.search(r'<input checked id="answer-\d" name="answer"[^>]* value="vervanger"', page)
    with app.app_context():
        assert count(Attendance, Attendance.meeting_id == meeting_id) == 0
    response = post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "misschien"})
    assert response.status_code == 422
    with app.app_context():
        assert count(Attendance, Attendance.meeting_id == meeting_id) == 0


def test_only_accepted_non_confidential_submissions_can_be_linked(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, items=1)
        secret = accepted(visibility="vertrouwelijk")
        fresh = make_submission(status="ingediend", visibility="openbaar")
        ids = (meeting.id, meeting.items[0].id, secret.id, fresh.id)
        email = secretariat.email
    meeting_id, item_id, secret_id, fresh_id = ids
    login(client, email)
    cases = {
        secret_id: "Een vertrouwelijke melding kan niet op de agenda: de tafelleden mogen haar "
        "niet lezen.",
        fresh_id: "Alleen aanvaarde meldingen kunnen op de agenda.",
        999999: "Er is geen melding met dit nummer.",
    }
    for sub_id, message in cases.items():
        response = post(
            client,
            f"/meetings/{meeting_id}/items/{item_id}/link",
            {"link-submission": str(sub_id)},
        )
        assert response.status_code == 422, sub_id
        page = response.get_data(as_text=True)
        assert field_error(page, "link-submission") == message
        assert f'value="{sub_id}"' in page
    # Nor through the ready-to-schedule panel, which would add a new item for it.
    response = post(client, f"/meetings/{meeting_id}/schedule", {"submission": str(secret_id)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Een vertrouwelijke melding kan niet op de agenda" in page
    with app.app_context():
        assert count(AgendaLink) == 0
        assert count(AgendaItem, AgendaItem.meeting_id == meeting_id) == 1
