"""Every role × decision state × action for decisions and motion votes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.decisions import services
from tafel.decisions.models import Decision, DecisionAmendment, Motion, MotionVote
from tests.conftest import login, post
from tests.decisions.factories import held_decision_item, present
from tests.factories import make_user

ROLES = [None, "indiener", "tafellid", "afwezig_lid", "voorzitter", "secretariaat",
         "departement", "beheerder"]  # fmt: skip
STATES = ["openbaar", "tafel", "stemming_open", "stemming_gesloten"]
ACTIONS = ["view", "record", "amend", "open_motion", "vote", "close_motion"]
TABLE = {"tafellid", "afwezig_lid", "voorzitter", "secretariaat", "departement"}


def expected(role, state, action) -> int:
    visible = state == "openbaar" or role in TABLE
    if action == "view":
        return 200 if visible else 404
    if role is None:
        return 302  # to the login page
    if not visible:
        return 404
    if action == "record":
        return 302 if role == "secretariaat" else 403
    if action == "amend":
        return 302 if role == "secretariaat" else 403
    if action == "open_motion":
        no_motion = state in ("openbaar", "tafel")
        return 302 if no_motion and role in ("voorzitter", "secretariaat") else 403
    if action == "close_motion":
        is_open = state == "stemming_open"
        return 302 if is_open and role in ("voorzitter", "secretariaat") else 403
    # vote: only members present while the vote is open; refusals explain themselves
    if state == "stemming_open" and role in ("tafellid", "voorzitter"):
        return 302
    return 422


def build(app, role, state):
    with app.test_request_context():
        visibility = "openbaar" if state == "openbaar" else "tafel"
        secretariat, meeting, item, _subs = held_decision_item(visibility=visibility)
        user = None
        if role:
            roles = ("tafellid",) if role == "afwezig_lid" else (role,)
            user = secretariat if role == "secretariaat" else make_user(roles=roles)
            if role in ("tafellid", "voorzitter"):
                present(meeting, user)
        decision = services.record_decision(
            item, secretariat, text="Besluit.", outcome="overnemen",
            submission_ids=[link.submission_id for link in item.links],
        )  # fmt: skip
        if state.startswith("stemming"):
            services.open_motion(decision, secretariat, "simple", 1)
        if state == "stemming_gesloten":
            services.close_motion(decision, secretariat)
        db.session.commit()
        return item.id, decision.id, user.email if user else None


def counts(app) -> tuple:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count(model.id)))
            for model in (Decision, DecisionAmendment, Motion, MotionVote)
        )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_decision_permission_table(app, client, role, state, action):
    item_id, decision_id, email = build(app, role, state)
    if email:
        login(client, email)
    before = counts(app)
    url = f"/decisions/{decision_id}"
    if action == "view":
        response = client.get(url)
    elif action == "record":
        response = post(client, f"/decisions/new?item={item_id}",
                        {"text": "Nog een besluit.", "outcome": "overnemen"})  # fmt: skip
    elif action == "amend":
        response = post(client, f"{url}/amend", {"text": "Gewijzigd."})
    elif action == "open_motion":
        response = post(client, f"{url}/motion", {"majority": "simple", "quorum": "1"})
    elif action == "vote":
        response = post(client, f"{url}/vote", {"choice": "voor"})
    else:
        response = post(client, f"{url}/motion/close")
    assert response.status_code == expected(role, state, action)
    after = counts(app)
    if role is None:
        assert after == before
        if action != "view":
            assert "/auth/login" in response.headers["Location"]
    elif response.status_code != 302:
        assert after == before  # a refusal changes nothing
    elif action == "record":
        assert after[0] == before[0] + 1
    elif action == "amend":
        assert after[1] == before[1] + 1
    elif action == "vote":
        assert after[3] == before[3] + 1
