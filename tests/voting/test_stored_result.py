"""A closed round's result is tallied once, when it closes, and stored on the
round; its pages read it back instead of counting the ballots again."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from tafel import db
from tafel.voting import ballots, results, services
from tafel.voting.models import Ballot
from tests.conftest import login
from tests.voting.factories import make_member, make_round

CONTENT = {
    "approval": lambda a, b, c, n: {"approve": [a, b] if n % 2 else [c]},
    "dot": lambda a, b, c, n: {"points": {a: 6, b: 4} if n % 2 else {c: 5}},
    "score": lambda a, b, c, n: {"scores": {a: n % 6, b: 5 - n % 6, c: 3}},
    "ranked": lambda a, b, c, n: {
        "ranking": {a: 1 + n % 3, b: 1 + (n + 1) % 3, c: 1 + (n + 2) % 3}
    },
}


def _closed(method: str, voters: int = 7, secret: bool = True):
    members = [make_member(("mkb", "universiteit", "gemeente")[n % 3]) for n in range(voters)]
    rnd, (a, b, c), secretariat = make_round(method=method, secret=secret)
    for n, member in enumerate(members):
        ballots.cast_ballot(rnd, member, CONTENT[method](a, b, c, n))
    db.session.commit()
    tallied = results.tally_round(rnd)
    services.close_round(rnd, secretariat)
    db.session.commit()
    return rnd, tallied, secretariat


@pytest.mark.parametrize("method", sorted(CONTENT))
def test_the_stored_result_is_the_tally(ctx, method):
    rnd, tallied, _ = _closed(method)
    assert rnd.result is not None
    stored = results.results(rnd)
    assert stored.overall == tallied.overall
    assert stored.by_constituency == tallied.by_constituency
    assert (stored.voted, stored.eligible) == (tallied.voted, tallied.eligible)
    assert stored.voted_by_constituency == tallied.voted_by_constituency
    assert stored.eligible_by_constituency == tallied.eligible_by_constituency
    assert stored.disagreement == tallied.disagreement


def test_a_closed_round_is_not_counted_again(ctx):
    """Take the ballots away after closing: the result stays what it was."""
    rnd, tallied, _ = _closed("ranked")
    db.session.execute(delete(Ballot).where(Ballot.round_id == rnd.id))
    db.session.commit()
    assert results.tally_round(rnd).overall.ballots == 0
    assert results.results(rnd).overall == tallied.overall


def test_an_open_round_is_tallied_from_its_ballots(ctx):
    member = make_member()
    rnd, (a, b, c), _ = make_round(method="dot", params={"total": 10, "max_per_candidate": 10})
    ballots.cast_ballot(rnd, member, {"points": {b: 10}})
    db.session.commit()
    assert rnd.result is None
    assert results.results(rnd).overall.rows[0].candidate == b


def test_a_round_closed_before_results_were_stored_is_tallied(ctx):
    rnd, tallied, _ = _closed("approval")
    rnd.result = None
    db.session.commit()
    assert results.results(rnd).overall == tallied.overall


def test_the_result_page_reads_no_ballot(app, client, count_queries):
    with app.app_context():
        rnd, _, secretariat = _closed("score", voters=6, secret=False)
        round_id, email = rnd.id, secretariat.email
    login(client, email, "correct-horse-battery")
    client.get(f"/rounds/{round_id}")
    with count_queries() as statements:
        page = client.get(f"/rounds/{round_id}")
    assert page.status_code == 200
    # Named round: the page lists who voted what (one query on ballots), but
    # the tally reads no ballot content.
    reading_ballots = [s for s in statements if "FROM ballots" in s]
    assert all("ballots.content, ballots.constituency_id" not in s for s in reading_ballots)
