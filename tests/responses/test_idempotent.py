"""A ministry's response form posted twice: one response row, offered once."""

from __future__ import annotations

from sqlalchemy import func, select

from tafel import db
from tafel.responses.models import Response
from tafel.submissions.models import TimelineEvent
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.responses.factories import due_submission, ministry_user


def test_the_first_save_posted_twice_creates_one_response_offered_once(app, client):
    with app.app_context():
        sub_id = due_submission("EZK").id
        email = ministry_user("EZK").email
    login(client, email)
    url = f"/responses/{sub_id}"
    data = {"outcome": "overnemen", "explanation": "", "measures": "Wetswijziging in 2027.",
            "action": "submit", "form_token": token_of(client, url)}  # fmt: skip
    first, second = post_twice(client, url, data)
    # Without the token the second post was refused: already offered for review.
    assert_second_shows_first(client, first, second)
    with app.app_context():
        row = db.session.scalars(select(Response).where(Response.submission_id == sub_id)).one()
        assert row.status == "ter_review"
        offered = db.session.scalar(
            select(func.count(TimelineEvent.id)).where(
                TimelineEvent.submission_id == sub_id, TimelineEvent.kind.like("response%")
            )
        )
        assert offered <= 1
        assert claims() == 1


def test_a_refused_save_consumes_no_token(app, client):
    with app.app_context():
        sub_id = due_submission("EZK").id
        email = ministry_user("EZK").email
    login(client, email)
    url = f"/responses/{sub_id}"
    token = token_of(client, url)
    refused = post(client, url, {"outcome": "niet", "explanation": "", "action": "save",
                                 "form_token": token})  # fmt: skip
    assert refused.status_code == 422
    assert f'value="{token}"' in refused.get_data(as_text=True)
    with app.app_context():
        assert claims() == 0
        assert db.session.scalar(select(func.count(Response.id))) == 0
    saved = post(client, url, {"outcome": "niet", "explanation": "Te duur.", "action": "save",
                               "form_token": token})  # fmt: skip
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1
