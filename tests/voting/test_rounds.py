"""Rounds end to end in the services: snapshot, ballots, secrecy, integrity, results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from tafel import db
from tafel.db import utcnow
from tafel.notifications.models import Notification
from tafel.submissions.models import TimelineEvent
from tafel.voting import ballots, results, services
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound
from tests.voting.factories import make_member, make_round


def test_opening_takes_a_snapshot_of_the_members_and_tells_them(ctx):
    first = make_member("mkb")
    second = make_member("universiteit")
    rnd, candidates, _ = make_round()
    late = make_member("gemeente")  # joins after opening: not eligible
    voters = {v.user_id: v.constituency.slug for v in db.session.scalars(
        select(EligibleVoter).where(EligibleVoter.round_id == rnd.id))}  # fmt: skip
    assert voters == {first.id: "bedrijfsleven", second.id: "kennisinstellingen"}
    told = set(db.session.scalars(select(Notification.user_id)))
    assert told == {first.id, second.id}
    with pytest.raises(services.VotingError):
        ballots.cast_ballot(rnd, late, {"ranking": {candidates[0]: 1}})
    events = db.session.scalars(
        select(TimelineEvent.kind).where(TimelineEvent.submission_id == candidates[0])
    ).all()
    assert "round" in events


def test_a_member_can_change_a_named_ballot_and_there_is_one(ctx):
    member = make_member()
    rnd, (a, b, c), _ = make_round(secret=False)
    ballots.cast_ballot(rnd, member, {"ranking": {a: 1, b: 2}})
    db.session.commit()
    ballots.cast_ballot(rnd, member, {"ranking": {c: 1, a: 2}})
    db.session.commit()
    stored = db.session.scalars(select(Ballot)).all()
    assert len(stored) == 1 and stored[0].content == {"ranking": {str(c): 1, str(a): 2}}
    assert ballots.own_ballot(rnd, member).id == stored[0].id


@pytest.mark.parametrize(
    "content, code",
    [
        ({"ranking": {}}, "leeg"),
        ({"ranking": {"999999": 1}}, "hoort niet bij de ronde"),
        ({"ranking": {"A": 1, "B": 1}}, "twee keer"),
    ],
    ids=["empty", "unknown-candidate", "same-rank-twice"],
)
def test_invalid_ballots_are_refused_and_change_nothing(ctx, content, code):
    member = make_member()
    rnd, (a, b, _c), _ = make_round()
    if "A" in content["ranking"]:
        content = {"ranking": {a: 1, b: 1}}
    with pytest.raises(services.VotingError) as refused:
        ballots.cast_ballot(rnd, member, content)
    assert code in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(Ballot.id))) == 0


def test_no_vote_outside_the_window(ctx):
    member = make_member()
    rnd, (a, *_), _ = make_round(open_now=False)
    with pytest.raises(services.VotingError):
        ballots.cast_ballot(rnd, member, {"ranking": {a: 1}})
    services.open_round(rnd)
    rnd.opens_at = utcnow() - timedelta(minutes=2)
    rnd.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.VotingError):
        ballots.cast_ballot(rnd, member, {"ranking": {a: 1}})


def test_closing_a_secret_round_unlinks_every_ballot_from_its_voter(ctx):
    members = [make_member(t) for t in ("mkb", "universiteit", "gemeente")]
    rnd, (a, b, c), secretariat = make_round(secret=True)
    for n, member in enumerate(members):
        ballots.cast_ballot(rnd, member, {"ranking": {a: 1 + n % 3, b: 1 + (n + 1) % 3}})
    db.session.commit()
    services.close_round(rnd, secretariat)
    db.session.commit()
    # Inspect every column of the voting tables: nothing names a voter.
    for row in db.session.scalars(select(EligibleVoter)):
        assert row.voted
    assert "ballot_id" not in {c.name for c in inspect(EligibleVoter).columns}
    for row in db.session.scalars(select(Ballot)):
        assert row.voter_id is None
    ballot_columns = {c.name for c in inspect(Ballot).columns}
    assert not ballot_columns & {"created_at", "updated_at", "voted_at", "user_id"}
    assert ballots.own_ballot(rnd, members[0]) is None


def test_named_round_keeps_who_voted_what(ctx):
    member = make_member()
    rnd, (a, *_), secretariat = make_round(secret=False)
    ballots.cast_ballot(rnd, member, {"ranking": {a: 1}})
    services.close_round(rnd, secretariat)
    db.session.commit()
    assert db.session.scalars(select(Ballot.voter_id)).one() == member.id


def test_results_overall_and_per_constituency_with_disagreement(ctx):
    business = [make_member("mkb") for _ in range(2)]
    knowledge = [make_member("universiteit") for _ in range(2)]
    make_member("gemeente")  # eligible, does not vote
    rnd, (a, b, c), secretariat = make_round(
        method="dot", params={"total": 10, "max_per_candidate": 10}, candidates=3, secret=False
    )
    for m in business:
        ballots.cast_ballot(rnd, m, {"points": {a: 10}})
    for m in knowledge:
        ballots.cast_ballot(rnd, m, {"points": {b: 6, c: 4}})
    services.close_round(rnd, secretariat)
    db.session.commit()
    outcome = results.results(rnd)
    assert [(r.candidate, r.points) for r in outcome.overall.rows] == [(a, 20), (b, 12), (c, 8)]
    assert (outcome.voted, outcome.eligible) == (4, 5)
    assert outcome.voted_by_constituency == {"bedrijfsleven": 2, "kennisinstellingen": 2,
                                             "overheid": 0}  # fmt: skip
    business_rows = outcome.by_constituency["bedrijfsleven"].rows
    assert business_rows[0].candidate == a
    # Per constituency the turnout adds up to the whole.
    assert sum(r.ballots for r in outcome.by_constituency.values()) == outcome.overall.ballots
    # Business puts a first, knowledge institutions b; both put c second.
    assert outcome.disagreement == {a, b}
    positions = {c.submission_id: c.final_position for c in rnd.candidates}
    assert positions == {a: 1, b: 2, c: 3}
    assert results.latest_ranking()[0][0].id == a


def test_disagreement_on_the_top_three_is_marked(ctx):
    business, knowledge = make_member("mkb"), make_member("universiteit")
    rnd, ids, secretariat = make_round(
        method="approval", params={"k": 3}, candidates=5, secret=False
    )
    ballots.cast_ballot(rnd, business, {"approve": ids[:3]})
    ballots.cast_ballot(rnd, knowledge, {"approve": ids[2:]})
    services.close_round(rnd, secretariat)
    outcome = results.results(rnd)
    assert outcome.disagreement == {ids[0], ids[1], ids[3], ids[4]}


def test_schedule_opens_closes_and_reminds(ctx):
    member, voter = make_member(), make_member()
    rnd, (a, *_), _ = make_round(open_now=False)
    rnd.opens_at = utcnow() - timedelta(minutes=5)
    rnd.closes_at = utcnow() + timedelta(hours=48)
    db.session.commit()
    assert services.run_schedule() == {"opened": 1, "closed": 0, "reminded": 0}
    ballots.cast_ballot(rnd, voter, {"ranking": {a: 1}})
    rnd.closes_at = utcnow() + timedelta(hours=12)
    db.session.commit()
    result = services.run_schedule()
    assert result["reminded"] == 1  # only the member who has not voted
    reminders = db.session.scalars(
        select(Notification.user_id).where(Notification.title.like("Herinnering%"))
    ).all()
    assert reminders == [member.id]
    assert services.run_schedule()["reminded"] == 0  # once
    rnd.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert services.run_schedule()["closed"] == 1
    assert db.session.get(PriorityRound, rnd.id).status == "gesloten"


def test_candidates_must_be_accepted_and_readable_by_the_table(app):
    from tests.factories import make_submission, make_user

    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        ok = make_submission(status="aanvaard", visibility="tafel")
        secret = make_submission(status="aanvaard", visibility="vertrouwelijk")
        new = make_submission(status="ingediend", visibility="openbaar")
        for bad in (secret, new):
            with pytest.raises(services.VotingError):
                services.create_round(
                    secretariat, title="x", explanation="", method="ranked", params={},
                    opens_at=utcnow(), closes_at=utcnow() + timedelta(days=1), secret=True,
                    quorum_percent=50, candidate_ids=[ok.id, bad.id],
                )  # fmt: skip


def test_two_simultaneous_first_votes_leave_one_ballot(app, database_url):
    """Two tabs or two workers submit the first ballot of one member at once."""
    import threading

    from tafel import create_app
    from tests.conftest import make_config

    with app.test_request_context():
        member = make_member()
        rnd, (a, b, _c), _ = make_round(secret=True)
        round_id, member_id = rnd.id, member.id
    workers = [app, create_app(make_config(database_url))]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def vote(worker, ranks):
        try:
            with worker.test_request_context():
                from tafel.accounts.models import User

                rnd = db.session.get(PriorityRound, round_id)
                user = db.session.get(User, member_id)
                ballots.voter_for(rnd, user)  # load before racing
                barrier.wait(timeout=10)
                ballots.cast_ballot(rnd, user, {"ranking": ranks})
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=vote, args=(workers[0], {a: 1})),
        threading.Thread(target=vote, args=(workers[1], {b: 1})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    workers[1].extensions["tafel_engine"].dispose()
    # A secret ballot is final: one of the two is refused; never two ballots.
    assert len(errors) <= 1, errors
    with app.app_context():
        stored = db.session.scalars(select(Ballot)).all()
        voter = db.session.scalars(
            select(EligibleVoter).where(EligibleVoter.user_id == member_id)
        ).one()
        assert len(stored) == 1 and stored[0].voter_id is None and voter.voted


def test_secret_round_hides_small_constituencies_and_reorders_ballots(ctx):
    """One or two voters of a constituency would be identifiable from its column;
    the stored order of ballots would tell who voted first."""
    business = [make_member("mkb") for _ in range(3)]
    government = make_member("gemeente")
    rnd, (a, b, c), secretariat = make_round(secret=True)
    for member in business:
        ballots.cast_ballot(rnd, member, {"ranking": {a: 1, b: 2}})
    ballots.cast_ballot(rnd, government, {"ranking": {c: 1}})
    db.session.commit()
    before = set(db.session.scalars(select(Ballot.id)))
    services.close_round(rnd, secretariat)
    db.session.commit()
    outcome = results.results(rnd)
    assert outcome.by_constituency["bedrijfsleven"].ballots == 3
    assert outcome.by_constituency["overheid"].ballots == 0  # shown as "–"
    assert outcome.overall.ballots == 4  # still counted in the whole
    assert outcome.voted_by_constituency["overheid"] == 1
    rows = db.session.scalars(select(Ballot)).all()
    assert not before & {row.id for row in rows}  # new ids
    labels = sorted((row.constituency_id is None) for row in rows)
    assert labels == [False, False, False, True]  # the lone voter lost the label


def test_scheduled_steps_done_by_someone_else_are_skipped(app, monkeypatch):
    def beaten(rnd, actor=None):
        raise services.VotingError("Deze ronde is al geopend.")  # another worker was first

    with app.test_request_context():
        rnd, _ids, _ = make_round(open_now=False)
        rnd.opens_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        monkeypatch.setattr(services, "open_round", beaten)
        assert services.run_schedule()["opened"] == 0


def test_a_round_cannot_close_in_the_past(app):
    from tests.factories import make_submission, make_user

    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        subs = [make_submission(status="aanvaard") for _ in range(2)]
        with pytest.raises(services.VotingError) as refused:
            services.create_round(
                secretariat, title="x", explanation="", method="ranked", params={},
                opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(days=1),
                secret=True, quorum_percent=50, candidate_ids=[s.id for s in subs],
            )  # fmt: skip
        assert refused.value.field == "closes_at"
