"""A comment posted twice is placed once."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.submissions.models import Comment
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.factories import make_org, make_submission, make_user


def test_the_same_comment_twice_is_placed_once(app, client):
    with app.app_context():
        sub_id = make_submission(visibility="openbaar", status="aanvaard").id
        make_user(email="c@bedrijf.example", org=make_org("mkb"))
    login(client, "c@bedrijf.example")
    data = {
        "body": "Dit speelt ook bij ons.",
        "form_token": token_of(client, f"/submissions/{sub_id}"),
    }
    first, second = post_twice(client, f"/submissions/{sub_id}/comments", data)
    assert_second_shows_first(client, first, second)
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        assert first.headers["Location"].endswith(f"#comment-{comment.id}")
        assert claims() == 1


def test_an_empty_comment_consumes_no_token(app, client):
    with app.app_context():
        sub_id = make_submission(visibility="openbaar", status="aanvaard").id
        make_user(email="c@bedrijf.example", org=make_org("mkb"))
    login(client, "c@bedrijf.example")
    token = token_of(client, f"/submissions/{sub_id}")
    url = f"/submissions/{sub_id}/comments"
    assert post(client, url, {"body": " ", "form_token": token}).status_code == 422
    with app.app_context():
        assert claims() == 0
    assert post(client, url, {"body": "Wel iets.", "form_token": token}).status_code == 302
