"""The benchmark seeder and timer (tafel.bench), on a small scale."""

from __future__ import annotations

from sqlalchemy import func, select

from tafel import bench, db
from tafel.accounts.models import Organisation, User, UserRole
from tafel.core import search
from tafel.submissions.models import Comment, CoSignature, Submission


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_and_measure(app):
    with app.app_context():
        result = bench.seed(db.session, 300, 50, 100, 1000, seed=7)
        assert count(Organisation) == 50
        assert count(User) == 100
        assert count(Submission) == 300
        assert count(CoSignature) == 1000
        assert count(Comment) == bench.SHOWCASE_COMMENTS

        # cosign_count agrees with the rows; the showcase has exactly 20.
        per_submission = dict(
            db.session.execute(
                select(CoSignature.submission_id, func.count()).group_by(CoSignature.submission_id)
            ).all()
        )
        stored = dict(db.session.execute(select(Submission.id, Submission.cosign_count)).all())
        assert all(stored[sid] == per_submission.get(sid, 0) for sid in stored)
        showcase = db.session.get(Submission, result["showcase_id"])
        assert showcase.cosign_count == bench.SHOWCASE_COSIGNATURES
        assert (showcase.visibility, showcase.status) == ("openbaar", "aanvaard")

        # A realistic spread, and the secretariat account.
        assert len(set(db.session.scalars(select(Submission.status)))) >= 8
        assert set(db.session.scalars(select(Submission.visibility))) == {
            "openbaar",
            "tafel",
            "vertrouwelijk",
        }
        assert len(set(db.session.scalars(select(Submission.market_id)))) >= 4
        secretariat = db.session.scalars(
            select(UserRole.role).join(User).where(User.email == result["secretariat_email"])
        ).all()
        assert secretariat == ["secretariaat"]

        # Everything is in the search index, and compounds are found.
        table = search._table(db.session.get_bind().dialect.name)
        assert db.session.scalar(select(func.count()).select_from(table)) == 300
        hits = search.matching_ids("vergunning").subquery()
        assert 0 < db.session.scalar(select(func.count()).select_from(hits)) < 300

        # New rows after the bulk load get fresh ids (PostgreSQL sequences moved on).
        highest = db.session.scalar(select(func.max(Organisation.id)))
        org = Organisation(name="Na de bench", org_type_id=showcase.organisation.org_type_id)
        db.session.add(org)
        db.session.flush()
        assert org.id > highest
        db.session.rollback()

    home = bench.measure(app, "/", runs=3)
    assert home["available"] and home["status"] == 200
    assert home["p50_ms"] > 0 and home["p95_ms"] >= home["p50_ms"]
    assert home["queries"] >= 1

    signed_in = bench.measure(app, "/account/", user_email=result["secretariat_email"], runs=2)
    assert signed_in["status"] == 200

    assert bench.measure(app, "/no-such-page/", runs=1) == {
        "url": "/no-such-page/",
        "available": False,
    }
    table = bench.format_table([home | {"as": "anonymous"}], 3)
    assert "/" in table and "p95" in table
