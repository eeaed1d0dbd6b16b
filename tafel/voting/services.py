"""Priority rounds: create, open (snapshot of the voters), close, extend, and
the scheduled job that opens and closes rounds on time and sends reminders.
Ballots are cast in ballots.py, results are counted in results.py. Services
flush, audit and notify; the view (or the job's command) commits."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User, UserRole
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.db import utcnow
from tafel.notifications.services import in_platform_language, notify
from tafel.reference.models import OrganisationType
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound, RoundCandidate
from tafel.voting.results import MIN_GROUP, store_result

log = logging.getLogger(__name__)

CANDIDATE_STATUSES = ("aanvaard", "geagendeerd", "besproken")
CANDIDATE_VISIBILITIES = ("openbaar", "tafel")


class VotingError(ServiceError):
    """A refused step in a priority round."""


def round_path(rnd: PriorityRound) -> str:
    return f"/rounds/{rnd.id}"


# Creating and steering a round ----------------------------------------------------


def eligible_candidates(ids: list[int] | None = None) -> list[Submission]:
    """Accepted submissions the table may read (never a confidential one: voters
    must be able to read what they vote on)."""
    query = select(Submission).where(
        Submission.status.in_(CANDIDATE_STATUSES),
        Submission.visibility.in_(CANDIDATE_VISIBILITIES),
    )
    if ids is not None:
        query = query.where(Submission.id.in_(ids))
    return list(db.session.scalars(query.order_by(Submission.cosign_count.desc(), Submission.id)))


def create_round(
    actor: User,
    *,
    title: str,
    explanation: str,
    method: str,
    params: dict[str, Any],
    opens_at: datetime,
    closes_at: datetime,
    secret: bool,
    quorum_percent: int,
    candidate_ids: list[int],
) -> PriorityRound:
    if closes_at <= opens_at:
        raise VotingError(_("De ronde moet sluiten na de opening."), "closes_at")
    if closes_at <= utcnow():
        raise VotingError(_("De sluitingstijd ligt in het verleden."), "closes_at")
    chosen = eligible_candidates(candidate_ids)
    if len(chosen) != len(set(candidate_ids)):
        raise VotingError(
            _("Kies alleen aanvaarde meldingen die de tafelleden mogen lezen."), "candidates"
        )
    if len(chosen) < 2:
        raise VotingError(_("Kies ten minste twee kandidaten."), "candidates")
    order = {sub_id: n for n, sub_id in enumerate(candidate_ids)}
    chosen.sort(key=lambda sub: order[sub.id])
    rnd = PriorityRound(
        title=title.strip(),
        explanation=explanation.strip(),
        method=method,
        params=params,
        opens_at=opens_at,
        closes_at=closes_at,
        secret=secret,
        quorum_percent=quorum_percent,
        status="concept",
        created_by_id=actor.id,
        candidates=[
            RoundCandidate(submission_id=sub.id, position=n) for n, sub in enumerate(chosen, 1)
        ],
    )
    db.session.add(rnd)
    db.session.flush()
    audit.record(
        "round.create",
        rnd,
        actor,
        after={"title": rnd.title, "method": method, "candidates": [s.id for s in chosen]},
    )
    return rnd


def _members() -> list[tuple[User, int | None]]:
    """Active table members with the constituency of their organisation."""
    rows = db.session.execute(
        select(User, OrganisationType.constituency_id)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
        .where(UserRole.role == "tafellid", User.active.is_(True))
        .order_by(User.id)
    ).all()
    return [(user, constituency_id) for user, constituency_id in rows]


def _advance(rnd: PriorityRound, source: str, target: str, stamp: str, refusal: str) -> datetime:
    """Move the round's status in the database itself (compare and set), so of
    two workers doing the same step exactly one succeeds; returns the moment."""
    now = utcnow()
    if not db.compare_and_set(
        rnd, {"status": source}, refresh=False, status=target, **{stamp: now}
    ):
        log.info("round %s: step %s → %s refused, status changed meanwhile", rnd.id, source, target)
        raise VotingError(refusal)
    return now


def open_round(rnd: PriorityRound, actor: User | None = None) -> None:
    """Open the round: take the snapshot of eligible voters and tell them."""
    now = _advance(rnd, "concept", "open", "opened_at", _("Deze ronde is al geopend."))
    if rnd.opens_at > now:
        rnd.opens_at = now  # opened early
    members = _members()
    for user, constituency_id in members:
        db.session.add(
            EligibleVoter(round_id=rnd.id, user_id=user.id, constituency_id=constituency_id)
        )
    for candidate in rnd.candidates:
        add_event(
            candidate.submission,
            "round",
            actor,
            by_secretariat=actor is not None,
            round_id=rnd.id,
            title=rnd.title,
        )
    audit.record(
        "round.open", rnd, actor, before={"status": "concept"}, after={"voters": len(members)}
    )
    with in_platform_language():
        for user, _constituency in members:
            notify(
                user,
                _("Prioriteringsronde geopend: %(title)s", title=rnd.title),
                round_path(rnd),
                _(
                    "U kunt stemmen in de prioriteringsronde ‘%(title)s’ tot %(closes)s.",
                    title=rnd.title,
                    closes=_format_local(rnd.closes_at),
                ),
            )


def _format_local(value: datetime) -> str:
    from tafel.core.timefmt import local_datetime

    return local_datetime(value, "long")


def close_round(rnd: PriorityRound, actor: User | None = None) -> None:
    now = _advance(rnd, "open", "gesloten", "closed_at", _("Deze ronde is niet open."))
    if rnd.closes_at > now:
        rnd.closes_at = now  # closed early
    if rnd.secret:
        _anonymise_ballots(rnd)
    outcome = store_result(rnd)
    positions = {row.candidate: row.position for row in outcome.overall.rows}
    for candidate in rnd.candidates:
        candidate.final_position = positions.get(candidate.submission_id)
        add_event(
            candidate.submission,
            "round_result",
            actor,
            by_secretariat=actor is not None,
            round_id=rnd.id,
            title=rnd.title,
            position=candidate.final_position,
            of=len(rnd.candidates),
        )
    audit.record("round.close", rnd, actor, before={"status": "open"}, after={"status": "gesloten"})


def _anonymise_ballots(rnd: PriorityRound) -> None:
    """The ballots, which never named their voters, are written again in random
    order under new random ids (so storage order tells nothing about who voted
    first), and a constituency with fewer than MIN_GROUP ballots loses its
    label on them."""
    rows = db.session.execute(
        select(Ballot.content, Ballot.constituency_id).where(Ballot.round_id == rnd.id)
    ).all()
    sizes: dict[int | None, int] = {}
    for _content, constituency_id in rows:
        sizes[constituency_id] = sizes.get(constituency_id, 0) + 1
    db.session.execute(Ballot.__table__.delete().where(Ballot.__table__.c.round_id == rnd.id))
    shuffled = list(rows)
    secrets.SystemRandom().shuffle(shuffled)
    if shuffled:
        db.session.execute(
            Ballot.__table__.insert(),
            [
                {
                    "id": secrets.token_hex(16),
                    "round_id": rnd.id,
                    "content": content,
                    "constituency_id": constituency_id
                    if sizes[constituency_id] >= MIN_GROUP
                    else None,
                    "voter_id": None,
                }
                for content, constituency_id in shuffled
            ],
        )
    db.session.expire_all()


def extend_round(rnd: PriorityRound, actor: User, closes_at: datetime) -> None:
    if rnd.status != "open" or rnd.closes_at <= utcnow():
        raise VotingError(_("Alleen een open ronde kan worden verlengd."))
    if closes_at <= rnd.closes_at:
        raise VotingError(_("Kies een sluitingstijd na de huidige."), "closes_at")
    before = rnd.closes_at.isoformat()
    rnd.closes_at = closes_at
    rnd.reminded_at = None
    audit.record(
        "round.extend",
        rnd,
        actor,
        before={"closes_at": before},
        after={"closes_at": closes_at.isoformat()},
    )


def run_schedule(now: datetime | None = None) -> dict[str, int]:
    """Open and close rounds whose time has come, and send the 24-hour
    reminders. Run from the mail timer (`flask --app tafel send-mail`)."""
    now = now or utcnow()
    opened = closed = reminded = 0
    due_to_open = db.session.scalars(
        select(PriorityRound).where(
            PriorityRound.status == "concept", PriorityRound.opens_at <= now
        )
    ).all()
    for rnd in due_to_open:
        opened += _quietly(open_round, rnd)
    due_to_close = db.session.scalars(
        select(PriorityRound).where(PriorityRound.status == "open", PriorityRound.closes_at <= now)
    ).all()
    for rnd in due_to_close:
        closed += _quietly(close_round, rnd)
    for rnd in db.session.scalars(
        select(PriorityRound).where(
            PriorityRound.status == "open",
            PriorityRound.reminded_at.is_(None),
            PriorityRound.closes_at <= now + timedelta(hours=24),
        )
    ):
        reminded += send_reminder(rnd, now)
    return {"opened": opened, "closed": closed, "reminded": reminded}


def _quietly(step, rnd: PriorityRound) -> int:
    """Run one scheduled step; another worker may just have done it."""
    try:
        with db.session.begin_nested():
            step(rnd)
    except VotingError:
        return 0
    return 1


def send_reminder(rnd: PriorityRound, now: datetime) -> int:
    waiting = db.session.scalars(
        select(User)
        .join(EligibleVoter, EligibleVoter.user_id == User.id)
        .where(EligibleVoter.round_id == rnd.id, EligibleVoter.voted.is_(False), User.active)
    ).all()
    with in_platform_language():
        for user in waiting:
            notify(
                user,
                _("Herinnering: stem in ‘%(title)s’", title=rnd.title),
                round_path(rnd),
                _(
                    "De prioriteringsronde ‘%(title)s’ sluit op %(closes)s. "
                    "U heeft nog niet gestemd.",
                    title=rnd.title,
                    closes=_format_local(rnd.closes_at),
                ),
            )
    rnd.reminded_at = now
    return len(waiting)
