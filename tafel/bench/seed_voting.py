"""Seeding closed priority rounds, one per voting method, to time the round page."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tafel.accounts.models import Organisation, User
from tafel.bench.words import SECRETARIAT_EMAIL
from tafel.reference.models import OrganisationType
from tafel.submissions.models import Submission

PARAMS = {"approval": {"k": 5}, "dot": {"total": 10, "max_per_candidate": 5}}


def seed_rounds(session: Session, ballots: int, candidates: int, seed: int = 7) -> dict[str, int]:
    """One closed round per voting method with `ballots` ballots over
    `candidates` accepted submissions; returns the round ids by method."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    subs = session.scalars(
        select(Submission.id)
        .where(Submission.status == "aanvaard", Submission.visibility != "vertrouwelijk")
        .limit(candidates)
    ).all()
    voters = session.execute(
        select(User.id, OrganisationType.constituency_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
        .limit(ballots)
    ).all()
    creator = session.scalar(select(User.id).where(User.email == SECRETARIAT_EMAIL))
    now = datetime.now(UTC)
    made: dict[str, int] = {}
    for method in ("approval", "dot", "ranked", "score"):
        made[method] = _closed_round(session, method, creator, now, subs, voters, rng)
    session.commit()
    return made


def _closed_round(session: Session, method: str, creator, now, subs, voters, rng) -> int:
    """A secret round that closed yesterday, every eligible voter having voted."""
    from tafel.voting.methods import random_ballot
    from tafel.voting.models import Ballot, EligibleVoter, PriorityRound, RoundCandidate

    rnd = PriorityRound(
        title=f"Benchmark {method}", method=method, params=PARAMS.get(method, {}),
        secret=True, quorum_percent=50, status="gesloten", created_by_id=creator,
        opens_at=now - timedelta(days=8), closes_at=now - timedelta(days=1),
        opened_at=now - timedelta(days=8), closed_at=now - timedelta(days=1),
    )  # fmt: skip
    session.add(rnd)
    session.flush()
    session.execute(
        insert(RoundCandidate),
        [{"round_id": rnd.id, "submission_id": s, "position": n} for n, s in enumerate(subs, 1)],
    )
    session.execute(
        insert(EligibleVoter),
        [{"round_id": rnd.id, "user_id": u, "constituency_id": c, "voted": True}
         for u, c in voters],
    )  # fmt: skip
    session.execute(
        insert(Ballot),
        [
            {"id": f"{rnd.id:04d}{n:028x}", "round_id": rnd.id, "constituency_id": c,
             "content": random_ballot(method, subs, rng, **PARAMS.get(method, {}))}
            for n, (_u, c) in enumerate(voters)
        ],
    )  # fmt: skip
    # As services.close_round does: the result is tallied once and stored.
    from tafel.voting.results import store_result

    session.expire(rnd, ["candidates"])
    store_result(rnd)
    session.flush()
    return rnd.id
