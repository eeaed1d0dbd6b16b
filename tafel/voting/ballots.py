"""Voting in a priority round: who may vote, casting (or, in a named round,
replacing) a ballot and reading back one's own. In a secret round the ballot
is written without any reference to its voter from the first moment: the
voter's row only says "voted", the ballot row holds only the content, so a
secret ballot is final once cast and nobody, the voter included, can read it
back (see models.py). A ballot is refused once the closing time has passed,
whatever the stored status says."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import User
from tafel.db import utcnow
from tafel.voting import methods
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound
from tafel.voting.results import MIN_GROUP, candidate_ids
from tafel.voting.services import VotingError

FINAL = _l("U heeft in deze geheime ronde al gestemd. Een geheime stem is definitief.")
ERROR_MESSAGES = {
    "too_many_approvals": _l("U kiest meer kandidaten dan toegestaan."),
    "over_budget": _l("U verdeelt meer punten dan u heeft."),
    "over_max_per_candidate": _l("U geeft een kandidaat meer punten dan toegestaan."),
    "negative": _l("Punten kunnen niet negatief zijn."),
    "score_out_of_range": _l("Een cijfer ligt tussen 0 en 5."),
    "duplicate_rank": _l("U gebruikt hetzelfde rangnummer twee keer."),
    "rank_out_of_range": _l("Een rangnummer ligt tussen 1 en het aantal kandidaten."),
    "unknown_candidate": _l("Deze kandidaat hoort niet bij de ronde."),
    "empty": _l(
        "Uw stem is leeg: kies ten minste één kandidaat, of geef er punten, een cijfer "
        "of een rangnummer aan."
    ),
    "incomplete_ranking": _l("Rangschik alle kandidaten."),
    "duplicate_candidate": _l("Een kandidaat staat twee keer op uw stem."),
    "malformed": _l("Deze stem kan niet worden gelezen. Vul het formulier opnieuw in."),
}


def voter_for(rnd: PriorityRound, user: User) -> EligibleVoter | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(EligibleVoter).where(
            EligibleVoter.round_id == rnd.id, EligibleVoter.user_id == user.id
        )
    )


def is_voting_window(rnd: PriorityRound, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return rnd.status == "open" and now < rnd.closes_at


def normalise(content: dict[str, Any]) -> dict[str, Any]:
    """JSON keeps object keys as text: store candidate ids as text keys."""
    out: dict[str, Any] = {}
    for key, value in content.items():
        out[key] = {str(k): v for k, v in value.items()} if isinstance(value, dict) else value
    return out


def cast_ballot(rnd: PriorityRound, user: User, content: dict[str, Any]) -> Ballot:
    """Record (or replace) the member's ballot; refused outside the window, for
    someone not eligible, or with content the method does not allow."""
    # Lock the round row and look again, so a vote cannot slip in while the
    # round is being closed.
    db.session.refresh(rnd, with_for_update=True)
    if not is_voting_window(rnd):
        raise VotingError(_("Deze ronde is niet open voor stemmen."))
    voter = voter_for(rnd, user)
    if voter is None:
        raise VotingError(_("U staat niet op de lijst van stemgerechtigden van deze ronde."))
    problems = methods.validate(rnd.method, candidate_ids(rnd), content, rnd.params)
    if problems:
        raise VotingError(" ".join(str(ERROR_MESSAGES.get(code, code)) for code in problems))
    content = normalise(content)
    if rnd.secret:
        return _secret_ballot(rnd, voter, content)
    ballot = _named_ballot(rnd, voter, content)
    voter.voted = True
    return ballot


def _named_ballot(rnd, voter, content) -> Ballot:
    existing = db.session.scalar(
        select(Ballot).where(Ballot.round_id == rnd.id, Ballot.voter_id == voter.user_id)
    )
    if existing is None:
        ballot = Ballot(
            id=secrets.token_hex(16),
            round_id=rnd.id,
            constituency_id=voter.constituency_id,
            content=content,
            voter_id=voter.user_id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
                db.session.flush()
            return ballot
        except IntegrityError:
            # A second tab or worker got there first: replace its ballot.
            existing = db.session.scalar(
                select(Ballot).where(Ballot.round_id == rnd.id, Ballot.voter_id == voter.user_id)
            )
    existing.content = content
    return existing


def _secret_ballot(rnd, voter, content) -> Ballot:
    # The voter's mark first, as the one write that decides: a second tab or
    # worker of the same member finds it set and is refused.
    if not db.compare_and_set(voter, {"voted": False}, refresh=False, voted=True):
        raise VotingError(FINAL)
    ballot = Ballot(
        id=secrets.token_hex(16),  # random: no order
        round_id=rnd.id,
        constituency_id=secret_label(rnd, voter.constituency_id),
        content=content,
    )
    db.session.add(ballot)
    db.session.flush()
    return ballot


def secret_label(rnd: PriorityRound, constituency_id: int | None) -> int | None:
    """A secret ballot carries its constituency only when that constituency has
    at least MIN_GROUP eligible voters (else the label would name the voter)."""
    if constituency_id is None:
        return None
    size = db.session.scalar(
        select(func.count(EligibleVoter.id)).where(
            EligibleVoter.round_id == rnd.id, EligibleVoter.constituency_id == constituency_id
        )
    )
    return constituency_id if (size or 0) >= MIN_GROUP else None


def own_ballot(rnd: PriorityRound, user: User) -> Ballot | None:
    """The member's recorded ballot (while the round is open, or a named one)."""
    voter = voter_for(rnd, user)
    if voter is None:
        return None
    if rnd.secret:
        return None  # nothing links it to the member, by design
    return db.session.scalar(
        select(Ballot).where(Ballot.round_id == rnd.id, Ballot.voter_id == user.id)
    )
