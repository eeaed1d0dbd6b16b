"""Priority rounds: create, open (snapshot of the voters), vote, close, extend,
and the results. Services flush, audit and notify; the view commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import Organisation, User, UserRole
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.db import utcnow
from tafel.notifications.services import in_platform_language, notify
from tafel.reference.models import Constituency, OrganisationType
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event
from tafel.voting import methods
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound, RoundCandidate

CANDIDATE_STATUSES = ("aanvaard", "geagendeerd", "besproken")
CANDIDATE_VISIBILITIES = ("openbaar", "tafel")

METHOD_LABELS = {
    "approval": _l("Goedkeuren (kies er hoogstens k)"),
    "dot": _l("Punten verdelen"),
    "ranked": _l("Rangschikken"),
    "score": _l("Cijfer geven (0–5)"),
}

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
    moved = db.session.execute(
        update(PriorityRound)
        .where(PriorityRound.id == rnd.id, PriorityRound.status == source)
        .values({"status": target, stamp: now})
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise VotingError(refusal)
    rnd.status = target
    setattr(rnd, stamp, now)
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
    outcome = results(rnd)
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


MIN_GROUP = 3  # smaller constituencies are not shown apart in secret rounds


def _anonymise_ballots(rnd: PriorityRound) -> None:
    """From now on nothing links a ballot to its voter: the link is cleared, the
    ballots are written again in random order under new random ids (so storage
    order tells nothing about who voted first), and a constituency with fewer
    than MIN_GROUP ballots loses its label on them."""
    db.session.execute(
        update(EligibleVoter)
        .where(EligibleVoter.round_id == rnd.id)
        .values(ballot_id=None)
        .execution_options(synchronize_session=False)
    )
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
    if rnd.status != "open":
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


# Voting -----------------------------------------------------------------------------


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


def candidate_ids(rnd: PriorityRound) -> list[int]:
    return [c.submission_id for c in rnd.candidates]


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
        ballot = _secret_ballot(rnd, voter, content)
    else:
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
    if voter.ballot_id:
        ballot = db.session.get(Ballot, voter.ballot_id)
        ballot.content = content
        return ballot
    ballot = Ballot(
        id=secrets.token_hex(16),
        round_id=rnd.id,
        constituency_id=voter.constituency_id,
        content=content,
    )
    db.session.add(ballot)
    db.session.flush()
    claimed = db.session.execute(
        update(EligibleVoter)
        .where(EligibleVoter.id == voter.id, EligibleVoter.ballot_id.is_(None))
        .values(ballot_id=ballot.id, voted=True)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        # Another request of this member recorded a ballot meanwhile: keep one.
        db.session.delete(ballot)
        db.session.refresh(voter)
        ballot = db.session.get(Ballot, voter.ballot_id)
        ballot.content = content
    else:
        voter.ballot_id = ballot.id
    return ballot


def own_ballot(rnd: PriorityRound, user: User) -> Ballot | None:
    """The member's recorded ballot (while the round is open, or a named one)."""
    voter = voter_for(rnd, user)
    if voter is None:
        return None
    if rnd.secret:
        return db.session.get(Ballot, voter.ballot_id) if voter.ballot_id else None
    return db.session.scalar(
        select(Ballot).where(Ballot.round_id == rnd.id, Ballot.voter_id == user.id)
    )


# Results -----------------------------------------------------------------------------


@dataclass
class Outcome:
    overall: methods.Result
    by_constituency: dict[str, methods.Result]
    constituencies: list[Constituency]
    eligible: int
    voted: int
    voted_by_constituency: dict[str, int] = field(default_factory=dict)
    eligible_by_constituency: dict[str, int] = field(default_factory=dict)
    disagreement: set[int] = field(default_factory=set)

    @property
    def turnout(self) -> float:
        return self.voted / self.eligible if self.eligible else 0.0

    def place(self, slug: str, candidate: int) -> str:
        """A candidate's place in one constituency's ranking ('2', '2 =', or '–')."""
        if not hasattr(self, "_places"):
            self._places = {
                key: {r.candidate: f"{r.position}{' =' if r.tied else ''}" for r in result.rows}
                for key, result in self.by_constituency.items()
                if result.ballots
            }
        return self._places.get(slug, {}).get(candidate, "–")


def turnout(rnd: PriorityRound) -> tuple[int, int]:
    rows = db.session.execute(
        select(EligibleVoter.voted).where(EligibleVoter.round_id == rnd.id)
    ).all()
    return sum(1 for (voted,) in rows if voted), len(rows)


def quorum_met(rnd: PriorityRound, voted: int, eligible: int) -> bool:
    return eligible > 0 and voted * 100 >= rnd.quorum_percent * eligible


def results(rnd: PriorityRound) -> Outcome:
    """The ranking overall and per constituency, in two queries whatever the
    number of ballots."""
    ids = candidate_ids(rnd)
    constituencies = list(db.session.scalars(select(Constituency).order_by(Constituency.position)))
    slugs = {c.id: c.slug for c in constituencies}
    ballots = db.session.execute(
        select(Ballot.content, Ballot.constituency_id).where(Ballot.round_id == rnd.id)
    ).all()
    voters = db.session.execute(
        select(EligibleVoter.constituency_id, EligibleVoter.voted).where(
            EligibleVoter.round_id == rnd.id
        )
    ).all()
    per: dict[str, list] = {c.slug: [] for c in constituencies}
    for content, constituency_id in ballots:
        if constituency_id is not None:
            per.setdefault(slugs.get(constituency_id, "overig"), []).append(content)
    if rnd.secret:
        # A constituency of one or two voters would give their ballots away.
        per = {slug: group if len(group) >= MIN_GROUP else [] for slug, group in per.items()}
    params = rnd.params or {}
    overall = methods.tally(rnd.method, ids, [c for c, _ in ballots], **params)
    by = {slug: methods.tally(rnd.method, ids, group, **params) for slug, group in per.items()}
    outcome = Outcome(
        overall=overall,
        by_constituency=by,
        constituencies=constituencies,
        eligible=len(voters),
        voted=sum(1 for _, voted in voters if voted),
    )
    for constituency_id, voted in voters:
        slug = slugs.get(constituency_id, "overig")
        outcome.eligible_by_constituency[slug] = outcome.eligible_by_constituency.get(slug, 0) + 1
        outcome.voted_by_constituency[slug] = outcome.voted_by_constituency.get(slug, 0) + int(
            voted
        )
    outcome.disagreement = _top3_disagreement([r for r in by.values() if r.ballots])
    return outcome


def _top3_disagreement(groups: list[methods.Result]) -> set[int]:
    """Candidates whose place in the top 3 (or outside it) differs between
    constituencies: in one group's top 3 but not another's, or at another place."""
    if len(groups) < 2:
        return set()
    places = [
        {row.candidate: (row.position if row.position <= 3 else None) for row in result.rows}
        for result in groups
    ]
    candidates = set().union(*places)
    return {
        c
        for c in candidates
        if len({p.get(c) for p in places}) > 1 and any(p.get(c) for p in places)
    }


def latest_ranking() -> list[tuple[Submission, int]]:
    """The latest closed round's ordering, ready for the agenda builder."""
    rnd = db.session.scalar(
        select(PriorityRound)
        .where(PriorityRound.status == "gesloten")
        .order_by(PriorityRound.closed_at.desc())
        .limit(1)
    )
    if rnd is None:
        return []
    ranked = [c for c in rnd.candidates if c.final_position is not None]
    ranked.sort(key=lambda c: (c.final_position, c.position))
    return [(c.submission, c.final_position) for c in ranked]


def latest_ranks() -> dict[int, int]:
    """Submission id → rank in the latest closed round (agendas, meeting packs)."""
    return {sub.id: rank for sub, rank in latest_ranking()}


def describe_ballot(rnd: PriorityRound, content: dict[str, Any]) -> str:
    """A ballot in words, for named rounds: '1. Netcongestie …; 2. …'."""
    titles = {str(c.submission_id): c.submission.title for c in rnd.candidates}
    if rnd.method == "approval":
        return "; ".join(titles.get(str(i), str(i)) for i in content.get("approve", []))
    field = methods.FIELDS[rnd.method]
    entries = sorted(
        content.get(field, {}).items(),
        key=lambda item: item[1] if rnd.method == "ranked" else -item[1],
    )
    if rnd.method == "ranked":
        return "; ".join(f"{value}. {titles.get(key, key)}" for key, value in entries)
    return "; ".join(f"{titles.get(key, key)}: {value}" for key, value in entries if value)


def row_figure(rnd: PriorityRound, row) -> str:
    """The number a result row is ranked by, written out for people."""
    if rnd.method == "approval":
        return str(row.approvals)
    if rnd.method == "dot":
        return str(row.points)
    if rnd.method == "score":
        return "–" if row.mean is None else f"{row.mean:.2f} ({row.voters})"
    return f"{row.schulze_wins} / Borda {row.borda}"
