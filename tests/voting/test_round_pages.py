"""Round pages over HTTP: the permission table, ballots per method, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.db import utcnow
from tafel.voting import ballots, services
from tafel.voting.models import Ballot, PriorityRound
from tests.conftest import csrf_token, login, post
from tests.factories import make_submission, make_user
from tests.voting.factories import make_member, make_round

STATES = ["concept", "open", "gesloten"]
ACTIONS = ["create", "view", "open", "vote", "change_vote", "close", "results", "export"]
READERS = {"tafellid", "voorzitter", "secretariaat", "departement"}
MANAGERS = {"secretariaat", "voorzitter"}


def expected(role: str | None, state: str, action: str) -> int:
    """The status code a role gets for an action on a round in a state."""
    if role is None:
        return 302  # to the login page
    if action == "create":
        return 302 if role == "secretariaat" else 403
    visible = role in MANAGERS if state == "concept" else role in READERS
    if not visible:
        return 404 if action != "export" or state != "gesloten" else 404
    if action == "view":
        return 200
    if action == "open":
        return 302 if role in MANAGERS else 403
    if action == "close":
        return 302 if role in MANAGERS else 403
    if action in ("vote", "change_vote"):
        if state == "open" and role == "tafellid":
            return 302
        return 422
    if action == "results":
        return 200
    if action == "export":
        return 200 if state == "gesloten" else 404
    raise AssertionError(action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_round_permission_table(app, client, role, state, action):
    with app.test_request_context():
        rnd, (a, b, _c), secretariat = make_round(open_now=False)
        if role:
            make_user(email="actor@example.com", roles=(role,))
        if state in ("open", "gesloten"):
            services.open_round(rnd, secretariat)
        if state == "gesloten":
            services.close_round(rnd, secretariat)
        db.session.commit()
        round_id = rnd.id
        candidates = [s.id for s in make_submission_list(2)]
    if role:
        login(client, "actor@example.com")
    token = csrf_token(client)
    if action == "create":
        now = utcnow()
        response = client.post("/rounds/new", data={
            "csrf_token": token, "title": "Nieuwe ronde", "method": "ranked",
            "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "quorum_percent": "50", "candidates": [str(i) for i in candidates]})  # fmt: skip
    elif action in ("view", "results"):
        response = client.get(f"/rounds/{round_id}")
    elif action == "open":
        response = client.post(f"/rounds/{round_id}/open", data={"csrf_token": token})
    elif action == "close":
        response = client.post(f"/rounds/{round_id}/close", data={"csrf_token": token})
    elif action in ("vote", "change_vote"):
        data = {"csrf_token": token, f"rank-{a}": "1", f"rank-{b}": "2"}
        if action == "change_vote":
            client.post(f"/rounds/{round_id}/vote", data=data)
            data = {"csrf_token": token, f"rank-{b}": "1"}
        response = client.post(f"/rounds/{round_id}/vote", data=data)
    else:
        response = client.get(f"/rounds/{round_id}/results.csv")
    code = expected(role, state, action)
    assert response.status_code == code
    if action == "results" and code == 200:
        shows_result = "Uitslag" in response.get_data(as_text=True)
        assert shows_result is (state == "gesloten")
    with app.app_context():
        ballots = db.session.scalar(select(func.count(Ballot.id)))
        status = db.session.get(PriorityRound, round_id).status
    if action in ("vote", "change_vote"):
        assert ballots == (1 if role == "tafellid" and state == "open" else 0)
    steering = role in MANAGERS
    if action == "open":
        assert status == ("open" if steering and state == "concept" else state)
    if action == "close":
        assert status == ("gesloten" if steering and state == "open" else state)


def make_submission_list(n):
    return [make_submission(status="aanvaard", visibility="tafel") for _ in range(n)]


@pytest.fixture
def member_client(app):
    with app.app_context():
        make_member(email="lid@example.org")
    client = app.test_client()
    login(client, "lid@example.org")
    return client


@pytest.mark.parametrize(
    "method, params, fields, message",
    [
        (
            "approval",
            {"k": 1},
            lambda ids: {"approve": [str(ids[0]), str(ids[1])]},
            "meer kandidaten dan toegestaan",
        ),
        (
            "dot",
            {"total": 10, "max_per_candidate": 6},
            lambda ids: {f"points-{ids[0]}": "6", f"points-{ids[1]}": "6"},
            "meer punten dan u heeft",
        ),
        (
            "dot",
            {"total": 10, "max_per_candidate": 6},
            lambda ids: {f"points-{ids[0]}": "7"},
            "meer punten dan toegestaan",
        ),
        ("score", {}, lambda ids: {f"score-{ids[0]}": "6"}, "tussen 0 en 5"),
        ("ranked", {}, lambda ids: {f"rank-{ids[0]}": "1", f"rank-{ids[1]}": "1"}, "twee keer"),
        ("ranked", {}, lambda ids: {"rank-999999": "1"}, "hoort niet bij de ronde"),
    ],
    ids=["too-many-approvals", "over-budget", "over-max", "score-range", "same-rank", "outsider"],
)
def test_ballot_errors_are_explained_and_input_kept(app, member_client, method, params, fields,
                                                    message):  # fmt: skip
    with app.app_context():
        rnd, ids, _ = make_round(method=method, params=params, candidates=3)
        round_id = rnd.id
    data = fields(ids) | {"csrf_token": csrf_token(member_client)}
    response = member_client.post(f"/rounds/{round_id}/vote", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Uw stem is niet vastgelegd" in html and message in html
    if method in ("dot", "score", "ranked") and "999999" not in str(data):
        name, value = next((k, v) for k, v in data.items() if k != "csrf_token")
        assert f'name="{name}"' in html and f'value="{value}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Ballot.id))) == 0


def test_recorded_ballot_is_shown_back(app, member_client):
    with app.app_context():
        rnd, (a, b, c), _ = make_round(method="score", candidates=3)
        round_id = rnd.id
    post(member_client, f"/rounds/{round_id}/vote", {f"score-{a}": "5", f"score-{b}": "2"})
    html = member_client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Uw stem is vastgelegd" in html
    assert f'id="score-{a}" name="score-{a}"' in html and 'value="5"' in html
    assert "Stem wijzigen" in html


def test_exports_after_closing(app, client):
    with app.test_request_context():
        member = make_member()
        rnd, (a, b, c), secretariat = make_round(method="ranked", candidates=3)
        ballots.cast_ballot(rnd, member, {"ranking": {b: 1, a: 2}})
        services.close_round(rnd, secretariat)
        db.session.commit()
        make_user(email="chair@example.org", roles=("voorzitter",))
        round_id = rnd.id
    login(client, "chair@example.org")
    response = client.get(f"/rounds/{round_id}/results.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
    assert rows[1][0] == "1" and rows[1][2] == str(b)
    pdf = client.get(f"/rounds/{round_id}/results.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
