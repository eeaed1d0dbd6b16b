"""Every role × decision state × action for decisions and motion votes: the
full table against the policy predicates (decisions/policies.py, fast), and a
thin HTTP table proving each route is wired to its policy."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import User
from tafel.decisions import policies, services
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


# The rules of the table, as the policies state them (the vote's presence
# check is the service's: it answers 422, not 403).
PREDICATES = {
    "view": lambda user, d: policies.can_view_decision(user, d),
    "record": lambda user, d: policies.can_record_decision(user),
    "amend": policies.can_amend,
    "open_motion": policies.can_open_motion,
    "close_motion": policies.can_close_motion,
    "vote": policies.may_vote,
}


def allowed(role, state, action) -> bool:
    """The policy's answer (the HTTP table adds login, 404 for hidden, and the
    vote's presence check, which is the service's)."""
    managers = ("voorzitter", "secretariaat")
    rules = {
        "view": state == "openbaar" or role in TABLE,
        "record": role == "secretariaat",
        "amend": role == "secretariaat",
        "open_motion": role in managers and state in ("openbaar", "tafel"),
        "close_motion": role in managers and state == "stemming_open",
        "vote": role in ("tafellid", "afwezig_lid", "voorzitter") and state == "stemming_open",
    }
    return rules[action]


@pytest.mark.parametrize("state", STATES)
def test_decision_policy_table(app, state):
    """Every role × action against the predicates, on one decision per state."""
    for role in ROLES:
        _item, decision_id, email = build(app, role, state)
        with app.test_request_context():
            user = db.session.scalar(select(User).where(User.email == email)) if email else None
            user = user or AnonymousUserMixin()
            decision = db.session.get(Decision, decision_id)
            for action, predicate in PREDICATES.items():
                assert predicate(user, decision) is allowed(role, state, action), (role, action)


def request_for(client, action, item_id, decision_id):
    url = f"/decisions/{decision_id}"
    if action == "view":
        return client.get(url)
    if action == "record":
        return post(client, f"/decisions/new?item={item_id}",
                    {"text": "Nog een besluit.", "outcome": "overnemen"})  # fmt: skip
    paths = {"amend": ("/amend", {"text": "Gewijzigd."}),
             "open_motion": ("/motion", {"majority": "simple", "quorum": "1"}),
             "vote": ("/vote", {"choice": "voor"}),
             "close_motion": ("/motion/close", None)}  # fmt: skip
    path, data = paths[action]
    return post(client, url + path, data)


# Each route once allowed and once refused (and anonymous, and hidden), so a
# route that stopped asking its policy shows here.
WIRING = [
    (None, "openbaar", "view"), (None, "tafel", "view"), ("tafellid", "tafel", "view"),
    (None, "openbaar", "record"), ("secretariaat", "openbaar", "record"),
    ("voorzitter", "openbaar", "record"), ("indiener", "tafel", "record"),
    ("secretariaat", "tafel", "amend"), ("tafellid", "tafel", "amend"),
    ("voorzitter", "tafel", "open_motion"), ("secretariaat", "stemming_open", "open_motion"),
    ("tafellid", "tafel", "open_motion"),
    ("tafellid", "stemming_open", "vote"), ("afwezig_lid", "stemming_open", "vote"),
    ("tafellid", "stemming_gesloten", "vote"), ("departement", "stemming_open", "vote"),
    ("voorzitter", "stemming_open", "close_motion"),
    ("secretariaat", "stemming_gesloten", "close_motion"),
    ("tafellid", "stemming_open", "close_motion"), (None, "stemming_open", "close_motion"),
]  # fmt: skip


@pytest.mark.parametrize(("role", "state", "action"), WIRING)
def test_decision_routes_follow_their_policy(app, client, role, state, action):
    item_id, decision_id, email = build(app, role, state)
    if email:
        login(client, email)
    before = counts(app)
    response = request_for(client, action, item_id, decision_id)
    assert response.status_code == expected(role, state, action)
    after = counts(app)
    if role is None:
        assert after == before
        if action != "view":
            assert "/auth/login" in response.headers["Location"]
    elif response.status_code != 302:
        assert after == before  # a refusal changes nothing
    elif action in ("record", "amend", "vote"):
        changed = {"record": 0, "amend": 1, "vote": 3}[action]
        assert after[changed] == before[changed] + 1
