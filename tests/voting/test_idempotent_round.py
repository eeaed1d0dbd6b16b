"""The new-round form posted twice makes one round."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.voting.models import PriorityRound
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.factories import make_submission, make_user


def _form(app, client) -> dict:
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        ids = [make_submission(status="aanvaard", visibility="tafel").id for _ in range(2)]
    login(client, "sec@example.org")
    return {"title": "Ronde voorjaar", "method": "ranked", "opens_at": "2030-01-01T10:00",
            "closes_at": "2030-01-08T10:00", "quorum_percent": "50",
            "candidates": [str(i) for i in ids],
            "form_token": token_of(client, "/rounds/new")}  # fmt: skip


def test_the_same_round_form_twice_makes_one_round(app, client):
    data = _form(app, client)
    first, second = post_twice(client, "/rounds/new", data)
    assert_second_shows_first(client, first, second)
    with app.app_context():
        rnd = db.session.scalars(select(PriorityRound)).one()
        assert first.headers["Location"].endswith(f"/rounds/{rnd.id}")
        assert claims() == 1


def test_an_invalid_round_form_keeps_its_token_and_consumes_none(app, client):
    data = _form(app, client)
    refused = post(client, "/rounds/new", {**data, "candidates": data["candidates"][:1]})
    assert refused.status_code == 422
    assert f'value="{data["form_token"]}"' in refused.get_data(as_text=True)
    with app.app_context():
        assert claims() == 0
    assert post(client, "/rounds/new", data).status_code == 302
