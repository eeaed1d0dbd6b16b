"""The action item and progress forms posted twice: one item, one update."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tafel import db
from tafel.actions.models import ActionItem, ActionUpdate
from tafel.core.timefmt import local_today
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.factories import make_user
from tests.responses.factories import (
    due_submission,
    make_action,
    make_decision,
    ministry,
    ministry_user,
)


def test_the_same_action_form_twice_makes_one_action_item(app, client):
    with app.app_context():
        decision_id = make_decision([due_submission("EZK")]).id
        make_user(email="sec@example.com", roles=("secretariaat",))
        ezk = ministry("EZK").id
    login(client, "sec@example.com")
    url = f"/actions/new?decision={decision_id}"
    data = {"description": "Wetsvoorstel voorbereiden", "owner": f"ministry-{ezk}",
            "due_date": (local_today() + timedelta(days=60)).isoformat(),
            "form_token": token_of(client, url)}  # fmt: skip
    first, second = post_twice(client, url, data)
    assert_second_shows_first(client, first, second)
    with app.app_context():
        item = db.session.scalars(select(ActionItem)).one()
        assert first.headers["Location"].endswith(f"/actions/{item.id}")
        assert claims() == 1


def test_a_refused_action_form_consumes_no_token(app, client):
    with app.app_context():
        decision_id = make_decision([due_submission("EZK")]).id
        make_user(email="sec@example.com", roles=("secretariaat",))
        ezk = ministry("EZK").id
    login(client, "sec@example.com")
    url = f"/actions/new?decision={decision_id}"
    token = token_of(client, url)
    data = {"description": "Wetsvoorstel", "owner": f"ministry-{ezk}", "form_token": token,
            "due_date": (local_today() - timedelta(days=1)).isoformat()}  # fmt: skip
    assert post(client, url, data).status_code == 422  # a date in the past
    with app.app_context():
        assert claims() == 0
    data["due_date"] = (local_today() + timedelta(days=5)).isoformat()
    assert post(client, url, data).status_code == 302


def test_the_same_progress_update_twice_is_recorded_once(app, client):
    with app.app_context():
        decision = make_decision([due_submission("EZK")])
        ministry_user("EZK", email="ezk@example.com")
        item_id = make_action(decision=decision, owner=ministry("EZK")).id
    login(client, "ezk@example.com")
    token = token_of(client, f"/actions/{item_id}")
    data = {"status": "gerealiseerd", "text": "Klaar.", "form_token": token}
    first, second = post_twice(client, f"/actions/{item_id}/update", data)
    # Without the token the second was refused: the item is finished.
    assert_second_shows_first(client, first, second)
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionUpdate.id))) == 1
        assert db.session.get(ActionItem, item_id).status == "gerealiseerd"
