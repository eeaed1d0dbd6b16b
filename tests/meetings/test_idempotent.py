"""The new-meeting form posted twice makes one meeting."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.meetings.models import Meeting
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.factories import make_user

FORM = {"title": "Derde vergadering", "day": "2030-12-12", "start_time": "13:30",
        "end_time": "16:30", "location": "Den Haag", "standard_items": "y"}  # fmt: skip


def test_the_same_meeting_form_twice_makes_one_meeting(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
    login(client, "sec@example.org")
    data = {**FORM, "form_token": token_of(client, "/meetings/new")}
    first, second = post_twice(client, "/meetings/new", data)
    assert_second_shows_first(client, first, second)
    with app.app_context():
        meeting = db.session.scalars(select(Meeting)).one()
        assert len(meeting.items) == 2  # the standard items, once
        assert first.headers["Location"].endswith(f"/meetings/{meeting.id}/agenda")
        assert claims() == 1


def test_a_refused_meeting_form_consumes_no_token(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        make_user(email="lid@example.org", roles=("tafellid",))
    login(client, "sec@example.org")
    data = {**FORM, "form_token": token_of(client, "/meetings/new")}
    assert post(client, "/meetings/new", {**data, "end_time": "12:00"}).status_code == 422
    member = client.application.test_client()
    login(member, "lid@example.org")
    assert post(member, "/meetings/new", data).status_code == 403
    with app.app_context():
        assert claims() == 0
    assert post(client, "/meetings/new", data).status_code == 302
