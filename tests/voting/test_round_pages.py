"""Round pages: the permission table (policies, and over HTTP the wiring of
each route), ballots per method, exports, and pages that change nothing."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.core.models import MailMessage
from tafel.db import utcnow
from tafel.voting import ballots, policies, services
from tafel.voting.models import Ballot, PriorityRound
from tests.conftest import csrf_token, login, post
from tests.factories import make_submission, make_user
from tests.voting.factories import make_member, make_round

STATES = ["concept", "open", "gesloten"]
READERS = {"tafellid", "voorzitter", "secretariaat", "departement"}
MANAGERS = {"secretariaat", "voorzitter"}


def person(role: str | None):
    """A user as the policies see one: anonymous, or signed in with one role."""
    return SimpleNamespace(is_authenticated=role is not None, roles=[role] if role else [])


def round_in(state: str) -> PriorityRound:
    """A round (not stored) in `state`, its times agreeing with the state."""
    now = utcnow()
    opens, closes = {
        "concept": (now + timedelta(days=1), now + timedelta(days=8)),
        "open": (now - timedelta(days=1), now + timedelta(days=6)),
        "gesloten": (now - timedelta(days=8), now - timedelta(days=1)),
    }[state]
    return PriorityRound(status=state, opens_at=opens, closes_at=closes)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_round_policy_table(role, state):
    """Role × state against the predicates the routes use (no request, no database)."""
    user, rnd = person(role), round_in(state)
    visible = role in MANAGERS if state == "concept" else role in READERS
    assert policies.can_create_round(user) is (role == "secretariaat")
    assert policies.can_list_rounds(user) is (role in READERS)
    assert policies.can_view_round(user, rnd) is visible
    assert policies.can_manage_round(user, rnd) is (role in MANAGERS)
    assert policies.can_see_results(user, rnd) is (visible and state == "gesloten")
    assert policies.can_export(user, rnd) is (visible and state == "gesloten")
    assert ballots.is_voting_window(rnd) is (state == "open")


# role, state, action, status code: each route once allowed and once refused, to
# prove it asks its policy (the full role × state table is the one above).
WIRING = [
    (None, "open", "view", 302),  # to the login page
    ("secretariaat", "open", "create", 302),
    ("tafellid", "open", "create", 403),
    ("departement", "open", "view", 200),
    ("tafellid", "concept", "view", 404),
    ("indiener", "open", "view", 404),
    ("voorzitter", "concept", "view", 200),
    ("voorzitter", "concept", "open", 302),
    ("tafellid", "concept", "open", 404),
    ("departement", "concept", "open", 404),
    ("departement", "open", "close", 403),
    ("secretariaat", "open", "close", 302),
    ("secretariaat", "gesloten", "close", 302),  # refused with a message, nothing changes
    ("tafellid", "open", "vote", 302),
    ("tafellid", "open", "change_vote", 422),  # a secret ballot is final once cast
    ("voorzitter", "open", "vote", 422),  # not in the snapshot of tafelleden
    ("tafellid", "gesloten", "vote", 422),
    ("tafellid", "concept", "vote", 404),
    ("tafellid", "gesloten", "results", 200),
    ("departement", "open", "results", 200),
    ("departement", "gesloten", "export", 200),
    ("tafellid", "open", "export", 404),
    ("indiener", "gesloten", "export", 404),
]


def _act(client, action: str, round_id: int, candidates: list[int], a: int, b: int):
    token = csrf_token(client)
    if action == "create":
        now = utcnow()
        return client.post("/rounds/new", data={
            "csrf_token": token, "title": "Nieuwe ronde", "method": "ranked",
            "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "quorum_percent": "50", "candidates": [str(i) for i in candidates]})  # fmt: skip
    if action in ("view", "results"):
        return client.get(f"/rounds/{round_id}")
    if action in ("open", "close"):
        return client.post(f"/rounds/{round_id}/{action}", data={"csrf_token": token})
    if action in ("vote", "change_vote"):
        data = {"csrf_token": token, f"rank-{a}": "1", f"rank-{b}": "2"}
        if action == "change_vote":
            client.post(f"/rounds/{round_id}/vote", data=data)
            data = {"csrf_token": token, f"rank-{b}": "1"}
        return client.post(f"/rounds/{round_id}/vote", data=data)
    return client.get(f"/rounds/{round_id}/results.csv")


@pytest.mark.parametrize("role, state, action, code", WIRING)
def test_round_routes_ask_their_policy(app, client, role, state, action, code):
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
    response = _act(client, action, round_id, candidates, a, b)
    assert response.status_code == code
    if action == "results":
        assert ("Uitslag" in response.get_data(as_text=True)) is (state == "gesloten")
    with app.app_context():
        stored = db.session.scalar(select(func.count(Ballot.id)))
        status = db.session.get(PriorityRound, round_id).status
    if action in ("vote", "change_vote"):
        assert stored == (1 if code == 302 or action == "change_vote" else 0)
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
        rnd, (a, b, c), _ = make_round(method="score", candidates=3, secret=False)
        round_id = rnd.id
    post(member_client, f"/rounds/{round_id}/vote", {f"score-{a}": "5", f"score-{b}": "2"})
    html = member_client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Uw stem is vastgelegd" in html
    assert f'id="score-{a}" name="score-{a}"' in html and 'value="5"' in html
    assert "Stem wijzigen" in html


def test_a_secret_ballot_is_final_and_the_page_says_so_before(app, member_client):
    with app.app_context():
        rnd, (a, b, c), _ = make_round(method="score", candidates=3, secret=True)
        round_id = rnd.id
    before = member_client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "uw stem is definitief zodra u haar vastlegt" in before
    response = post(member_client, f"/rounds/{round_id}/vote", {f"score-{a}": "5"})
    assert response.status_code == 302
    after = member_client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "U heeft gestemd. Uw stem is geheim en definitief" in after
    assert f'name="score-{a}"' not in after  # no form, and nothing to read back
    again = post(member_client, f"/rounds/{round_id}/vote", {f"score-{b}": "5"})
    assert again.status_code == 422
    assert "Een geheime stem is definitief" in again.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(select(Ballot)).all()
        assert [row.content for row in stored] == [{"scores": {str(a): 5}}]


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


def _due(rnd: PriorityRound, *, opened: bool) -> None:
    """Put the round's time in the past: its opening (concept) or its closing (open)."""
    if opened:
        rnd.opens_at = utcnow() - timedelta(days=2)
        rnd.closes_at = utcnow() - timedelta(minutes=1)
    else:
        rnd.opens_at = utcnow() - timedelta(minutes=1)


def test_looking_at_a_due_round_changes_nothing(app, client):
    """A concept past its opening time shows as open, an open round past its
    closing time as closed; neither page nor list makes the step itself."""
    with app.test_request_context():
        make_member(email="lid@example.org")
        due_open, _ids, _ = make_round(open_now=False)
        due_close, _ids, _ = make_round()
        _due(due_open, opened=False)
        _due(due_close, opened=True)
        db.session.commit()
        open_id, close_id = due_open.id, due_close.id
        mails = db.session.scalar(select(func.count(MailMessage.id)))
    login(client, "lid@example.org")
    listing = client.get("/rounds/").get_data(as_text=True)
    assert f"/rounds/{open_id}" in listing  # a member sees the round that is due to open
    page = client.get(f"/rounds/{open_id}")
    assert page.status_code == 200 and '<span class="status">Open</span>' in page.get_data(
        as_text=True
    )
    closed = client.get(f"/rounds/{close_id}").get_data(as_text=True)
    assert '<span class="status">Gesloten</span>' in closed and "Uitslag" not in closed
    assert client.get(f"/rounds/{close_id}/results.csv").status_code == 404
    with app.app_context():
        assert db.session.get(PriorityRound, open_id).status == "concept"
        assert db.session.get(PriorityRound, close_id).status == "open"
        assert db.session.get(PriorityRound, close_id).reminded_at is None
        assert db.session.scalar(select(func.count(MailMessage.id))) == mails


def test_a_ballot_after_the_closing_time_is_refused_before_the_job_runs(app, client):
    with app.test_request_context():
        make_member(email="lid@example.org")
        rnd, (a, b, _c), _ = make_round()  # opened: the member is in the snapshot
        _due(rnd, opened=True)
        db.session.commit()
        round_id = rnd.id
    login(client, "lid@example.org")
    response = post(client, f"/rounds/{round_id}/vote", {f"rank-{a}": "1", f"rank-{b}": "2"})
    assert response.status_code == 422
    assert '<span class="status">Gesloten</span>' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Ballot.id))) == 0
        assert db.session.get(PriorityRound, round_id).status == "open"


def test_the_job_makes_the_steps_and_then_the_result_shows(app, client):
    with app.test_request_context():
        member = make_member(email="lid@example.org")
        rnd, (a, b, _c), _ = make_round()
        ballots.cast_ballot(rnd, member, {"ranking": {a: 1, b: 2}})
        _due(rnd, opened=True)
        db.session.commit()
        round_id = rnd.id
    with app.app_context():
        assert services.run_schedule()["closed"] == 1
        db.session.commit()
    login(client, "lid@example.org")
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert '<span class="status">Gesloten</span>' in page and "Uitslag" in page
    assert client.get(f"/rounds/{round_id}/results.csv").status_code == 200
