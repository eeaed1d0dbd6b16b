"""Decisions: recording one on a decision item of a held meeting, its
number, its amendments, and the optional motion vote by the members present.

Services check the rules that do not depend on who asks (the views check
`decisions.policies`), flush, audit, add timeline entries and queue
notifications; the view commits. The labels of outcomes, votes and majorities
sit beside their values in `decisions.models`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts import roles
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.timefmt import AMSTERDAM
from tafel.db import utcnow
from tafel.decisions.models import (
    CHOICES,
    EXPLAIN,
    MAJORITY_LABELS,
    OUTCOME_LABELS,
    OUTCOMES,
    Decision,
    DecisionAmendment,
    DecisionCounter,
    DecisionLink,
    Motion,
    MotionVote,
    Recusal,
)
from tafel.meetings.models import AgendaItem, Attendance
from tafel.submissions import follow
from tafel.submissions import workflow as submission_workflow
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event

DECIDABLE = frozenset({"gehouden", "notulen_vastgesteld"})

log = logging.getLogger(__name__)


class DecisionError(ServiceError):
    """A refused step on a decision or its motion vote."""


# Numbers ----------------------------------------------------------------------------


def next_sequence(year: int) -> int:
    """Raise the year's counter in this transaction and return the new value.

    The counter row is locked until commit, so a concurrent recorder waits
    and then gets the next number; a rollback returns the number."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(DecisionCounter)
        .values(year=year, last=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    return db.session.execute(
        update(DecisionCounter)
        .where(DecisionCounter.year == year)
        .values(last=DecisionCounter.last + 1)
        .returning(DecisionCounter.last)
    ).scalar_one()


def format_number(year: int, sequence: int) -> str:
    return f"B-{year}-{sequence:03d}"


# Recording --------------------------------------------------------------------------


def meeting_is_held(item: AgendaItem) -> bool:
    return item.meeting.status in DECIDABLE


def check_outcome(outcome: str | None, explanation: str) -> None:
    if outcome not in OUTCOMES:
        raise DecisionError(_("Kies een uitkomst."), "outcome")
    if outcome in EXPLAIN and not explanation.strip():
        raise DecisionError(
            _("Licht toe waarom het voorstel niet of deels wordt overgenomen."), "explanation"
        )


def record_decision(
    item: AgendaItem,
    actor: User,
    *,
    text: str,
    outcome: str | None,
    explanation: str = "",
    ministry=None,
    organisation=None,
    submission_ids: list[int] | None = None,
) -> Decision:
    if item.kind != "besluitvorming":
        raise DecisionError(_("Besluiten horen bij een agendapunt ter besluitvorming."))
    if not meeting_is_held(item):
        raise DecisionError(
            _("Een besluit wordt vastgelegd nadat de vergadering is gehouden."), "meeting"
        )
    text = (text or "").strip()
    explanation = (explanation or "").strip()
    if not text:
        raise DecisionError(_("Schrijf de tekst van het besluit."), "text")
    check_outcome(outcome, explanation)
    linked = {link.submission_id: link.submission for link in item.links}
    chosen = [linked[i] for i in (submission_ids or []) if i in linked]
    if len(chosen) != len(set(submission_ids or [])):
        raise DecisionError(_("Kies meldingen van dit agendapunt."), "submissions")
    if len({sub.visibility for sub in chosen}) > 1:
        # Otherwise the public report's timeline would show a decision about a table-only one.
        raise DecisionError(
            _(
                "Een besluit gaat over meldingen met dezelfde zichtbaarheid. Leg voor de "
                "openbare en de niet-openbare meldingen elk een eigen besluit vast."
            ),
            "submissions",
        )
    now = utcnow()
    year = now.astimezone(AMSTERDAM).year
    sequence = next_sequence(year)
    decision = Decision(
        number=format_number(year, sequence),
        year=year,
        sequence=sequence,
        meeting_id=item.meeting_id,
        agenda_item_id=item.id,
        text=text,
        outcome=outcome,
        explanation=explanation,
        ministry=ministry,
        organisation=organisation,
        public=all(link.submission.visibility == "openbaar" for link in item.links),
        created_by_id=actor.id,
        created_at=now,
    )
    decision.links = [DecisionLink(submission_id=sub.id) for sub in chosen]
    db.session.add(decision)
    db.session.flush()
    audit.record("decision.record", decision, actor, after=snapshot(decision))
    for sub in chosen:
        _tell_about_decision(sub, decision, actor)
    return decision


def snapshot(decision: Decision) -> dict[str, Any]:
    return {
        "number": decision.number,
        "text": decision.text,
        "outcome": decision.outcome,
        "explanation": decision.explanation,
        "ministry": decision.ministry_id,
        "organisation": decision.organisation_id,
        "submissions": [link.submission_id for link in decision.links],
    }


def _event(decision: Decision, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "decision",
        "decision": decision.id,
        "number": decision.number,
        "outcome": decision.outcome,
        **extra,
    }


def _tell_about_decision(sub: Submission, decision: Decision, actor: User) -> None:
    with follow.platform_language():
        message = _(
            "Besluit %(number)s over uw melding: %(outcome)s.",
            number=decision.number,
            outcome=OUTCOME_LABELS[decision.outcome],
        )
    moved = submission_workflow.move_for_meeting(
        sub, "decide", actor, _event(decision), message, urgent=True
    )
    if not moved:
        # Decided on before: a second decision is a timeline entry of its own.
        event = _event(decision)
        add_event(sub, event.pop("kind"), actor, by_secretariat=True, **event)
    follow.tell(sub, message, urgent=True, skip_submitter=moved)


def amend(decision: Decision, actor: User, text: str) -> DecisionAmendment:
    text = (text or "").strip()
    if not text:
        raise DecisionError(_("Schrijf de wijziging."), "text")
    row = DecisionAmendment(decision_id=decision.id, text=text, author_id=actor.id)
    decision.amendments.append(row)
    db.session.flush()
    audit.record("decision.amend", decision, actor, after={"amendment": text})
    with follow.platform_language():
        message = _("Besluit %(number)s is gewijzigd.", number=decision.number)
    for link in decision.links:
        add_event(
            link.submission,
            "decision_amended",
            actor,
            by_secretariat=True,
            decision=decision.id,
            number=decision.number,
        )
        follow.tell(link.submission, message, urgent=True)
    return row


# Motion votes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    abstentions: int
    adopted: bool


def tally(choices: list[str], majority: str) -> Tally:
    """Count named votes. Abstentions are not votes cast: simple majority is
    more for than against; two thirds is at least 2/3 of for + against."""
    counts = {choice: choices.count(choice) for choice in CHOICES}
    yes, no = counts["voor"], counts["tegen"]
    if majority == "two_thirds":
        adopted = yes > 0 and 3 * yes >= 2 * (yes + no)
    else:
        adopted = yes > no
    return Tally(yes, no, counts["onthouding"], adopted)


def present_members(decision: Decision) -> list[int]:
    return list(
        db.session.scalars(
            select(Attendance.user_id).where(
                Attendance.meeting_id == decision.meeting_id, Attendance.presence == "aanwezig"
            )
        )
    )


def open_motion(decision: Decision, actor: User, majority: str, quorum: int | None) -> Motion:
    if decision.motion is not None:
        raise DecisionError(_("Over dit besluit is al een stemming."))
    if majority not in MAJORITY_LABELS:
        raise DecisionError(_("Kies een meerderheidsregel."), "majority")
    if quorum is None or quorum < 1:
        raise DecisionError(_("Het quorum is ten minste 1 aanwezig lid."), "quorum")
    motion = Motion(decision_id=decision.id, majority=majority, quorum=quorum)
    decision.motion = motion
    db.session.flush()
    audit.record("motion.open", decision, actor, after={"majority": majority, "quorum": quorum})
    return motion


def _hold_open(motion: Motion) -> None:
    """Lock the open motion's row for this transaction (closing waits for us),
    or refuse when it was closed meanwhile."""
    if not db.compare_and_set(motion, {"closed_at": None}, refresh=False, quorum=Motion.quorum):
        raise DecisionError(_("De stemming is gesloten."))


def _check_voter(motion: Motion, decision: Decision, user: User) -> None:
    if motion.closed_at is not None:
        raise DecisionError(_("De stemming is gesloten."))
    if not roles.is_member(user) or user.id not in present_members(decision):
        raise DecisionError(_("Alleen tafelleden die aanwezig zijn, kunnen stemmen."))


def cast_vote(decision: Decision, user: User, choice: str | None) -> MotionVote:
    motion = decision.motion
    if motion is None:
        raise DecisionError(_("Over dit besluit wordt niet gestemd."))
    _check_voter(motion, decision, user)
    if choice not in CHOICES:
        raise DecisionError(_("Kies voor, tegen of onthouding."), "choice")
    if any(r.user_id == user.id for r in motion.recusals):
        raise DecisionError(
            _("U heeft zich wegens een belangenconflict onthouden van deze stemming.")
        )
    _hold_open(motion)
    vote = db.session.scalar(
        select(MotionVote).where(MotionVote.motion_id == motion.id, MotionVote.user_id == user.id)
    )
    try:
        with db.session.begin_nested():
            if vote is None:
                vote = MotionVote(motion_id=motion.id, user_id=user.id, choice=choice)
                motion.votes.append(vote)
            else:
                vote.choice = choice
                vote.created_at = utcnow()
    except IntegrityError:
        # The same member's vote from a second tab at the same moment.
        raise DecisionError(_("Uw stem is net al vastgelegd. Laad de pagina opnieuw.")) from None
    audit.record("motion.vote", decision, user, after={"user": user.id, "choice": choice})
    return vote


def recuse(decision: Decision, user: User, reason: str) -> Recusal:
    motion = decision.motion
    if motion is None:
        raise DecisionError(_("Over dit besluit wordt niet gestemd."))
    _check_voter(motion, decision, user)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("Geef aan welk belang u heeft."), "reason")
    if any(r.user_id == user.id for r in motion.recusals):
        raise DecisionError(_("U heeft zich al onthouden van deze stemming."))
    _hold_open(motion)
    for vote in [v for v in motion.votes if v.user_id == user.id]:
        motion.votes.remove(vote)
        db.session.delete(vote)
    row = Recusal(motion_id=motion.id, user_id=user.id, reason=reason)
    motion.recusals.append(row)
    db.session.flush()
    audit.record("motion.recusal", decision, user, after={"user": user.id, "reason": reason})
    return row


def close_motion(decision: Decision, actor: User) -> Tally:
    motion = decision.motion
    if motion is None or motion.closed_at is not None:
        raise DecisionError(_("Er is geen open stemming over dit besluit."))
    if not db.compare_and_set(motion, {"closed_at": None}, closed_at=utcnow()):
        log.info("motion of decision %s was closed by someone else meanwhile", decision.id)
        raise DecisionError(_("De stemming is net door iemand anders gesloten."))
    db.session.refresh(motion)
    result = tally([v.choice for v in motion.votes], motion.majority)
    present = len(set(present_members(decision)))
    motion.votes_for = result.votes_for
    motion.votes_against = result.votes_against
    motion.abstentions = result.abstentions
    motion.quorum_met = present >= motion.quorum
    motion.adopted = bool(motion.quorum_met and result.adopted)
    audit.record(
        "motion.close",
        decision,
        actor,
        after={
            "for": result.votes_for,
            "against": result.votes_against,
            "abstentions": result.abstentions,
            "present": present,
            "quorum_met": motion.quorum_met,
            "adopted": motion.adopted,
        },
    )
    return result
