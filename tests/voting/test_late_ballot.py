"""A ballot posted after the round closed is told so, on the round page, in plain
sight (the ballot block itself is gone from a closed round's page)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import User
from tafel.db import utcnow
from tafel.voting import services
from tafel.voting.models import Ballot, PriorityRound
from tests.conftest import login, post
from tests.voting.factories import make_member, make_round

LATE = "De ronde is gesloten; uw stem is niet vastgelegd."


def _open_round_with_member(app):
    with app.app_context():
        make_member(email="laat@example.org")
        rnd, candidates, secretariat = make_round("approval", secret=False)
        return rnd.id, candidates, secretariat.id


def _ballots(round_id: int) -> list[dict]:
    return db.session.scalars(select(Ballot.content).where(Ballot.round_id == round_id)).all()


def test_a_ballot_after_closing_is_told_it_was_not_recorded(app):
    round_id, candidates, secretariat_id = _open_round_with_member(app)
    member = app.test_client()
    login(member, "laat@example.org")
    assert f"/rounds/{round_id}/vote" in member.get(f"/rounds/{round_id}").get_data(as_text=True)
    with app.app_context():  # closed while the member had the page open
        rnd = db.session.get(PriorityRound, round_id)
        services.close_round(rnd, db.session.get(User, secretariat_id))
        db.session.commit()
    response = post(member, f"/rounds/{round_id}/vote", {"approve": str(candidates[0])})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert LATE in page
    assert "Uw stem is niet vastgelegd" in page
    assert 'role="alert"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Ballot.id))) == 0


def test_a_ballot_past_the_closing_time_before_the_job_ran_is_told_too(app):
    round_id, candidates, _ = _open_round_with_member(app)
    member = app.test_client()
    login(member, "laat@example.org")
    post(member, f"/rounds/{round_id}/vote", {"approve": str(candidates[0])})
    with app.app_context():  # the closing time passed; the scheduled job has not run yet
        rnd = db.session.get(PriorityRound, round_id)
        rnd.opens_at, rnd.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = post(member, f"/rounds/{round_id}/vote", {"approve": str(candidates[1])})
    assert response.status_code == 422
    assert LATE in response.get_data(as_text=True)
    with app.app_context():  # the ballot cast in time stands, unchanged
        assert _ballots(round_id) == [{"approve": [candidates[0]]}]
